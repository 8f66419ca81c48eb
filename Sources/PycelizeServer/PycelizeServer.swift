import Foundation
import Hummingbird
import Logging
import NIOCore
import TableIO

/// Builds and runs the Pycelize server: loads plugins, registers routes, serves HTTP.
public enum PycelizeServer {
    /// Folders searched for plugin libraries named by bare name: the configured ones, then the executable's own
    /// folder (where `swift build` puts the bundled plugins), then `../lib/pycelize` beside it.
    public static func librarySearchPath(_ config: ServerConfig) -> [String] {
        var paths = config.pluginLibraryPath
        let exe = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                      ?? CommandLine.arguments[0]).deletingLastPathComponent()
        paths.append(exe.path)
        paths.append(exe.appendingPathComponent("../lib/pycelize").standardizedFileURL.path)
        return paths
    }

    /// Loads plugins and wires the services (no sockets yet).
    public static func makeServices(config: ServerConfig, logger: Logger) throws -> ServerServices {
        let fm = FileManager.default
        for dir in [config.uploadFolder, config.outputFolder] {
            try fm.createDirectory(atPath: config.dataPath(dir), withIntermediateDirectories: true)
        }
        let loader = PluginLoader(searchPath: librarySearchPath(config), logger: logger)
        loader.loadDirectory(config.pluginsDirectory)
        var settings = TableSettings()
        settings.defaultSheetName = config.defaultSheetName
        settings.includeInfoSheet = config.includeInfoSheet
        settings.maxColumnWidth = config.maxColumnWidth
        settings.compressionLevel = config.compressionLevel
        settings.zipLimits = ZipLimits(maxTotalInflatedBytes: Int64(config.maxInflatedMB) << 20,
                                       maxCompressionRatio: Int64(config.maxCompressionRatio))
        return ServerServices(
            config: config,
            runner: OperationRunner(settings: settings, logger: logger),
            envelope: Envelope(apiVersion: config.appVersion, locale: config.locale),
            urls: DownloadURLs(prefix: config.apiPrefix, behindProxy: config.behindProxy,
                               fallbackHost: "\(config.host):\(config.port)"),
            plugins: loader.records,
            operations: loader.operationOrder.compactMap { loader.operations[$0] },
            logger: logger)
    }

    /// The router with every route and middleware.
    /// Opens the chat store (migrating it), marks runs interrupted by a crash as failed, and builds the service.
    public static func makeChat(services: ServerServices, events: any WorkflowEventSink = NullEventSink()) throws -> ChatService? {
        guard services.config.chatEnabled else { return nil }
        let config = services.config
        for dir in [config.workflowsPath, config.dumpsPath, config.snapshotPath] {
            try FileManager.default.createDirectory(atPath: config.dataPath(dir), withIntermediateDirectories: true)
        }
        let store = try SQLiteConversationStore(path: config.dataPath(config.sqlitePath))
        let recovered = try store.recoverInterruptedRuns()
        if recovered > 0 { services.logger.warning("marked \(recovered) interrupted workflow step(s)/conversation(s) as failed") }
        return ChatService(services: services, store: store, events: events)
    }

    public static func makeRouter(services: ServerServices, chat: ChatService? = nil) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: CORSHeadersMiddleware(prefix: services.config.apiPrefix))
        router.add(middleware: EnvelopeErrorMiddleware(envelope: services.envelope))
        var table = RouteTable(router: router)
        ServerRoutes.register(&table, services: services)
        ChatRoutes.register(&table, services: services, chat: chat)
        for op in services.operations {
            let endpoint = OperationEndpoint(operation: op, services: services)
            let path = "\(services.config.apiPrefix)/\(op.name)"
            table.add(.post, path) { request, context in try await endpoint.handle(request, context: context) }
            if !op.needsInput && !op.twoInputs {
                table.add(.get, path) { request, context in try await endpoint.handle(request, context: context) }
            }
        }
        table.finish()
        return router
    }

    /// Runs until the process is asked to stop. Prints the start-up banner once the socket is bound.
    public static func run(config: ServerConfig, logger: Logger) async throws {
        let services = try makeServices(config: config, logger: logger)
        let chat = try makeChat(services: services)
        let router = makeRouter(services: services, chat: chat)
        let app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [ExpectContinueHandler(maxBodyBytes: config.maxUploadBytes)])),
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Pycelize"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? config.port
                BannerPrinter.print(banner(services: services, port: port))
            },
            logger: logger)
        try await app.runService()
    }

    static func banner(services: ServerServices, port: Int) -> String {
        let c = services.config
        var lines = [
            "Pycelize - Excel/CSV Processing API",
            "  Version:    \(c.appVersion)",
            "  REST API:   http://\(c.host):\(port)\(c.apiPrefix)",
            "  WebSocket:  ws://\(c.wsHost):\(c.wsPort) (chat workflows: not available in this build yet)",
            "  Config:     \(c.source)",
            "  Data dir:   \(c.dataDirectory)",
            "  Plugins:    \(c.pluginsDirectory)",
        ]
        for p in services.plugins {
            let detail = p.status == .loaded ? "\(p.operations.count) operation(s): \(p.operations.joined(separator: ", "))"
                                             : (p.reason ?? "")
            lines.append("    - \(p.name) [\(p.status.rawValue)] \(detail)")
        }
        lines.append("Listening on http://\(c.host):\(port)")
        return lines.joined(separator: "\n")
    }
}

/// Writes the banner to standard output and flushes it (tests and supervisors read it line by line).
enum BannerPrinter {
    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
