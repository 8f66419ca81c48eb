import Foundation
import XCTest
import TableIO

/// The query operations as chat-workflow steps, each chained after another so that its input is the previous
/// step's output; results carry the original's workflow fields (`statistics`, `data`, `output_file_path`).
final class QueryWorkflowTests: SharedServerTestCase {

    /// A new conversation with `sales.csv` uploaded.
    func conversation() throws -> String {
        let r = try server.request("POST", "/api/v1/chat/workflows")
        let id = try XCTUnwrap(r.data["chat_id"] as? String)
        let upload = try server.postForm("/api/v1/chat/workflows/\(id)/upload", files: ["file": ("sales.csv", QueryFixtures.salesCSV)])
        XCTAssertEqual(upload.status, 200, upload.message)
        return id
    }

    func execute(_ id: String, _ steps: String) throws -> ServerHarness.Reply {
        try server.request("POST", "/api/v1/chat/workflows/\(id)/execute", body: Data("{\"steps\": \(steps)}".utf8),
                           headers: ["Content-Type": "application/json"])
    }

    func results(_ r: ServerHarness.Reply) throws -> [[String: Any]] {
        XCTAssertEqual(r.status, 200, r.message)
        return try XCTUnwrap(r.data["results"] as? [[String: Any]])
    }

    func download(_ result: [String: Any]) throws -> Data {
        let url = try XCTUnwrap(result["download_url"] as? String)
        let reply = try server.get(url)
        XCTAssertEqual(reply.status, 200, url)
        return reply.body
    }

    /// Transcript #9's first two steps: the search's default output is xlsx (the original's default failed).
    func testSearchAfterConversionDefaultsToXLSX() throws {
        let id = try conversation()
        let r = try execute(id, #"[{"operation": "csv/convert-to-excel", "arguments": {"sheet_name": "Sales"}}, {"operation": "excel/search", "arguments": {"conditions": [{"column": "status", "operator": "equals", "value": "active"}, {"column": "amount", "operator": "greater_than", "value": 1000}], "logic": "AND"}}]"#)
        let steps = try results(r)
        XCTAssertEqual(steps.count, 2)
        let search = steps[1]
        XCTAssertEqual(search["statistics"] as? [String: Int], ["total_rows": 7, "filtered_rows": 4])
        XCTAssertNil(search["total_rows"], "workflow steps answer with the original's `statistics` only")
        let path = try XCTUnwrap(search["output_file_path"] as? String)
        XCTAssertTrue(path.contains("/outputs/sales_converted_") && path.contains("_search_") && path.hasSuffix(".xlsx"), path)
        let table = try QueryFixtures.rows(try download(search), ext: "xlsx")
        XCTAssertEqual(table.columns, ["customer_id", "name", "amount", "status", "date", "phone", "email", "city"])
        XCTAssertEqual(table.rows.map { $0[0] }, [.text("cust001"), .text("cust003"), .text("cust006"), .text("cust003")])
        XCTAssertEqual(table.rows.map { $0[2] }, [.int(1500), .int(2000), .float(2500.5), .int(2000)], "numbers stay numbers")
        XCTAssertEqual(table.rows[0][5], .text("0901234567"), "phone numbers stay text")
    }

    /// convert → extract-to-file (dedup) → map → search (json): each step reads the previous step's output.
    func testExtractMapSearchChain() throws {
        let id = try conversation()
        let r = try execute(id, #"""
            [{"operation": "csv/convert-to-excel"},
             {"operation": "excel/extract-columns-to-file", "arguments": {"columns": ["customer_id", "name", "amount"], "remove_duplicates": true}},
             {"operation": "excel/map-columns", "arguments": {"mapping": {"id": "customer_id", "total": {"source": "amount", "default": 0}, "source": {"default": "crm"}}}},
             {"operation": "excel/search", "arguments": {"conditions": [{"column": "total", "operator": "greater_than_or_equal", "value": 800}], "output_format": "json"}}]
            """#)
        let steps = try results(r)
        XCTAssertEqual(steps.count, 4)
        XCTAssertTrue((steps[1]["output_file_path"] as? String)?.contains("/intermediate/sales_converted_") == true)
        let extracted = try QueryFixtures.rows(try download(steps[1]), ext: "xlsx")
        XCTAssertEqual(extracted.columns, ["customer_id", "name", "amount"])
        XCTAssertEqual(extracted.rows.count, 6, "the repeated cust003 row is dropped")
        let mapped = try QueryFixtures.rows(try download(steps[2]), ext: "xlsx")
        XCTAssertEqual(mapped.columns, ["id", "total", "source"])
        XCTAssertEqual(mapped.rows.first, [.text("cust001"), .int(1500), .text("crm")])
        XCTAssertEqual(steps[3]["statistics"] as? [String: Int], ["total_rows": 6, "filtered_rows": 4])
        let path = try XCTUnwrap(steps[3]["output_file_path"] as? String)
        XCTAssertTrue(path.hasSuffix(".json"), "the extension matches the content: \(path)")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: try download(steps[3])) as? [[String: Any]])
        XCTAssertEqual(json.map { $0["id"] as? String }, ["cust001", "cust003", "cust004", "cust006"])
        XCTAssertEqual(json.map { $0["total"] as? Double }, [1500, 2000, 800, 2500.5])
        XCTAssertEqual(json.first?["source"] as? String, "crm")
    }

    /// Steps without a file (extract-columns, suggest-operators) pass their input on to the next step.
    func testInlineStepsPassTheirInputOn() throws {
        let id = try conversation()
        let r = try execute(id, #"""
            [{"operation": "csv/convert-to-excel"},
             {"operation": "excel/extract-columns", "arguments": {"columns": ["amount", "city"], "remove_duplicates": true}},
             {"operation": "excel/search/suggest-operators"},
             {"operation": "excel/search", "arguments": {"conditions": [{"column": "city", "operator": "contains", "value": "AN"}], "output_format": "csv"}}]
            """#)
        let steps = try results(r)
        XCTAssertEqual(steps.count, 4)
        XCTAssertTrue(steps[1]["output_file_path"] is NSNull)
        let data = try XCTUnwrap(steps[1]["data"] as? [String: Any])
        XCTAssertEqual((data["extraction_info"] as? [String: Any])?["total_rows"] as? Int, 7)
        let columns = try XCTUnwrap(data["columns"] as? [String: [String: Any]])
        XCTAssertEqual(columns["city"]?["values"] as? [String], ["Hanoi", "Da Nang", "Hue", "Can Tho", "Saigon"])
        XCTAssertEqual(columns["amount"]?["data_type"] as? String, "float64")
        XCTAssertEqual((columns["amount"]?["statistics"] as? [String: Any])?["max"] as? Double, 2500.5)
        XCTAssertEqual((steps[2]["amount"] as? [String: Any])?["type"] as? String, "float64")
        XCTAssertEqual((steps[2]["amount"] as? [String: Any])?["operators"] as? [String],
                       ["equals", "not_equals", "greater_than", "greater_than_or_equal", "less_than", "less_than_or_equal", "between"])
        XCTAssertTrue(steps[2]["output_file_path"] is NSNull)
        XCTAssertEqual(steps[3]["statistics"] as? [String: Int], ["total_rows": 7, "filtered_rows": 4])
        let lines = String(decoding: try download(steps[3]), as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.map { String($0.prefix(7)) }, ["custome", "cust001", "cust002", "cust004", "cust005"])
    }

    /// csv/search (csv) → csv/search/suggest-operators (no file: passes its input on) → csv/search (json).
    func testCSVSearchChain() throws {
        let id = try conversation()
        let r = try execute(id, #"""
            [{"operation": "csv/search", "arguments": {"conditions": [{"column": "city", "operator": "equals", "value": "Hanoi"}, {"column": "amount", "operator": "between", "value": [1000, 3000]}], "logic": "OR"}},
             {"operation": "csv/search/suggest-operators"},
             {"operation": "csv/search", "arguments": {"conditions": [{"column": "phone", "operator": "regex", "value": "^09"}], "output_format": "json"}}]
            """#)
        let steps = try results(r)
        XCTAssertEqual(steps[0]["statistics"] as? [String: Int], ["total_rows": 7, "filtered_rows": 5])
        XCTAssertTrue((steps[0]["output_file_path"] as? String)?.hasSuffix(".csv") == true)
        XCTAssertEqual((steps[1]["amount"] as? [String: Any])?["type"] as? String, "str")
        XCTAssertTrue(steps[1]["output_file_path"] is NSNull)
        XCTAssertEqual(steps[2]["statistics"] as? [String: Int], ["total_rows": 5, "filtered_rows": 3])
        XCTAssertTrue((steps[2]["output_file_path"] as? String)?.hasSuffix(".json") == true)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: try download(steps[2])) as? [[String: Any]])
        XCTAssertEqual(json.map { $0["customer_id"] as? String }, ["cust001", "cust004", "cust006"])
    }

    func testFailingStepLeavesNoOutput() throws {
        let id = try conversation()
        let r = try execute(id, #"[{"operation": "csv/convert-to-excel"}, {"operation": "excel/search", "arguments": {"conditions": [{"column": "nope", "operator": "equals", "value": 1}]}}]"#)
        XCTAssertEqual(r.status, 422)
        XCTAssertEqual(r.message, "Workflow execution failed: Workflow failed at step 2/2: Column 'nope' not found in data")
        let empty = try execute(id, #"[{"operation": "csv/search", "arguments": {}}]"#)
        XCTAssertEqual(empty.status, 422)
        XCTAssertEqual(empty.message, "Workflow execution failed: Workflow failed at step 1/1: At least one search condition is required")
        let conversation = try server.get("/api/v1/chat/workflows/\(id)").data
        let partition = try XCTUnwrap(conversation["partition_key"] as? String)
        let outputs = try server.dataDir.appendingPathComponent("automation/workflows/\(partition)/\(id)/outputs")
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: outputs.path)) ?? [], [], "no search output was left behind")
    }

    /// Transcript #9 in full. `normalization/apply` comes with the normalisation issue: until it is registered this
    /// test skips, and from then on it runs.
    func testConvertSearchNormalizeChain() throws {
        let operations = try server.get("/api/v1/operations").data["operations"] as? [[String: Any]] ?? []
        guard operations.contains(where: { $0["name"] as? String == "normalization/apply" }) else {
            throw XCTSkip("normalization/apply is not registered yet (normalisation issue); this chain runs once it is")
        }
        let id = try conversation()
        let r = try execute(id, #"[{"operation": "csv/convert-to-excel", "arguments": {"sheet_name": "Sales"}}, {"operation": "excel/search", "arguments": {"conditions": [{"column": "status", "operator": "equals", "value": "active"}, {"column": "amount", "operator": "greater_than", "value": 1000}], "logic": "AND", "output_format": "xlsx"}}, {"operation": "normalization/apply", "arguments": {"normalizations": [{"column_name": "customer_id", "normalization_type": "uppercase"}]}}]"#)
        let steps = try results(r)
        XCTAssertEqual(steps.count, 3)
        XCTAssertEqual(steps[1]["statistics"] as? [String: Int], ["total_rows": 7, "filtered_rows": 4])
        let table = try QueryFixtures.rows(try download(steps[2]), ext: "xlsx")
        let id0 = try XCTUnwrap(table.columns.firstIndex(of: "customer_id"))
        XCTAssertEqual(table.rows.map { $0[id0] }, [.text("CUST001"), .text("CUST003"), .text("CUST006"), .text("CUST003")])
    }
}
