import Foundation
import Yams

/// The server's configuration: embedded defaults (the same as `configs/application.yml`), overridden by a YAML
/// file, then by `PYCELIZE_*` environment variables, then by command-line flags.
public struct ServerConfig: Sendable {
    public var appName = "Pycelize"
    public var appVersion = "v0.0.1"
    public var debug = true
    public var host = "127.0.0.1"
    public var port = 5050
    public var apiPrefix = "/api/v1"
    public var locale = "en_US"
    /// Origins answered with `Access-Control-Allow-Origin` on `{prefix}/*` and `/api/*`; `*` = any (the original).
    public var corsAllowedOrigins = ["*"]

    public var uploadFolder = "uploads"
    public var outputFolder = "outputs"
    public var allowedExtensions = [".csv", ".xlsx", ".xls"]
    public var maxFileSizeMB = 50

    public var defaultSheetName = "Sheet1"
    public var maxColumnWidth = 50
    public var includeInfoSheet = true
    public var compressionLevel = 1
    public var maxInflatedMB = 4096
    public var maxCompressionRatio = 1000

    public var logLevel = "INFO"
    public var pluginsDirectory = "plugins.d"
    public var pluginLibraryPath: [String] = []
    public var behindProxy = false
    /// Seconds a connection may send nothing: before its request head is complete, between requests, and in the
    /// middle of a body. 0 disables.
    public var idleTimeoutSeconds = 60
    /// Seconds a whole upload (multipart body) may take to arrive; later → 408. 0 disables.
    public var requestReadTimeoutSeconds = 600
    /// Uploads read at the same time; one more → 503. 0 disables.
    public var maxConcurrentUploads = 16

    public var chatEnabled = true
    public var maxConnections = 10
    public var wsHost = "127.0.0.1"
    public var wsPort = 5051
    public var workflowsPath = "./automation/workflows"
    public var dumpsPath = "./automation/dumps"
    public var sqlitePath = "./automation/sqlite/chat.db"
    public var partitionStrategy = "time-based"
    public var snapshotPath = "./automation/sqlite/snapshots"
    public var maxRestoreMB = 4096
    public var backupEnabled = true
    public var backupIntervalMinutes = 60
    public var backupRetentionDays = 30
    public var chatMaxUploadMB = 50
    public var chatAllowedExtensions = [".csv", ".xlsx", ".xls", ".json"]
    public var maxSteps = 50
    public var stepTimeoutSeconds = 300

    /// Serve the web workbench at `/` (assets under `/ui/`).
    public var webEnabled = true
    /// Folder of the workbench's files; empty = the repository's `Web/` folder (see `WebAssets.defaultRoot`).
    public var webRoot = ""

    /// Folder that relative data paths resolve against.
    public var dataDirectory = FileManager.default.currentDirectoryPath
    /// Where the configuration came from (for the banner).
    public var source = "embedded defaults"

    public init() {}

    /// Reads a YAML file over the current values. Unknown keys are ignored; a wrong type is an error.
    public mutating func apply(yamlFile path: String) throws {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigError("cannot read configuration file \(path): \(error.localizedDescription)")
        }
        try apply(yaml: text, origin: path)
        source = path
    }

    public mutating func apply(yaml text: String, origin: String = "configuration") throws {
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch { throw ConfigError("\(origin): invalid YAML: \(error)") }
        guard let map = root as? [String: Any] else {
            if root == nil { return }
            throw ConfigError("\(origin): the top level must be a mapping")
        }
        var y = YAMLLookup(root: map, origin: origin)
        try y.string("app.name", &appName)
        try y.string("app.version", &appVersion)
        try y.bool("app.debug", &debug)
        try y.string("app.host", &host)
        try y.int("app.port", &port)
        try y.string("api.prefix", &apiPrefix)
        try y.string("api.locale", &locale)
        try y.strings("api.cors_allowed_origins", &corsAllowedOrigins)
        try y.string("file.upload_folder", &uploadFolder)
        try y.string("file.output_folder", &outputFolder)
        try y.strings("file.allowed_extensions", &allowedExtensions)
        try y.int("file.max_file_size_mb", &maxFileSizeMB)
        try y.string("excel.default_sheet_name", &defaultSheetName)
        try y.int("excel.max_column_width", &maxColumnWidth)
        try y.bool("excel.include_info_sheet", &includeInfoSheet)
        try y.int("excel.compression_level", &compressionLevel)
        try y.int("excel.max_inflated_mb", &maxInflatedMB)
        try y.int("excel.max_compression_ratio", &maxCompressionRatio)
        try y.string("logging.level", &logLevel)
        try y.string("plugins.directory", &pluginsDirectory)
        try y.strings("plugins.library_path", &pluginLibraryPath)
        try y.bool("server.behind_proxy", &behindProxy)
        try y.int("server.idle_timeout_seconds", &idleTimeoutSeconds)
        try y.int("server.request_read_timeout_seconds", &requestReadTimeoutSeconds)
        try y.int("server.max_concurrent_uploads", &maxConcurrentUploads)
        try y.bool("chat_workflows.enabled", &chatEnabled)
        try y.int("chat_workflows.max_connections", &maxConnections)
        try y.string("chat_workflows.websocket.host", &wsHost)
        try y.int("chat_workflows.websocket.port", &wsPort)
        try y.string("chat_workflows.storage.workflows_path", &workflowsPath)
        try y.string("chat_workflows.storage.dumps_path", &dumpsPath)
        try y.string("chat_workflows.storage.sqlite_path", &sqlitePath)
        try y.string("chat_workflows.partition.strategy", &partitionStrategy)
        try y.string("chat_workflows.backup.snapshot_path", &snapshotPath)
        try y.int("chat_workflows.dump.max_restore_mb", &maxRestoreMB)
        try y.bool("chat_workflows.backup.enabled", &backupEnabled)
        try y.int("chat_workflows.backup.interval_minutes", &backupIntervalMinutes)
        try y.int("chat_workflows.backup.retention_days", &backupRetentionDays)
        try y.int("chat_workflows.file.max_upload_size_mb", &chatMaxUploadMB)
        try y.strings("chat_workflows.file.allowed_extensions", &chatAllowedExtensions)
        try y.int("chat_workflows.execution.max_steps", &maxSteps)
        try y.int("chat_workflows.execution.step_timeout_seconds", &stepTimeoutSeconds)
        try y.bool("web.enabled", &webEnabled)
        try y.string("web.root", &webRoot)
        try validate()
    }

    /// Applies `PYCELIZE_HOST`, `PYCELIZE_PORT`, `PYCELIZE_WS_PORT`, `PYCELIZE_DATA_DIR`, `PYCELIZE_PLUGINS_DIR`,
    /// `PYCELIZE_LOG_LEVEL`, `PYCELIZE_MAX_FILE_SIZE_MB`.
    public mutating func apply(environment env: [String: String]) throws {
        if let v = env["PYCELIZE_HOST"] { host = v }
        if let v = env["PYCELIZE_PORT"] { port = try Self.parseInt(v, "PYCELIZE_PORT") }
        if let v = env["PYCELIZE_WS_PORT"] { wsPort = try Self.parseInt(v, "PYCELIZE_WS_PORT") }
        if let v = env["PYCELIZE_DATA_DIR"] { dataDirectory = v }
        if let v = env["PYCELIZE_PLUGINS_DIR"] { pluginsDirectory = v }
        if let v = env["PYCELIZE_LOG_LEVEL"] { logLevel = v }
        if let v = env["PYCELIZE_MAX_FILE_SIZE_MB"] { maxFileSizeMB = try Self.parseInt(v, "PYCELIZE_MAX_FILE_SIZE_MB") }
        try validate()
    }

    static func parseInt(_ s: String, _ name: String) throws -> Int {
        guard let v = Int(s) else { throw ConfigError("\(name) must be an integer, got '\(s)'") }
        return v
    }

    public func validate() throws {
        guard (0...65535).contains(port), (0...65535).contains(wsPort) else { throw ConfigError("ports must be 0–65535") }
        guard maxFileSizeMB > 0 else { throw ConfigError("file.max_file_size_mb must be positive") }
        guard idleTimeoutSeconds >= 0, requestReadTimeoutSeconds >= 0, maxConcurrentUploads >= 0 else {
            throw ConfigError("server.idle_timeout_seconds, request_read_timeout_seconds and max_concurrent_uploads must be 0 or more")
        }
        guard apiPrefix.hasPrefix("/") else { throw ConfigError("api.prefix must start with '/'") }
        guard (0...9).contains(compressionLevel) else { throw ConfigError("excel.compression_level must be 0–9") }
        guard ["time-based", "hash-based"].contains(partitionStrategy) else {
            throw ConfigError("chat_workflows.partition.strategy must be time-based or hash-based")
        }
    }

    /// Resolves a data path (relative → under the data directory).
    public func dataPath(_ p: String) -> String {
        if p.hasPrefix("/") { return p }
        var rel = p
        while rel.hasPrefix("./") { rel.removeFirst(2) }
        return (dataDirectory as NSString).appendingPathComponent(rel)
    }

    public var maxUploadBytes: Int { maxFileSizeMB << 20 }
}

/// A configuration problem, reported at start-up.
public struct ConfigError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}

/// Dotted-path lookups in a YAML mapping with type checks.
struct YAMLLookup {
    let root: [String: Any]
    let origin: String

    func value(_ path: String) -> Any? {
        var node: Any? = root
        for key in path.split(separator: ".") {
            guard let map = node as? [String: Any] else { return nil }
            node = map[String(key)]
        }
        return node
    }

    mutating func string(_ path: String, _ target: inout String) throws {
        guard let v = value(path) else { return }
        if let s = v as? String { target = s } else if let i = v as? Int { target = String(i) } else {
            throw ConfigError("\(origin): \(path) must be a string")
        }
    }

    mutating func int(_ path: String, _ target: inout Int) throws {
        guard let v = value(path) else { return }
        if let i = v as? Int { target = i } else if let s = v as? String, let i = Int(s) { target = i } else {
            throw ConfigError("\(origin): \(path) must be an integer")
        }
    }

    mutating func bool(_ path: String, _ target: inout Bool) throws {
        guard let v = value(path) else { return }
        guard let b = v as? Bool else { throw ConfigError("\(origin): \(path) must be true or false") }
        target = b
    }

    mutating func strings(_ path: String, _ target: inout [String]) throws {
        guard let v = value(path) else { return }
        guard let a = v as? [Any] else { throw ConfigError("\(origin): \(path) must be a list") }
        target = try a.map {
            guard let s = $0 as? String else { throw ConfigError("\(origin): \(path) must be a list of strings") }
            return s
        }
    }
}
