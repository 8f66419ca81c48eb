import Foundation
import Logging
import PluginABI
import PycelizeJSON
import Yams
#if canImport(Glibc)
import Glibc
#endif

/// What the host knows about one plugin file in `plugins.d/`, loaded or not.
public struct PluginRecord: Sendable {
    public enum Status: String, Sendable { case loaded, refused, disabled }
    public var name: String
    public var version: String?
    public var abiVersion: String?
    public var libraryPath: String?
    public var manifestFile: String
    public var status: Status
    public var reason: String?
    public var operations: [String] = []
}

/// A registered operation: the plugin's C descriptor plus the parsed argument schema.
public struct LoadedOperation: @unchecked Sendable {
    public let name: String
    public let summary: String
    public let successMessage: String
    public let schema: JSONValue
    public let schemaText: String
    public let flags: UInt32
    public let pluginName: String
    /// The `settings` of the plugin's `plugins.d/` file as JSON object text (`{}` when none).
    public let pluginSettingsJSON: String
    /// Plugin-owned, static for the process (libraries are never unloaded).
    let descriptor: UnsafePointer<pz_operation>

    public var needsInput: Bool { flags & PZ_OP_NEEDS_INPUT != 0 }
    public var twoInputs: Bool { flags & PZ_OP_TWO_INPUTS != 0 }
}

/// Reads `plugins.d/`, loads each enabled plugin with `dlopen`, checks it against ABI v1 and registers its
/// operations. A bad plugin is refused with a reason (logged and listed) and never stops the server.
/// Loaded libraries are never `dlclose`d (they may contain Swift code and hand out static pointers).
public final class PluginLoader {
    public private(set) var records: [PluginRecord] = []
    public private(set) var operations: [String: LoadedOperation] = [:]
    /// Operation names in registration order.
    public private(set) var operationOrder: [String] = []
    private let logger: Logger
    private let searchPath: [String]

    /// Minimum sizes of the v1.0 structs: a plugin's struct_size below these cannot be read safely.
    static let minimumDescriptorSize = MemoryLayout<pz_plugin_descriptor>.size
    static let minimumOperationSize = MemoryLayout<pz_operation>.size

    /// - Parameter searchPath: folders searched for libraries named by bare name (`CSVOps` → `libCSVOps.so`).
    public init(searchPath: [String], logger: Logger) {
        self.searchPath = searchPath
        self.logger = logger
    }

    /// Loads every `*.yml`/`*.yaml` file of `directory` in name order.
    public func loadDirectory(_ directory: String) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else {
            logger.warning("plugins directory not found or unreadable: \(directory); no plugins loaded")
            return
        }
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = (directory as NSString).appendingPathComponent(name)
            guard name.hasSuffix(".yml") || name.hasSuffix(".yaml") else {
                logger.debug("ignoring \(path): plugin files end in .yml or .yaml")
                continue
            }
            loadManifest(path)
        }
    }

    /// Loads the plugin one manifest file describes.
    public func loadManifest(_ path: String) {
        var record = PluginRecord(name: (path as NSString).lastPathComponent, manifestFile: path, status: .refused)
        do {
            let manifest = try PluginManifest(path: path)
            record.name = manifest.library
            guard manifest.enabled else {
                record.status = .disabled
                record.reason = "disabled in \(path)"
                logger.info("plugin \(manifest.library) is disabled by \(path)")
                records.append(record)
                return
            }
            let library = try resolve(manifest.library, relativeTo: (path as NSString).deletingLastPathComponent)
            record.libraryPath = library
            try load(library: library, settings: manifest.settings, into: &record)
            record.status = .loaded
            logger.info("loaded plugin \(record.name) \(record.version ?? "") (ABI \(record.abiVersion ?? "")) from \(library): \(record.operations.joined(separator: ", "))")
        } catch let refusal as PluginRefusal {
            record.status = .refused
            record.reason = refusal.reason
            logger.error("refused plugin \(record.name) (file \(path), library \(record.libraryPath ?? "?")): \(refusal.reason)")
        } catch {
            record.status = .refused
            record.reason = "\(error)"
            logger.error("refused plugin \(record.name) (file \(path)): \(error)")
        }
        records.append(record)
    }

    private func resolve(_ library: String, relativeTo dir: String) throws -> String {
        let fm = FileManager.default
        if library.contains("/") {
            let path = library.hasPrefix("/") ? library : (dir as NSString).appendingPathComponent(library)
            guard fm.fileExists(atPath: path) else { throw PluginRefusal("library file not found: \(path)") }
            return path
        }
        let file = library.hasSuffix(".so") ? library : "lib\(library).so"
        for folder in searchPath {
            let candidate = (folder as NSString).appendingPathComponent(file)
            if fm.fileExists(atPath: candidate) { return candidate }
        }
        throw PluginRefusal("library \(file) not found in \(searchPath.joined(separator: ", "))")
    }

    private func load(library: String, settings: JSONValue, into record: inout PluginRecord) throws {
        guard let handle = dlopen(library, RTLD_NOW | RTLD_LOCAL) else {
            throw PluginRefusal("dlopen failed: \(String(cString: dlerror()))")
        }
        // Never dlclose: see the type's documentation.
        guard let symbol = dlsym(handle, PZ_PLUGIN_ENTRY_SYMBOL) else {
            throw PluginRefusal("the library does not export the entry function \(PZ_PLUGIN_ENTRY_SYMBOL)")
        }
        let entry = unsafeBitCast(symbol, to: pz_plugin_entry_fn.self)
        guard let descriptor = entry(HostServiceTable.shared) else {
            throw PluginRefusal("\(PZ_PLUGIN_ENTRY_SYMBOL) returned NULL (the plugin declined to load)")
        }
        let d = descriptor.pointee
        guard d.struct_size >= PluginLoader.minimumDescriptorSize else {
            throw PluginRefusal("bad descriptor struct_size \(d.struct_size) (ABI 1.0 needs at least \(PluginLoader.minimumDescriptorSize))")
        }
        record.abiVersion = "\(d.abi_major).\(d.abi_minor)"
        if let n = d.name { record.name = String(cString: n) }
        record.version = d.version.map { String(cString: $0) }
        let host = "\(PZ_ABI_MAJOR).\(PZ_ABI_MINOR)"
        guard d.abi_major == UInt32(PZ_ABI_MAJOR) else {
            throw PluginRefusal("ABI major version mismatch: plugin built against \(record.abiVersion ?? "?"), host is \(host)")
        }
        guard d.abi_minor <= UInt32(PZ_ABI_MINOR) else {
            throw PluginRefusal("plugin built against ABI \(record.abiVersion ?? "?"), newer than the host's \(host)")
        }
        if d.abi_minor == UInt32(PZ_ABI_MINOR) && d.struct_size != MemoryLayout<pz_plugin_descriptor>.size {
            throw PluginRefusal("bad descriptor struct_size \(d.struct_size) for ABI \(host) (expected \(MemoryLayout<pz_plugin_descriptor>.size))")
        }
        guard d.name != nil, !record.name.isEmpty else { throw PluginRefusal("the descriptor has no name") }
        if records.contains(where: { $0.status == .loaded && $0.name == record.name }) {
            throw PluginRefusal("a plugin named '\(record.name)' is already loaded")
        }
        guard d.operation_count <= 10_000, d.operation_count == 0 || d.operations != nil else {
            throw PluginRefusal("bad operation table")
        }
        let settingsText = JSONSerializer.string(settings)
        var pending: [LoadedOperation] = []
        for i in 0..<d.operation_count {
            guard let opPointer = d.operations?[i] else { throw PluginRefusal("operation \(i) is NULL") }
            let op = opPointer.pointee
            guard op.struct_size >= PluginLoader.minimumOperationSize else {
                throw PluginRefusal("operation \(i): bad struct_size \(op.struct_size) (ABI 1.0 needs \(PluginLoader.minimumOperationSize))")
            }
            guard let namePtr = op.name else { throw PluginRefusal("operation \(i) has no name") }
            let name = String(cString: namePtr)
            guard PluginLoader.isValidOperationName(name) else {
                throw PluginRefusal("operation name '\(name)' is not of the form namespace/verb ([a-z0-9_-] segments)")
            }
            guard op.execute != nil else { throw PluginRefusal("operation '\(name)' has no execute function") }
            if let existing = operations[name] {
                throw PluginRefusal("operation '\(name)' is already registered by plugin '\(existing.pluginName)'")
            }
            if pending.contains(where: { $0.name == name }) {
                throw PluginRefusal("operation '\(name)' is declared twice")
            }
            let schemaText = op.arguments_schema.map { String(cString: $0) } ?? #"{"type":"object"}"#
            let schema: JSONValue
            do { schema = try JSONParser.parse(schemaText) } catch {
                throw PluginRefusal("operation '\(name)': arguments_schema is not valid JSON (\(error))")
            }
            guard case .object = schema else { throw PluginRefusal("operation '\(name)': arguments_schema must be a JSON object") }
            pending.append(LoadedOperation(
                name: name, summary: op.summary.map { String(cString: $0) } ?? "",
                successMessage: op.success_message.map { String(cString: $0) } ?? "Operation completed successfully",
                schema: schema, schemaText: schemaText, flags: op.flags, pluginName: record.name,
                pluginSettingsJSON: settingsText, descriptor: opPointer))
        }
        for op in pending {
            operations[op.name] = op
            operationOrder.append(op.name)
        }
        record.operations = pending.map(\.name)
    }

    static func isValidOperationName(_ name: String) -> Bool {
        let segments = name.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count >= 2, name.utf8.count <= 128 else { return false }
        return segments.allSatisfy { seg in
            !seg.isEmpty && seg.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }
}

/// Why a plugin was refused.
struct PluginRefusal: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// One file of `plugins.d/`:
/// ```yaml
/// library: CSVOps        # bare name → libCSVOps.so on the search path; or a path (relative to plugins.d/)
/// enabled: true          # optional, default true
/// settings:              # optional mapping, handed to the plugin as JSON (`plugin_settings_json`, ABI 1.2)
///   backup_original: false
/// ```
struct PluginManifest {
    let library: String
    let enabled: Bool
    /// The `settings` mapping as a JSON object (empty when absent).
    let settings: JSONValue

    init(path: String) throws {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw PluginRefusal("cannot read plugin file: \(error.localizedDescription)")
        }
        let node: Any?
        do { node = try Yams.load(yaml: text) } catch { throw PluginRefusal("invalid YAML: \(error)") }
        guard let map = node as? [String: Any] else { throw PluginRefusal("the file must be a YAML mapping with a 'library' key") }
        guard let lib = map["library"] as? String, !lib.isEmpty else { throw PluginRefusal("missing 'library' key") }
        library = lib
        if let e = map["enabled"] {
            guard let b = e as? Bool else { throw PluginRefusal("'enabled' must be true or false") }
            enabled = b
        } else {
            enabled = true
        }
        if let node = map["settings"] {
            guard let mapping = node as? [String: Any] else { throw PluginRefusal("'settings' must be a mapping") }
            settings = try YAMLToJSON.convert(mapping)
        } else {
            settings = .object([])
        }
    }
}
