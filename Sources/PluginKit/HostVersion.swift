import PluginABI
import PycelizeJSON

extension UnsafePointer where Pointee == pz_host_api {
    /// True when the host's service table contains `member` — the Swift form of the header's `PZ_HOST_HAS`, for
    /// services added after ABI 1.0 (an older host passes a shorter table).
    func has<T>(_ member: KeyPath<pz_host_api, T>) -> Bool {
        guard let offset = MemoryLayout<pz_host_api>.offset(of: member) else { return false }
        return pointee.struct_size >= offset + MemoryLayout<T>.size
    }
}

extension OperationCall {
    /// The plugin's settings: the `settings` mapping of its `plugins.d/` file (ABI 1.2), an empty object when it
    /// has none or the host is older.
    public func pluginSettings() -> JSONValue {
        guard host.has(\.plugin_settings_json), let f = host.pointee.plugin_settings_json, let p = f(context),
              let value = try? JSONParser.parse(String(cString: p)), case .object = value else { return .object([]) }
        return value
    }
}
