import PluginABI
import PluginKit

/// `csv/search`: the rows matching the conditions, as `csv` (default), `xlsx` or `json` (see `TableSearch`).
enum CSVSearch {
    static let operation = PluginDefinition.Operation(
        name: "csv/search",
        summary: "Filter rows by conditions (15 operators + regex, AND/OR); output csv (default), xlsx or json",
        argumentsSchema: TableSearch.argumentsSchema(defaultFormat: "csv"),
        successMessage: TableSearch.successMessage,
        body: { call throws(OperationFailure) in try TableSearch.run(call, defaultFormat: "csv") }
    )
}
