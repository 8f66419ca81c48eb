import PluginABI
import PluginKit

/// The bundled `csv/*` operations.
let csvOpsDefinition = PluginDefinition(
    name: "csv-ops",
    version: "1.0.0",
    description: "CSV operations: file information, conversion to Excel, search and operator suggestions",
    operations: [CSVInfo.operation, CSVConvertToExcel.operation, CSVSearch.operation, CSVSuggestOperators.operation]
)

/// Built once, on first use (Swift globals initialise lazily and thread-safely); immutable afterwards.
nonisolated(unsafe) private let descriptor = csvOpsDefinition.makeDescriptor()

/// The ABI entry point.
@_cdecl("pz_plugin_entry")
public func pz_plugin_entry(_ host: UnsafePointer<pz_host_api>?) -> UnsafePointer<pz_plugin_descriptor>? {
    descriptor
}
