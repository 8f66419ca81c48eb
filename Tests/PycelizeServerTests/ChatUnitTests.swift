import XCTest
import PycelizeJSON
@testable import PycelizeServer

final class ChatUnitTests: XCTestCase {
    func testPartitionKeys() {
        var config = ServerConfig()
        let time = ChatStorage(config: config)
        XCTAssertEqual(time.partitionKey(chatID: "abcd1234", created: Date(timeIntervalSince1970: 1_770_000_000)), "2026/02")
        config.partitionStrategy = "hash-based"
        XCTAssertEqual(ChatStorage(config: config).partitionKey(chatID: "abcd1234-5678"), "ab/cd")
        XCTAssertEqual(time.key(partition: "2026/02", chatID: "x", "uploads", "a.csv"), "./automation/workflows/2026/02/x/uploads/a.csv")
    }

    func testWebSocketPaths() {
        XCTAssertEqual(WebSocketHub.chatID(path: "/chat/abc", prefix: "/api/v1"), .some("abc"))
        XCTAssertEqual(WebSocketHub.chatID(path: "/chat/abc?x=1", prefix: "/api/v1"), .some("abc"))
        XCTAssertEqual(WebSocketHub.chatID(path: "/api/v1/chat/workflows/abc/ws", prefix: "/api/v1"), .some("abc"))
        XCTAssertEqual(WebSocketHub.chatID(path: "/", prefix: "/api/v1"), .none)
        XCTAssertEqual(WebSocketHub.chatID(path: "/api/v1/chat/workflows/abc", prefix: "/api/v1"), .none)
    }

    func testHubRepliesAndFanOut() async throws {
        let hub = WebSocketHub(maxConnections: 2, logger: .init(label: "t"))
        let a = try XCTUnwrap(hub.connect(chatID: "c1"))
        let b = try XCTUnwrap(hub.connect(chatID: nil))
        XCTAssertNil(hub.connect(chatID: "c1"), "the limit counts unbound connections too")
        XCTAssertEqual(hub.handle(text: #"{"type":"ping"}"#, from: a), #"{"type": "pong"}"#)
        XCTAssertEqual(hub.handle(text: "[1]", from: a).flatMap { try? JSONParser.parse($0) }?["type"], "error")
        _ = hub.handle(text: #"{"type":"subscribe","chat_id":"c1"}"#, from: b)
        hub.publish(chatID: "c1", event: ["type": "progress", "progress": 5])
        hub.publish(chatID: "other", event: ["type": "progress"])
        a.continuation.finish()
        b.continuation.finish()
        var gotA: [String] = []
        for await m in a.stream { gotA.append(m) }
        var gotB: [String] = []
        for await m in b.stream { gotB.append(m) }
        XCTAssertEqual(gotA.count, 1)
        XCTAssertEqual(gotB.count, 1)
        XCTAssertNotNil(try JSONParser.parse(gotA[0])["timestamp"]?.stringValue)
        hub.disconnect(a)
        XCTAssertNotNil(hub.connect(chatID: "c2"))
    }

    func testSlowClientQueueIsBounded() async {
        let hub = WebSocketHub(maxConnections: 1, logger: .init(label: "t"))
        guard let c = hub.connect(chatID: "c") else { return XCTFail("no connection") }
        for i in 0..<(WebSocketHub.maxQueuedMessages + 100) { hub.publish(chatID: "c", event: ["n": .int(Int64(i))]) }
        c.continuation.finish()
        var received: [Int64] = []
        for await m in c.stream { received.append((try? JSONParser.parse(m))?["n"]?.intValue ?? -1) }
        XCTAssertEqual(received.count, WebSocketHub.maxQueuedMessages)
        XCTAssertEqual(received.last, Int64(WebSocketHub.maxQueuedMessages + 99), "the newest messages are kept")
    }

    func testProgressThrottle() {
        let t = ProgressThrottle()
        XCTAssertEqual(t.accept(0.25), 25)
        XCTAssertNil(t.accept(0.5), "within 100 ms")
        XCTAssertNil(t.accept(0.1), "never goes back")
    }
}
