import Foundation
import XCTest
import TableIO

/// Chat workflows over HTTP against the real server: conversations, uploads, chained execution, downloads, deletion.
final class ChatWorkflowTests: SharedServerTestCase {
    let sales = Data("customer_id,name,amount,status\ncust001,An,1500,active\ncust002,Binh,500,inactive\ncust003,\"Chi, Le\",2000.5,active\n".utf8)

    func create() throws -> String {
        let r = try server.request("POST", "/api/v1/chat/workflows")
        XCTAssertEqual(r.status, 201)
        XCTAssertEqual(r.json["status_code"] as? Int, 201)
        return try XCTUnwrap(r.data["chat_id"] as? String)
    }

    func execute(_ id: String, _ steps: String) throws -> ServerHarness.Reply {
        try server.request("POST", "/api/v1/chat/workflows/\(id)/execute", body: Data("{\"steps\": \(steps)}".utf8),
                           headers: ["Content-Type": "application/json"])
    }

    func testConversationLifecycle() throws {
        let created = try server.request("POST", "/api/v1/chat/workflows")
        XCTAssertEqual(created.message, "Conversation created successfully")
        let data = created.data
        let id = try XCTUnwrap(data["chat_id"] as? String)
        XCTAssertEqual(data["status"] as? String, "created")
        XCTAssertNotNil((data["participant_name"] as? String)?.range(of: #"^[A-Za-z]+-\d{4}$"#, options: .regularExpression))
        XCTAssertNotNil((data["partition_key"] as? String)?.range(of: #"^\d{4}/\d{2}$"#, options: .regularExpression))
        XCTAssertNotNil((data["created_at"] as? String)?.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$"#, options: .regularExpression))
        for key in ["messages", "workflow_steps", "uploaded_files", "output_files"] { XCTAssertEqual((data[key] as? [Any])?.count, 0, key) }

        let list = try server.get("/api/v1/chat/workflows?status=created&limit=500&offset=0")
        XCTAssertTrue(((list.data["conversations"] as? [[String: Any]]) ?? []).contains { $0["chat_id"] as? String == id })
        XCTAssertEqual(try server.get("/api/v1/chat/workflows?limit=x").status, 422)
        XCTAssertEqual(try server.get("/api/v1/chat/workflows?offset=-1").status, 422)
        XCTAssertEqual(try server.get("/api/v1/chat/workflows/\(id)").message, "Conversation retrieved successfully")

        let upload = try server.postForm("/api/v1/chat/workflows/\(id)/upload", files: ["file": ("sales.csv", sales)])
        XCTAssertEqual(upload.status, 200, upload.message)
        XCTAssertEqual(upload.data["filename"] as? String, "sales.csv")
        let uploadURL = try XCTUnwrap(upload.data["download_url"] as? String)
        XCTAssertEqual(uploadURL, "\(try server.base)/api/v1/chat/workflows/\(id)/files/sales.csv")
        XCTAssertEqual(try server.get(uploadURL).body, sales)
        // The same name again replaces the file and its record instead of duplicating them.
        _ = try server.postForm("/api/v1/chat/workflows/\(id)/upload", files: ["file": ("sales.csv", sales)])
        let after = try server.get("/api/v1/chat/workflows/\(id)").data
        XCTAssertEqual((after["uploaded_files"] as? [String])?.count, 1)

        let folder = try server.dataDir.appendingPathComponent("automation/workflows")
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(after["partition_key"] as? String ?? "")/\(id)/uploads/sales.csv").path))
        let deleted = try server.request("DELETE", "/api/v1/chat/workflows/\(id)")
        XCTAssertEqual(deleted.status, 200)
        XCTAssertEqual(deleted.data["chat_id"] as? String, id)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(after["partition_key"] as? String ?? "")/\(id)").path))
        XCTAssertEqual(try server.get("/api/v1/chat/workflows/\(id)").status, 404)
        XCTAssertEqual(try server.request("DELETE", "/api/v1/chat/workflows/\(id)").status, 404)
    }

    func testChainedExecution() throws {
        let id = try create()
        _ = try server.postForm("/api/v1/chat/workflows/\(id)/upload", files: ["file": ("sales.csv", sales)])
        let r = try execute(id, #"[{"operation": "csv/convert-to-excel", "arguments": {"sheet_name": "Sales"}}, {"operation": "excel/info"}, {"operation": "csv/convert-to-excel"}]"#)
        XCTAssertEqual(r.status, 200, r.message)
        XCTAssertEqual(r.message, "Workflow executed successfully")
        let results = try XCTUnwrap(r.data["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, 3)
        let first = try XCTUnwrap(results[0]["output_file_path"] as? String)
        XCTAssertTrue(first.contains("/\(id)/intermediate/sales_converted_"), first)
        // Step 2 reads step 1's output (a typed workbook) and produces no file, so step 3 reads it too.
        XCTAssertEqual(results[1]["sheets"] as? [String], ["Sales", "Info"])
        XCTAssertEqual(results[1]["data_types"] as? [String: String], ["customer_id": "str", "name": "str", "amount": "float64", "status": "str"])
        XCTAssertTrue(results[1]["output_file_path"] is NSNull)
        let last = try XCTUnwrap(results[2]["output_file_path"] as? String)
        XCTAssertTrue(last.contains("/\(id)/outputs/sales_converted_"), last)
        let outputs = try XCTUnwrap(r.data["output_files"] as? [[String: Any]])
        XCTAssertEqual(outputs.count, 2, "this run's outputs, not a stale list")
        let url = try XCTUnwrap(results[2]["download_url"] as? String)
        let file = try server.get(url)
        XCTAssertEqual(file.status, 200)
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("chat-\(UUID().uuidString).xlsx")
        try file.body.write(to: tmp)
        defer { try? FileManager.default.removeItem(at: tmp) }
        XCTAssertEqual(try XLSXReader(path: tmp.path).readAllValues()[2], [.text("cust003"), .text("Chi, Le"), .float(2000.5), .text("active")])
        // Intermediate files are downloadable too.
        let firstName = (first as NSString).lastPathComponent
        XCTAssertEqual(try server.get("/api/v1/chat/workflows/\(id)/files/\(firstName)").status, 200)

        let conversation = try server.get("/api/v1/chat/workflows/\(id)").data
        XCTAssertEqual(conversation["status"] as? String, "completed")
        let steps = try XCTUnwrap(conversation["workflow_steps"] as? [[String: Any]])
        XCTAssertEqual(steps.map { $0["operation"] as? String }, ["csv/convert-to-excel", "excel/info", "csv/convert-to-excel"])
        XCTAssertEqual(steps.map { $0["status"] as? String }, ["completed", "completed", "completed"])
        XCTAssertTrue(steps.allSatisfy { $0["started_at"] is String && $0["completed_at"] is String })
        XCTAssertEqual((conversation["output_files"] as? [String])?.count, 2)
    }

    func testExecutionErrors() throws {
        let id = try create()
        let noUpload = try execute(id, #"[{"operation": "csv/info"}]"#)
        XCTAssertEqual(noUpload.status, 422)
        XCTAssertEqual(noUpload.message, "No uploaded file found for processing")
        _ = try server.postForm("/api/v1/chat/workflows/\(id)/upload", files: ["file": ("sales.csv", sales)])
        let unknown = try execute(id, #"[{"operation": "csv/info"}, {"operation": "excel/does-not-exist", "arguments": {}}]"#)
        XCTAssertEqual(unknown.status, 422)
        XCTAssertEqual(unknown.message, "Workflow execution failed: Workflow failed at step 2/2: No handler found for operation: excel/does-not-exist")
        let missing = try execute(id, #"[{"arguments": {}}]"#)
        XCTAssertEqual(missing.message, "Workflow execution failed: Workflow failed at step 1/1: No handler found for operation: None")
        let badArgs = try execute(id, #"[{"operation": "csv/convert-to-excel", "arguments": {"sheet_name": 5}}]"#)
        XCTAssertEqual(badArgs.status, 422)
        XCTAssertTrue(badArgs.message.contains("Invalid argument 'sheet_name'"), badArgs.message)
        XCTAssertEqual(try server.get("/api/v1/chat/workflows/\(id)").data["status"] as? String, "failed")

        let noSteps = try server.request("POST", "/api/v1/chat/workflows/\(id)/execute", body: Data(#"{"foo": 1}"#.utf8),
                                         headers: ["Content-Type": "application/json"])
        XCTAssertEqual(noSteps.status, 422)
        XCTAssertEqual(noSteps.message, "No steps provided")
        let malformed = try server.request("POST", "/api/v1/chat/workflows/\(id)/execute", body: Data("{not json".utf8),
                                           headers: ["Content-Type": "application/json"])
        XCTAssertEqual(malformed.status, 400)
        let form = try server.request("POST", "/api/v1/chat/workflows/\(id)/execute", body: Data("steps=x".utf8),
                                      headers: ["Content-Type": "application/x-www-form-urlencoded"])
        XCTAssertEqual(form.status, 415)
        let empty = try execute(id, "[]")
        XCTAssertEqual(empty.status, 200)
        XCTAssertEqual((empty.data["results"] as? [Any])?.count, 0)
    }

    func testUnknownConversationsAndBadUploads() throws {
        let ghost = "00000000-0000-0000-0000-000000000000"
        XCTAssertEqual(try server.get("/api/v1/chat/workflows/\(ghost)").status, 404)
        XCTAssertEqual(try server.postForm("/api/v1/chat/workflows/\(ghost)/upload", files: ["file": ("a.csv", sales)]).status, 404)
        XCTAssertEqual(try execute(ghost, "[]").status, 404)
        XCTAssertEqual(try server.get("/api/v1/chat/workflows/\(ghost)/files/a.csv").status, 404)

        let id = try create()
        let exe = try server.postForm("/api/v1/chat/workflows/\(id)/upload", files: ["file": ("evil.exe", Data("MZ".utf8))])
        XCTAssertEqual(exe.status, 422)
        XCTAssertTrue(exe.message.contains("not allowed"), exe.message)
        let noFile = try server.postForm("/api/v1/chat/workflows/\(id)/upload", files: [:], fields: ["x": "1"])
        XCTAssertEqual(noFile.status, 422)
        XCTAssertEqual(noFile.message, "No file provided")
        let traversal = try server.postForm("/api/v1/chat/workflows/\(id)/upload", files: ["file": ("../../etc/evil.csv", sales)])
        XCTAssertEqual(traversal.status, 400)
        XCTAssertEqual(try server.get("/api/v1/chat/workflows/\(id)/files/..%2Fmetadata.json").status, 400)
        XCTAssertEqual(try server.get("/api/v1/chat/workflows/\(id)/files/nope.csv").status, 404)
        XCTAssertEqual((try server.get("/api/v1/chat/workflows/\(id)").data["uploaded_files"] as? [Any])?.count, 0)
    }
}
