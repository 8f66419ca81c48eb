import Foundation
import Logging
import PycelizeJSON

/// Fans workflow events out to WebSocket clients, by chat id.
///
/// Every connection gets a bounded outgoing queue (`maxQueuedMessages`): a slow client never blocks an execution;
/// when its queue is full the oldest undelivered messages are dropped (progress is superseded by later progress,
/// and the final `workflow_completed`/`workflow_failed` is always the newest). `max_connections` counts every open
/// connection, bound to a chat or not.
public final class WebSocketHub: WorkflowEventSink, @unchecked Sendable {
    public static let maxQueuedMessages = 256

    final class Connection: @unchecked Sendable {
        let id: UUID
        var chatID: String?
        let continuation: AsyncStream<String>.Continuation
        let stream: AsyncStream<String>

        init(chatID: String?) {
            id = UUID()
            self.chatID = chatID
            let (stream, continuation) = AsyncStream.makeStream(of: String.self,
                                                                bufferingPolicy: .bufferingNewest(WebSocketHub.maxQueuedMessages))
            self.stream = stream
            self.continuation = continuation
        }
    }

    private let lock = NSLock()
    private var connections: [UUID: Connection] = [:]
    let maxConnections: Int
    let logger: Logger

    public init(maxConnections: Int, logger: Logger) {
        self.maxConnections = maxConnections
        self.logger = logger
    }

    /// Registers a connection, or returns nil when the limit is reached.
    func connect(chatID: String?) -> Connection? {
        lock.withLock {
            guard connections.count < maxConnections else { return nil }
            let c = Connection(chatID: chatID)
            connections[c.id] = c
            return c
        }
    }

    func disconnect(_ c: Connection) {
        lock.withLock { _ = connections.removeValue(forKey: c.id) }
        c.continuation.finish()
    }

    func subscribe(_ c: Connection, to chatID: String) {
        lock.withLock { c.chatID = chatID }
    }

    var connectionCount: Int { lock.withLock { connections.count } }

    /// Adds `timestamp` (naive UTC ISO, as the original) and queues the event for every connection on the chat.
    public func publish(chatID: String, event: JSONValue) {
        let text = WebSocketHub.encode(event.setting("timestamp", .string(ChatClock.now())))
        let targets = lock.withLock { connections.values.filter { $0.chatID == chatID } }
        for c in targets { c.continuation.yield(text) }
    }

    static func encode(_ value: JSONValue) -> String { JSONSerializer.string(value) }

    // MARK: Client messages

    /// The reply to one client text frame (nil = no reply), updating the subscription for `subscribe`.
    func handle(text: String, from c: Connection) -> String? {
        guard let value = try? JSONParser.parse(text) else {
            return WebSocketHub.encode(["type": "error", "message": "Invalid JSON"])
        }
        guard case .object = value else {
            return WebSocketHub.encode(["type": "error", "message": "Messages must be JSON objects"])
        }
        switch value["type"]?.stringValue {
        case "ping":
            return WebSocketHub.encode(["type": "pong"])
        case "subscribe":
            guard let chatID = value["chat_id"]?.stringValue, !chatID.isEmpty else { return nil }
            subscribe(c, to: chatID)
            return WebSocketHub.encode(["type": "connected", "chat_id": .string(chatID), "timestamp": .string(ChatClock.now())])
        default:
            return WebSocketHub.encode(["type": "ack", "original": value])
        }
    }

    /// The chat id of a WebSocket path: `/chat/{id}` (the WebSocket port) or `{prefix}/chat/workflows/{id}/ws`
    /// (the REST port). Other paths on the WebSocket port are accepted unbound, as the original did.
    static func chatID(path: String, prefix: String) -> String?? {
        let clean = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        let parts = clean.split(separator: "/").map(String.init)
        if parts.count >= 2, parts[0] == "chat" { return .some(parts[1]) }
        let prefixParts = prefix.split(separator: "/").map(String.init)
        if parts.count == prefixParts.count + 4, Array(parts.prefix(prefixParts.count)) == prefixParts,
           parts[prefixParts.count] == "chat", parts[prefixParts.count + 1] == "workflows", parts.last == "ws" {
            return .some(parts[prefixParts.count + 2])
        }
        return .none
    }
}
