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
        discussion: """
        `pycelize serve` (the default) starts the server. `pycelize run` and `pycelize workflow run` call the same \
        operations on local files without a server; `pycelize plugins check` tells a plugin author whether the server \
        would load a library.
        """,
        subcommands: [Serve.self, Run.self, Workflow.self, Plugins.self, Bench.self],
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

    @OptionGroup var common: ConfigOptions
    @Option(help: "Address to bind the REST server to.")
    var host: String?
    @Option(help: "REST port (0 picks a free port; the banner prints it).")
    var port: Int?
    @Option(name: .customLong("ws-port"), help: "WebSocket port.")
    var wsPort: Int?
    @Option(name: .customLong("data-dir"), help: "Folder that relative data paths (uploads, outputs, automation) resolve against.")
    var dataDir: String?

    func run() async throws {
        let cfg = try common.load { cfg in
            if let host { cfg.host = host }
            if let port { cfg.port = port }
            if let wsPort { cfg.wsPort = wsPort }
            if let dataDir { cfg.dataDirectory = dataDir }
        }
        let logger = ConfigOptions.bootstrapLogging(Logger.Level(rawValue: cfg.logLevel.lowercased()) ?? .info)
        try await PycelizeServer.run(config: cfg, logger: logger)
    }
}
