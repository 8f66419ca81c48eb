import Foundation
import HummingbirdWSClient
import Logging
import XCTest

/// The WebSocket protocol against the real server, message by message.
final class WebSocketTests: XCTestCase {
    nonisolated(unsafe) static var server: ServerHarness?

    override class func setUp() {
        super.setUp()
        do {
            server = try ServerHarness(configYAML: "server:\n  behind_proxy: true\nchat_workflows:\n  max_connections: 3\n")
        } catch { XCTFail("could not start the server: \(error)") }
    }

    override class func tearDown() {
        server?.stop()
        super.tearDown()
    }

    var server: ServerHarness { get throws { try XCTUnwrap(Self.server) } }

    /// Thread-safe message log shared with the client closure.
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [[String: Any]] = []
        func append(_ text: String) {
            let obj = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? ["raw": text]
            lock.withLock { items.append(obj) }
        }
        var all: [[String: Any]] { lock.withLock { items } }
        var types: [String] { all.map { $0["type"] as? String ?? "?" } }
    }

    /// Connects to `path`, runs `script` (send frames), and collects messages until `until` is satisfied or 20 s pass.
    func session(_ path: String, port: Int? = nil, send: [String] = [], during: (@Sendable () throws -> Void)? = nil,
                 until: @escaping @Sendable (Log) -> Bool) async throws -> Log {
        try await Self.session(path, port: try port ?? server.wsPort, send: send, during: during, until: until)
    }

    static func session(_ path: String, port: Int, send: [String] = [], during: (@Sendable () throws -> Void)? = nil,
                        until: @escaping @Sendable (Log) -> Bool) async throws -> Log {
        let log = Log()
        let url = "ws://127.0.0.1:\(port)\(path)"
        try await WebSocketClient.connect(url: url, logger: Logger(label: "test-ws")) { inbound, outbound, _ in
            let reader = Task {
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let t) = message { log.append(t) }
                    if until(log) { break }
                }
            }
            while log.all.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            for frame in send { try await outbound.write(.text(frame)) }
            if let during { try await Task.detached { try during() }.value }
            let deadline = Date().addingTimeInterval(20)
            while !until(log) && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            reader.cancel()
            try await outbound.close(.normalClosure, reason: nil)
        }
        return log
    }

    func testClientMessages() async throws {
        let log = try await session("/chat/abc", send: [#"{"type":"ping"}"#, #"{"type":"hello","x":1}"#, "not json",
                                                        #"{"type":"subscribe","chat_id":"def"}"#]) { $0.all.count >= 5 }
        XCTAssertEqual(log.types, ["connected", "pong", "ack", "error", "connected"])
        XCTAssertEqual(log.all[0]["chat_id"] as? String, "abc")
        XCTAssertNotNil(log.all[0]["timestamp"] as? String)
        XCTAssertEqual((log.all[2]["original"] as? [String: Any])?["x"] as? Int, 1)
        XCTAssertEqual(log.all[3]["message"] as? String, "Invalid JSON")
        XCTAssertEqual(log.all[4]["chat_id"] as? String, "def")
    }

    func testWorkflowEventsOnBothPorts() async throws {
        let server = try self.server
        let created = try server.request("POST", "/api/v1/chat/workflows")
        let id = try XCTUnwrap(created.data["chat_id"] as? String)
        var csv = "id,name\n"
        for i in 0..<20_000 { csv += "\(i),name \(i)\n" }
        _ = try server.postForm("/api/v1/chat/workflows/\(id)/upload", files: ["file": ("big.csv", Data(csv.utf8))])
        let execute: @Sendable () throws -> Void = {
            let r = try server.request("POST", "/api/v1/chat/workflows/\(id)/execute",
                                       body: Data(#"{"steps":[{"operation":"csv/convert-to-excel"},{"operation":"csv/info"}]}"#.utf8),
                                       headers: ["Content-Type": "application/json"])
            XCTAssertEqual(r.status, 200, r.message)
        }
        let finished: @Sendable (Log) -> Bool = { $0.types.contains("workflow_completed") || $0.types.contains("workflow_failed") }
        for (path, port) in [("/chat/\(id)", server.wsPort), ("/api/v1/chat/workflows/\(id)/ws", server.port)] {
            let log = try await session(path, port: port, during: execute, until: finished)
            let types = log.types
            XCTAssertEqual(types.first, "connected", path)
            XCTAssertEqual(types[1], "workflow_started", path)
            XCTAssertEqual(types.last, "workflow_completed", path)
            let progress = log.all.filter { $0["type"] as? String == "progress" }
            XCTAssertEqual(progress.first?["progress"] as? Int, 0)
            XCTAssertEqual(progress.first?["status"] as? String, "running")
            XCTAssertEqual(progress.first?["message"] as? String, "Starting step execution")
            XCTAssertEqual(progress.first?["operation"] as? String, "csv/convert-to-excel")
            XCTAssertEqual(progress.filter { $0["status"] as? String == "completed" }.count, 2, "one per step")
            let percents = progress.compactMap { $0["progress"] as? Int }
            XCTAssertTrue(percents.contains { $0 > 0 && $0 < 100 }, "real intermediate progress: \(percents)")
            XCTAssertEqual(log.all.last?["output_files_count"] as? Int, 1)
            XCTAssertEqual(log.all.last?["total_steps"] as? Int, 2)
            XCTAssertTrue(log.all.allSatisfy { $0["timestamp"] is String || $0["type"] as? String == "pong" })
        }
    }

    /// With `server.behind_proxy`, download URLs use the proxy's scheme and host.
    func testForwardedHeadersBuildDownloadURLs() throws {
        let server = try self.server
        let id = try XCTUnwrap(try server.request("POST", "/api/v1/chat/workflows").data["chat_id"] as? String)
        let boundary = "b-\(UUID().uuidString)"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\na\n1\n\r\n".utf8)
        body.append(Data("--\(boundary)--\r\n".utf8))
        let r = try server.request("POST", "/api/v1/chat/workflows/\(id)/upload", body: body, headers: [
            "Content-Type": "multipart/form-data; boundary=\(boundary)",
            "X-Forwarded-Proto": "https", "X-Forwarded-Host": "sheets.example.com",
        ])
        XCTAssertEqual(r.data["download_url"] as? String, "https://sheets.example.com/api/v1/chat/workflows/\(id)/files/a.csv")
        let many = "[" + Array(repeating: #"{"operation":"csv/info"}"#, count: 51).joined(separator: ",") + "]"
        let tooMany = try server.request("POST", "/api/v1/chat/workflows/\(id)/execute", body: Data("{\"steps\": \(many)}".utf8),
                                         headers: ["Content-Type": "application/json"])
        XCTAssertEqual(tooMany.status, 422)
        XCTAssertTrue(tooMany.message.contains("Too many steps"), tooMany.message)
    }

    func testMaxConnectionsCountsEveryConnection() async throws {
        // max_connections is 3: hold three (two unbound), the fourth is refused.
        let port = try server.wsPort
        let holders = (0..<3).map { i in
            Task { try await Self.session(i == 0 ? "/chat/x" : "/other\(i)", port: port) { _ in false } }
        }
        try await Task.sleep(for: .milliseconds(500))
        let refused = try await session("/chat/y") { $0.all.count >= 1 }
        XCTAssertEqual(refused.all.first?["type"] as? String, "error")
        XCTAssertEqual(refused.all.first?["message"] as? String, "Maximum connections reached")
        for h in holders { h.cancel() }
    }
}
