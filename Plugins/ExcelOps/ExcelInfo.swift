import PluginABI
import PluginKit

/// `excel/info`: sheets, rows, columns, column names and the real cell type of each column of the first sheet.
enum ExcelInfo {
    static let operation = PluginDefinition.Operation(
        name: "excel/info",
        summary: "Sheets, rows, columns, column names and column types (int64, float64, str, bool, datetime64[ns], object) of a workbook",
        argumentsSchema: #"{"type":"object","properties":{}}"#,
        successMessage: "File information retrieved successfully",
        body: { call throws(OperationFailure) in call.setResult(try TableInfo.describe(call, includeSheets: true)) }
    )
}
