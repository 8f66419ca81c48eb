import PluginABI
import PluginKit

/// The bundled `excel-ops` plugin: workbook information, the query operations (extract, map, search, suggest) and
/// binding (by key and by position).
let definition = PluginDefinition(
    name: "excel-ops",
    version: "1.0.0",
    description: "Excel operations: workbook information, column extraction and mapping, search, key and positional binding",
    operations: [
        ExcelInfo.operation,
        ExcelExtractColumns.operation, ExcelExtractColumnsToFile.operation, ExcelMapColumns.operation,
        ExcelSearch.operation, ExcelSuggestOperators.operation,
    ] + bindingOperations
)

/// Built once, on first use (Swift globals initialise lazily and thread-safely); immutable afterwards.
nonisolated(unsafe) private let descriptor = definition.makeDescriptor()

/// The ABI entry point.
@_cdecl("pz_plugin_entry")
public func pz_plugin_entry(_ host: UnsafePointer<pz_host_api>?) -> UnsafePointer<pz_plugin_descriptor>? {
    descriptor
}
