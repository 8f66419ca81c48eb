import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import NIOCore
import Logging
import PycelizeJSON

/// The WebSocket protocol of the original (`connected`, `ping`→`pong`, `subscribe`, `ack`, `error`, pushed
/// workflow events), served both on the WebSocket port (`/chat/{chat_id}`) and on the REST port
/// (`{prefix}/chat/workflows/{chat_id}/ws`) so one proxy can serve both.
enum WebSocketEndpoint {
    /// The `shouldUpgrade` function for an HTTP server. `restPort`: only the REST-port path upgrades.
    static func shouldUpgrade(hub: WebSocketHub, prefix: String, restPort: Bool)
        -> @Sendable (HTTPRequest, any Channel, Logger) throws -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        { request, _, _ in
            let path = request.path ?? "/"
            let target = WebSocketHub.chatID(path: path, prefix: prefix)
            let chatID: String?
            switch target {
            case .some(let id): chatID = id
            case .none:
                if restPort { return .dontUpgrade }
                chatID = nil
            }
            if restPort && !path.hasPrefix(prefix) { return .dontUpgrade }
            return .upgrade([:]) { inbound, outbound, _ in
                try await session(hub: hub, chatID: chatID, inbound: inbound, outbound: outbound)
            }
        }
    }

    static func session(hub: WebSocketHub, chatID: String?, inbound: WebSocketInboundStream,
                        outbound: WebSocketOutboundWriter) async throws {
        guard let connection = hub.connect(chatID: chatID) else {
            try await outbound.write(.text(WebSocketHub.encode(["type": "error", "message": "Maximum connections reached"])))
            try await outbound.close(.policyViolation, reason: "Maximum connections reached")
            return
        }
        defer { hub.disconnect(connection) }
        try await outbound.write(.text(WebSocketHub.encode([
            "type": "connected", "chat_id": chatID.map(JSONValue.string) ?? .null, "timestamp": .string(ChatClock.now()),
        ])))
        try await withThrowingTaskGroup(of: Void.self) { group in
            // Pushes: the connection's bounded queue, written in order.
            group.addTask {
                for await text in connection.stream { try await outbound.write(.text(text)) }
            }
            // Client messages; replies go through the same queue so frames never interleave.
            group.addTask {
                for try await message in inbound.messages(maxSize: 1 << 16) {
                    guard case .text(let text) = message else { continue }
                    if let reply = hub.handle(text: text, from: connection) { connection.continuation.yield(reply) }
                }
                connection.continuation.finish()
            }
            try await group.next()
            group.cancelAll()
        }
    }
}
