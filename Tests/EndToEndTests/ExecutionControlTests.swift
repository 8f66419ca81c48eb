import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// Concurrency, timeouts and crash recovery of workflow executions, with a slow plugin written in C.
final class ExecutionControlTests: XCTestCase {
    /// Folders of the compiled C plugins, removed after each test.
    private var pluginFolders: [URL] = []

    override func tearDown() {
        for folder in pluginFolders { try? FileManager.default.removeItem(at: folder) }
        pluginFolders = []
        super.tearDown()
    }

    func startServer(root: URL? = nil, timeout: Int = 300) throws -> ServerHarness {
        let libs = FileManager.default.temporaryDirectory.appendingPathComponent("pz-slow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: libs, withIntermediateDirectories: true)
        pluginFolders.append(libs)
        let slow = try CPluginBuilder.build(into: libs, name: "cslow", source: "slow_plugin.c")
        let filter = try CPluginBuilder.build(into: libs, name: "cfilter")
        return try ServerHarness(pluginFiles: ["60-slow.yml": "library: \(slow.path)\n", "61-filter.yml": "library: \(filter.path)\n"],
                                 configYAML: "chat_workflows:\n  execution:\n    step_timeout_seconds: \(timeout)\n", reuseRoot: root)
    }

    func newConversation(_ server: ServerHarness) throws -> String {
        let id = try XCTUnwrap(try server.request("POST", "/api/v1/chat/workflows").data["chat_id"] as? String)
        _ = try server.postForm("/api/v1/chat/workflows/\(id)/upload", files: ["file": ("a.csv", Data("a\n1\n".utf8))])
        return id
    }

    func executeAsync(_ server: ServerHarness, _ id: String, _ steps: String) -> Task<ServerHarness.Reply, Error> {
        Task.detached {
            try server.request("POST", "/api/v1/chat/workflows/\(id)/execute", body: Data("{\"steps\": \(steps)}".utf8),
                               headers: ["Content-Type": "application/json"])
        }
    }

    func testSecondExecuteIs409AndOtherConversationsRunConcurrently() async throws {
        let server = try startServer()
        defer { server.stop() }
        let a = try newConversation(server)
        let b = try newConversation(server)
        let first = executeAsync(server, a, #"[{"operation":"ctest/slow","arguments":{"seconds":2}}]"#)
        try await Task.sleep(for: .milliseconds(400))
        let second = try server.request("POST", "/api/v1/chat/workflows/\(a)/execute",
                                        body: Data(#"{"steps":[{"operation":"csv/info"}]}"#.utf8), headers: ["Content-Type": "application/json"])
        XCTAssertEqual(second.status, 409)
        XCTAssertEqual(try server.get("/api/v1/chat/workflows/\(a)").data["status"] as? String, "processing")
        // Another conversation and the health check answer while the slow step runs.
        let started = Date()
        let other = try server.request("POST", "/api/v1/chat/workflows/\(b)/execute",
                                       body: Data(#"{"steps":[{"operation":"csv/info"}]}"#.utf8), headers: ["Content-Type": "application/json"])
        XCTAssertEqual(other.status, 200)
        XCTAssertEqual(try server.get("/api/v1/health").status, 200)
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.5)
        let done = try await first.value
        XCTAssertEqual(done.status, 200, done.message)
        XCTAssertEqual(try server.get("/api/v1/chat/workflows/\(a)").data["status"] as? String, "completed")
    }

    /// A third-party C operation chains with bundled ones exactly like a bundled one, and its errors carry through.
    func testThirdPartyOperationInAChain() throws {
        let server = try startServer()
        defer { server.stop() }
        let id = try XCTUnwrap(try server.request("POST", "/api/v1/chat/workflows").data["chat_id"] as? String)
        let csv = "id,status\n1,active\n2,inactive\n3,active\n"
        _ = try server.postForm("/api/v1/chat/workflows/\(id)/upload", files: ["file": ("people.csv", Data(csv.utf8))])
        let ok = try server.request("POST", "/api/v1/chat/workflows/\(id)/execute", body: Data(#"{"steps":[{"operation":"csv/convert-to-excel"},{"operation":"ctest/filter-rows","arguments":{"column":"status","value":"active"}},{"operation":"csv/info"}]}"#.utf8), headers: ["Content-Type": "application/json"])
        XCTAssertEqual(ok.status, 200, ok.message)
        let results = try XCTUnwrap(ok.data["results"] as? [[String: Any]])
        XCTAssertEqual(results[1]["filtered_rows"] as? Int, 2)
        let filtered = results[1]["output_file_path"] as? String ?? ""
        XCTAssertTrue(filtered.contains("/intermediate/people_converted_") && filtered.contains("_filtered_"), filtered)
        XCTAssertEqual(results[2]["rows"] as? Int, 2, "step 3 read step 2's output")
        let bad = try server.request("POST", "/api/v1/chat/workflows/\(id)/execute", body: Data(#"{"steps":[{"operation":"ctest/filter-rows","arguments":{"column":"nope","value":"x"}}]}"#.utf8), headers: ["Content-Type": "application/json"])
        XCTAssertEqual(bad.status, 422)
        XCTAssertEqual(bad.message, "Workflow execution failed: Workflow failed at step 1/1: Column 'nope' not found in data")
    }

    /// A client that hangs up mid-execution leaves a consistent conversation that can run again.
    func testClientDisconnectMidExecution() async throws {
        let server = try startServer()
        defer { server.stop() }
        let id = try newConversation(server)
        var request = URLRequest(url: URL(string: "\(server.base)/api/v1/chat/workflows/\(id)/execute")!)
        request.httpMethod = "POST"
        request.httpBody = Data(#"{"steps":[{"operation":"ctest/slow","arguments":{"seconds":3}}]}"#.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let task = URLSession.shared.dataTask(with: request)
        task.resume()
        try await Task.sleep(for: .milliseconds(500))
        task.cancel()
        var status = "processing"
        for _ in 0..<100 where status == "processing" {
            try await Task.sleep(for: .milliseconds(100))
            status = try server.get("/api/v1/chat/workflows/\(id)").data["status"] as? String ?? ""
        }
        XCTAssertTrue(["completed", "failed"].contains(status), status)
        let steps = try XCTUnwrap(try server.get("/api/v1/chat/workflows/\(id)").data["workflow_steps"] as? [[String: Any]])
        XCTAssertFalse(steps.contains { $0["status"] as? String == "running" })
        let again = try server.request("POST", "/api/v1/chat/workflows/\(id)/execute",
                                       body: Data(#"{"steps":[{"operation":"csv/info"}]}"#.utf8), headers: ["Content-Type": "application/json"])
        XCTAssertEqual(again.status, 200, again.message)
    }

    func testStepTimeoutCancelsThroughTheABI() throws {
        let server = try startServer(timeout: 1)
        defer { server.stop() }
        let id = try newConversation(server)
        let started = Date()
        let r = try server.request("POST", "/api/v1/chat/workflows/\(id)/execute",
                                   body: Data(#"{"steps":[{"operation":"ctest/slow","arguments":{"seconds":30}}]}"#.utf8),
                                   headers: ["Content-Type": "application/json"])
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(r.status, 503, r.message)
        XCTAssertTrue(r.message.contains("Workflow failed at step 1/1"), r.message)
        XCTAssertTrue(r.message.contains("cancelled"), r.message)
        let steps = try XCTUnwrap(try server.get("/api/v1/chat/workflows/\(id)").data["workflow_steps"] as? [[String: Any]])
        XCTAssertEqual(steps.first?["status"] as? String, "failed")
    }

    func testKillDuringExecuteLeavesAConsistentState() async throws {
        let server = try startServer()
        let id = try newConversation(server)
        _ = executeAsync(server, id, #"[{"operation":"csv/convert-to-excel"},{"operation":"ctest/slow","arguments":{"seconds":30}}]"#)
        var status = ""
        for _ in 0..<50 where status != "processing" {
            try await Task.sleep(for: .milliseconds(100))
            status = try server.get("/api/v1/chat/workflows/\(id)").data["status"] as? String ?? ""
        }
        XCTAssertEqual(status, "processing")
        try await Task.sleep(for: .milliseconds(300))
        server.kill()

        let restarted = try startServer(root: server.root)
        defer { restarted.stop() }
        let c = try restarted.get("/api/v1/chat/workflows/\(id)").data
        XCTAssertEqual(c["status"] as? String, "failed", "the interrupted run is marked failed")
        let steps = try XCTUnwrap(c["workflow_steps"] as? [[String: Any]])
        XCTAssertEqual(steps.map { $0["status"] as? String }, ["completed", "failed"])
        XCTAssertTrue((steps.last?["error_message"] as? String ?? "").contains("Interrupted"))
        // The completed step's output is recorded and on disk; no temporary files are visible as outputs.
        let outputs = try XCTUnwrap(c["output_files"] as? [String])
        XCTAssertEqual(outputs.count, 1)
        XCTAssertEqual(try restarted.get("/api/v1/chat/workflows/\(id)/files/\((outputs[0] as NSString).lastPathComponent)").status, 200)
        // And the conversation works again.
        let again = try restarted.request("POST", "/api/v1/chat/workflows/\(id)/execute",
                                          body: Data(#"{"steps":[{"operation":"csv/info"}]}"#.utf8), headers: ["Content-Type": "application/json"])
        XCTAssertEqual(again.status, 200, again.message)
    }
}
