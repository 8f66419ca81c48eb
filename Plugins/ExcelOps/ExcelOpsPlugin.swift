import PluginABI
import PluginKit

/// The bundled `excel-ops` plugin: `excel/info` today; the remaining excel/* and normalization/* operations arrive
/// with the operations issue.
let definition = PluginDefinition(
    name: "excel-ops",
    version: "1.0.0",
    description: "Excel operations: workbook information (extract, map, bind, search, normalise arrive later)",
    operations: [ExcelInfo.operation] + bindingOperations
)

/// Built once, on first use (Swift globals initialise lazily and thread-safely); immutable afterwards.
nonisolated(unsafe) private let descriptor = definition.makeDescriptor()

/// The ABI entry point.
@_cdecl("pz_plugin_entry")
public func pz_plugin_entry(_ host: UnsafePointer<pz_host_api>?) -> UnsafePointer<pz_plugin_descriptor>? {
    descriptor
}
