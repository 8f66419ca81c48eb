import PluginABI
import PluginKit

/// The bundled `json-gen` plugin. Its operations arrive in later issues; it already builds, loads and registers
/// through the ABI so that admins can enable it today.
let definition = PluginDefinition(
    name: "json-gen",
    version: "1.0.0",
    description: "JSON generation; operations arrive with the operations issue",
    operations: []
)

nonisolated(unsafe) private var descriptor: UnsafePointer<pz_plugin_descriptor>?

/// The ABI entry point: returns the (once-built) descriptor.
@_cdecl("pz_plugin_entry")
public func pz_plugin_entry(_ host: UnsafePointer<pz_host_api>?) -> UnsafePointer<pz_plugin_descriptor>? {
    if descriptor == nil { descriptor = definition.makeDescriptor() }
    return descriptor
}
