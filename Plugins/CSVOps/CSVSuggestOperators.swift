import PluginABI
import PluginKit

/// `csv/search/suggest-operators`: as `excel/search/suggest-operators`; CSV values are text, so every column gets
/// the text operators, as in the original.
enum CSVSuggestOperators {
    static let operation = PluginDefinition.Operation(
        name: "csv/search/suggest-operators",
        summary: "Each column's type and the search operators that suit it (CSV columns are text)",
        argumentsSchema: #"{"type":"object","properties":{}}"#,
        successMessage: "Operator suggestions generated successfully",
        body: { call throws(OperationFailure) in call.setResult(try OperatorSuggestions.describe(call)) }
    )
}
