import PluginABI
import PluginKit

/// The bundled `normalize` plugin: `normalization/types` and `normalization/apply`.
let normalizeDefinition = PluginDefinition(
    name: "normalize",
    version: "1.0.0",
    description: "Value normalisation: text, patterns, numbers, statistics, dates, booleans and categories",
    operations: [NormalizationTypesOperation.operation, NormalizeApply.operation]
)

/// Built once, on first use (Swift globals initialise lazily and thread-safely); immutable afterwards.
nonisolated(unsafe) private let descriptor = normalizeDefinition.makeDescriptor()

/// The ABI entry point.
@_cdecl("pz_plugin_entry")
public func pz_plugin_entry(_ host: UnsafePointer<pz_host_api>?) -> UnsafePointer<pz_plugin_descriptor>? {
    descriptor
}
