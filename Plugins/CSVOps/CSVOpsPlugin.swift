import PluginABI
import PluginKit

/// The bundled `csv/*` operations.
let csvOpsDefinition = PluginDefinition(
    name: "csv-ops",
    version: "1.0.0",
    description: "CSV operations: file information and conversion to Excel",
    operations: [CSVInfo.operation, CSVConvertToExcel.operation]
)

nonisolated(unsafe) private var descriptor: UnsafePointer<pz_plugin_descriptor>?

/// The ABI entry point: returns the (once-built) descriptor.
@_cdecl("pz_plugin_entry")
public func pz_plugin_entry(_ host: UnsafePointer<pz_host_api>?) -> UnsafePointer<pz_plugin_descriptor>? {
    if descriptor == nil { descriptor = csvOpsDefinition.makeDescriptor() }
    return descriptor
}
