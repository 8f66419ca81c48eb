import ArgumentParser
import Foundation
import Logging
import PycelizeServer

/// The configuration flags every subcommand shares: where the YAML file and the plugins are.
struct ConfigOptions: ParsableArguments {
    @Option(help: "YAML configuration file (default: ./configs/application.yml if present, else embedded defaults).")
    var config: String?
    @Option(name: .customLong("plugins-dir"), help: "Folder of plugin files (default: plugins.d).")
    var pluginsDir: String?

    /// Embedded defaults < YAML file < PYCELIZE_* environment < these flags < `adjust` (the subcommand's own flags).
    func load(_ adjust: (inout ServerConfig) -> Void = { _ in }) throws -> ServerConfig {
        let env = ProcessInfo.processInfo.environment
        var cfg = ServerConfig()
        let file = config ?? env["PYCELIZE_CONFIG"]
            ?? (FileManager.default.fileExists(atPath: "configs/application.yml") ? "configs/application.yml" : nil)
        do {
            if let file { try cfg.apply(yamlFile: file) }
            try cfg.apply(environment: env)
            if let pluginsDir { cfg.pluginsDirectory = pluginsDir }
            adjust(&cfg)
            try cfg.validate()
        } catch {
            throw ValidationError("\(error)")
        }
        return cfg
    }

    /// Sends log lines at `level` and above to standard error (once per process).
    static func bootstrapLogging(_ level: Logger.Level) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "pycelize")
        logger.logLevel = level
        return logger
    }
}
