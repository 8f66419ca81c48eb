import ArgumentParser
import Foundation
import Logging
import PycelizeServer

/// `pycelize` — the command-line entry point.
@main
struct PycelizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pycelize",
        abstract: "A fast Excel/CSV processing server whose operations are C-ABI plugins.",
        subcommands: [Serve.self, Bench.self],
        defaultSubcommand: Serve.self
    )
}

/// `pycelize serve`: start the REST server with the plugins enabled in the plugins directory.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the server.",
        discussion: """
        Configuration precedence: embedded defaults < YAML file < PYCELIZE_* environment variables < flags.
        Environment: PYCELIZE_CONFIG, PYCELIZE_HOST, PYCELIZE_PORT, PYCELIZE_WS_PORT, PYCELIZE_DATA_DIR,
        PYCELIZE_PLUGINS_DIR, PYCELIZE_LOG_LEVEL, PYCELIZE_MAX_FILE_SIZE_MB.
        """
    )

    @Option(help: "YAML configuration file (default: ./configs/application.yml if present, else embedded defaults).")
    var config: String?
    @Option(help: "Address to bind the REST server to.")
    var host: String?
    @Option(help: "REST port (0 picks a free port; the banner prints it).")
    var port: Int?
    @Option(name: .customLong("ws-port"), help: "WebSocket port.")
    var wsPort: Int?
    @Option(name: .customLong("data-dir"), help: "Folder that relative data paths (uploads, outputs, automation) resolve against.")
    var dataDir: String?
    @Option(name: .customLong("plugins-dir"), help: "Folder of plugin files (default: plugins.d).")
    var pluginsDir: String?

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        var cfg = ServerConfig()
        let file = config ?? env["PYCELIZE_CONFIG"]
            ?? (FileManager.default.fileExists(atPath: "configs/application.yml") ? "configs/application.yml" : nil)
        do {
            if let file { try cfg.apply(yamlFile: file) }
            try cfg.apply(environment: env)
            if let host { cfg.host = host }
            if let port { cfg.port = port }
            if let wsPort { cfg.wsPort = wsPort }
            if let dataDir { cfg.dataDirectory = dataDir }
            if let pluginsDir { cfg.pluginsDirectory = pluginsDir }
            try cfg.validate()
        } catch {
            throw ValidationError("\(error)")
        }
        let level = Logger.Level(rawValue: cfg.logLevel.lowercased()) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "pycelize")
        logger.logLevel = level
        try await PycelizeServer.run(config: cfg, logger: logger)
    }
}
