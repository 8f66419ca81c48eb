import PluginABI
import PluginKit

/// `excel/search/suggest-operators`: each column's real cell type and the search operators that suit it
/// (a numeric column gets the numeric operators, a date column the date ones).
enum ExcelSuggestOperators {
    static let operation = PluginDefinition.Operation(
        name: "excel/search/suggest-operators",
        summary: "Each column's type and the search operators that suit it",
        argumentsSchema: #"{"type":"object","properties":{}}"#,
        successMessage: "Operator suggestions generated successfully",
        body: { call throws(OperationFailure) in call.setResult(try OperatorSuggestions.describe(call)) }
    )
}
