import PluginABI
import PluginKit

/// `excel/search`: the rows matching the conditions, as `xlsx` (default), `csv` or `json` (see `TableSearch`).
enum ExcelSearch {
    static let operation = PluginDefinition.Operation(
        name: "excel/search",
        summary: "Filter rows by conditions (15 operators + regex, AND/OR); output xlsx (default), csv or json",
        argumentsSchema: TableSearch.argumentsSchema(defaultFormat: "xlsx"),
        successMessage: TableSearch.successMessage,
        body: { call throws(OperationFailure) in try TableSearch.run(call, defaultFormat: "xlsx") }
    )
}
