import PluginABI
import PluginKit

/// The bundled `json-gen` plugin: `json/*` operations.
let definition = PluginDefinition(
    name: "json-gen",
    version: "1.0.0",
    description: "JSON generation: records per row, or a JSON template per row",
    operations: [JSONGenerate.operation, JSONGenerateWithTemplate.operation]
)

/// Built once, on first use (Swift globals initialise lazily and thread-safely); immutable afterwards.
nonisolated(unsafe) private let descriptor = definition.makeDescriptor()

/// The ABI entry point.
@_cdecl("pz_plugin_entry")
public func pz_plugin_entry(_ host: UnsafePointer<pz_host_api>?) -> UnsafePointer<pz_plugin_descriptor>? {
    descriptor
}
