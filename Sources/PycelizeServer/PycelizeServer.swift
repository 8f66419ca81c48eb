import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import ServiceLifecycle
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

    /// The engine settings of `config` (the `excel.*` keys).
    static func tableSettings(_ config: ServerConfig) -> TableSettings {
        var settings = TableSettings()
        settings.defaultSheetName = config.defaultSheetName
        settings.includeInfoSheet = config.includeInfoSheet
        settings.maxColumnWidth = config.maxColumnWidth
        settings.compressionLevel = config.compressionLevel
        settings.zipLimits = ZipLimits(maxTotalInflatedBytes: Int64(config.maxInflatedMB) << 20,
                                       maxCompressionRatio: Int64(config.maxCompressionRatio))
        return settings
    }

    /// Loads plugins and wires the services (no sockets yet).
    public static func makeServices(config: ServerConfig, logger: Logger) throws -> ServerServices {
        let fm = FileManager.default
        for dir in [config.uploadFolder, config.outputFolder] {
            try fm.createDirectory(atPath: config.dataPath(dir), withIntermediateDirectories: true)
        }
        let loader = PluginLoader(searchPath: librarySearchPath(config), logger: logger)
        loader.loadDirectory(config.pluginsDirectory)
        return ServerServices(
            config: config,
            runner: OperationRunner(settings: tableSettings(config), logger: logger),
            envelope: Envelope(apiVersion: config.appVersion, locale: config.locale),
            urls: DownloadURLs(prefix: config.apiPrefix, behindProxy: config.behindProxy,
                               fallbackHost: "\(config.host):\(config.port)"),
            plugins: loader.records,
            operations: loader.operationOrder.compactMap { loader.operations[$0] },
            logger: logger,
            uploads: UploadSlots(limit: config.maxConcurrentUploads))
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
        router.add(middleware: CORSHeadersMiddleware(prefix: services.config.apiPrefix, allowedOrigins: services.config.corsAllowedOrigins))
        router.add(middleware: EnvelopeErrorMiddleware(envelope: services.envelope))
        let readTimeout = services.config.requestReadTimeoutSeconds
        router.add(middleware: UploadGuardMiddleware(slots: services.uploads, readTimeout: readTimeout > 0 ? .seconds(readTimeout) : nil,
                                                     envelope: services.envelope))
        var table = RouteTable(router: router)
        ServerRoutes.register(&table, services: services)
        ChatRoutes.register(&table, services: services, chat: chat)
        PreviewRoutes.register(&table, services: services, chat: chat)
        WorkbenchRoutes.register(&table, config: services.config, logger: services.logger)
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

    /// Runs until the process is asked to stop (SIGINT/SIGTERM). Prints the start-up banner once both sockets are
    /// bound: the REST server (which also upgrades `{prefix}/chat/workflows/{id}/ws`) and, when chat workflows are
    /// enabled, the WebSocket server (`/chat/{id}`).
    public static func run(config: ServerConfig, logger: Logger) async throws {
        let services = try makeServices(config: config, logger: logger)
        let hub = WebSocketHub(maxConnections: config.maxConnections, logger: logger)
        let chat = try makeChat(services: services, events: hub)
        let router = makeRouter(services: services, chat: chat)
        let ports = PortReport(expected: chat == nil ? 1 : 2) { rest, ws in
            BannerPrinter.print(banner(services: services, port: rest, wsPort: ws))
        }
        // Slow and idle clients: see docs/threat-model.md. The idle timeout applies before the first request head
        // (RequestHeadDeadlineHandler), between requests and mid-body (Hummingbird's HTTPConnectionStateHandler).
        let idle: TimeAmount? = config.idleTimeoutSeconds > 0 ? .seconds(Int64(config.idleTimeoutSeconds)) : nil
        let http1 = HTTP1Channel.Configuration(additionalChannelHandlers: [ExpectContinueHandler(maxBodyBytes: config.maxUploadBytes)],
                                               idleTimeout: idle)
        let restUpgrade = WebSocketEndpoint.shouldUpgrade(hub: hub, prefix: config.apiPrefix, restPort: true)
        let server: HTTPServerBuilder = chat == nil
            ? .withHeadDeadline(idle) { HTTP1Channel(responder: $0, configuration: http1) }
            : .withHeadDeadline(idle) { HTTP1WebSocketUpgradeChannel(responder: $0, configuration: .init(http1: http1), shouldUpgrade: restUpgrade) }
        let app = Application(
            router: router, server: server,
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Pycelize"),
            onServerRunning: { channel in ports.rest(channel.localAddress?.port ?? config.port) },
            logger: logger)
        var apps: [any Service] = [app]
        if chat != nil {
            let wsRouter = Router()
            wsRouter.get("/") { _, _ in "Pycelize WebSocket server: connect to /chat/{chat_id}" }
            apps.append(Application(
                router: wsRouter,
                server: .withHeadDeadline(idle) { [wsUpgrade = WebSocketEndpoint.shouldUpgrade(hub: hub, prefix: config.apiPrefix, restPort: false)] in
                    HTTP1WebSocketUpgradeChannel(responder: $0, configuration: .init(http1: .init(idleTimeout: idle)), shouldUpgrade: wsUpgrade)
                },
                configuration: .init(address: .hostname(config.wsHost, port: config.wsPort), serverName: "Pycelize-WS"),
                onServerRunning: { channel in ports.ws(channel.localAddress?.port ?? config.wsPort) },
                logger: logger))
        }
        if let chat, config.backupEnabled, config.backupIntervalMinutes > 0 {
            apps.append(SnapshotService(chat: chat, interval: config.backupIntervalMinutes, retentionDays: config.backupRetentionDays,
                                        logger: logger))
        }
        let group = ServiceGroup(configuration: .init(services: apps.map { .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup) },
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    static func banner(services: ServerServices, port: Int, wsPort: Int?) -> String {
        let c = services.config
        var lines = [
            "Pycelize - Excel/CSV Processing API",
            "  Version:    \(c.appVersion)",
            "  REST API:   http://\(c.host):\(port)\(c.apiPrefix)",
            wsPort.map { "  WebSocket:  ws://\(c.wsHost):\($0)/chat/{chat_id} (also \(c.apiPrefix)/chat/workflows/{chat_id}/ws on the REST port)" }
                ?? "  WebSocket:  off (chat_workflows.enabled is false)",
            "  Config:     \(c.source)",
            "  Data dir:   \(c.dataDirectory)",
            "  Plugins:    \(c.pluginsDirectory)",
        ]
        for p in services.plugins {
            let detail = p.status == .loaded ? "\(p.operations.count) operation(s): \(p.operations.joined(separator: ", "))"
                                             : (p.reason ?? "")
            lines.append("    - \(p.name) [\(p.status.rawValue)] \(detail)")
        }
        if let wsPort { lines.append("WebSocket listening on ws://\(c.wsHost):\(wsPort)") }
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

/// Collects the bound ports of the REST and WebSocket servers and reports once all are known.
final class PortReport: @unchecked Sendable {
    private let lock = NSLock()
    private var restPort: Int?
    private var wsPort: Int?
    private let expected: Int
    private let report: @Sendable (Int, Int?) -> Void

    init(expected: Int, report: @escaping @Sendable (Int, Int?) -> Void) {
        self.expected = expected
        self.report = report
    }

    func rest(_ port: Int) { update { $0.restPort = port } }
    func ws(_ port: Int) { update { $0.wsPort = port } }

    private func update(_ body: (PortReport) -> Void) {
        let ready: (Int, Int?)? = lock.withLock {
            body(self)
            let count = (restPort == nil ? 0 : 1) + (wsPort == nil ? 0 : 1)
            guard count == expected, let rest = restPort else { return nil }
            return (rest, wsPort)
        }
        if let (rest, ws) = ready { report(rest, ws) }
    }
}

/// Periodic database snapshots (`chat_workflows.backup.*`): every `interval` minutes a backup through SQLite's
/// online backup API, then snapshots older than `retention_days` are pruned.
struct SnapshotService: Service {
    let chat: ChatService
    let interval: Int
    let retentionDays: Int
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled {
            // Ends at once on SIGTERM/SIGINT instead of holding up the shutdown for the rest of the interval.
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(interval * 60)) } } catch { return }
            do {
                let (name, _) = try chat.backup()
                let pruned = chat.pruneSnapshots(olderThan: retentionDays)
                logger.info("database snapshot \(name) written; \(pruned) old snapshot(s) pruned")
            } catch {
                logger.error("periodic database snapshot failed: \(error)")
            }
        }
    }
}
