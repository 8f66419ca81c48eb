import PluginABI
import PluginKit

/// The bundled `excel-ops` plugin. Its operations arrive in later issues; it already builds, loads and registers
/// through the ABI so that admins can enable it today.
let definition = PluginDefinition(
    name: "excel-ops",
    version: "1.0.0",
    description: "Excel operations (extract, map, bind, search, normalise); operations arrive with the operations issue",
    operations: []
)

/// Built once, on first use (Swift globals initialise lazily and thread-safely); immutable afterwards.
nonisolated(unsafe) private let descriptor = definition.makeDescriptor()

/// The ABI entry point.
@_cdecl("pz_plugin_entry")
public func pz_plugin_entry(_ host: UnsafePointer<pz_host_api>?) -> UnsafePointer<pz_plugin_descriptor>? {
    descriptor
}
