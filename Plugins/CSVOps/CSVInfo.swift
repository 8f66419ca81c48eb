import PluginABI
import PluginKit

/// `csv/info`: row and column counts, column names and the type of each column.
enum CSVInfo {
    static let operation = PluginDefinition.Operation(
        name: "csv/info",
        summary: "Rows, columns, column names and column types of a CSV (or any table) file",
        argumentsSchema: #"{"type":"object","properties":{}}"#,
        successMessage: "CSV file information retrieved successfully",
        body: { call throws(OperationFailure) in call.setResult(try TableInfo.describe(call, includeSheets: false)) }
    )
}
