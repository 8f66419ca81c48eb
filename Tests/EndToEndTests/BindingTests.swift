import Foundation
import XCTest
import TableIO

/// `excel/bind-single-key`, `excel/bind-multi-key`, `files/bind`, `files/bind/preview` over REST and in a
/// workflow, checking output cells.
final class BindingTests: XCTestCase {
    nonisolated(unsafe) static var server: ServerHarness?

    override class func setUp() {
        super.setUp()
        do {
            // A two-input plugin written in plain C, to show the ABI path (input 1 or open_named_file) from outside.
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pz-cpair-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            libDir = dir
            let pair = try CPluginBuilder.build(into: dir, name: "cpair", source: "pair_plugin.c")
            server = try ServerHarness(pluginFiles: ["60-cpair.yml": "library: \(pair.path)\n"])
        } catch {
            XCTFail("could not start the server: \(error)")
        }
    }

    override class func tearDown() {
        server?.stop()
        if let d = libDir { try? FileManager.default.removeItem(at: d) }
        super.tearDown()
    }

    nonisolated(unsafe) static var libDir: URL?

    var server: ServerHarness { get throws { try XCTUnwrap(Self.server) } }

    /// Source: typed XLSX with integer and unicode keys.
    func sourceSheet() throws -> Data {
        try TransformSheets.xlsx(["id", "name"], [
            [.int(42), .text("Answer")], [.text("Nguyễn"), .text("Unicode")], [.int(7), .text("Seven")],
            [.null, .text("No key")], [.text("nguyễn"), .text("Lower")], [.float(5), .text("Five")], [.int(42), .text("Again")],
        ])
    }

    /// Bind side: CSV text keys, a duplicate (first wins), an unused row.
    let bindCSV = Data("id,dept,phone,extra\n42,Sales,0901,x\n7,IT,0902,x\n7,Dup,0999,x\nNguyễn,Ops,0903,x\n5.0,Five,0905,x\n,Empty,0000,x\nzzz,Unused,0904,x\n".utf8)

    func bind(_ path: String, _ fields: [String: String], source: Data? = nil, bind: Data? = nil,
              bindName: String = "bind.csv") throws -> ServerHarness.Reply {
        try server.postForm("/api/v1/\(path)", files: ["source_file": ("users.xlsx", source ?? sourceSheet()),
                                                      "bind_file": (bindName, bind ?? bindCSV)], fields: fields)
    }

    func testSingleKeyLeftJoinTypedKeys() throws {
        let reply = try bind("excel/bind-single-key", ["comparison_column": "id", "bind_columns": #"["phone", "dept"]"#])
        XCTAssertEqual(reply.message, "Excel binding completed successfully")
        XCTAssertTrue((reply.data["download_url"] as? String ?? "").contains("/users_bound_single_"))
        let table = try TransformSheets.output(server, reply)
        XCTAssertEqual(table.columns, ["id", "name", "phone", "dept"])
        XCTAssertEqual(table.rows, [
            [.int(42), .text("Answer"), .text("0901"), .text("Sales")],
            [.text("Nguyễn"), .text("Unicode"), .text("0903"), .text("Ops")],
            [.int(7), .text("Seven"), .text("0902"), .text("IT")],
            [.null, .text("No key"), .null, .null],
            [.text("nguyễn"), .text("Lower"), .null, .null],
            [.float(5), .text("Five"), .text("0905"), .text("Five")],
            [.int(42), .text("Again"), .text("0901"), .text("Sales")],
        ])
        let stats = try XCTUnwrap(reply.data["statistics"] as? [String: Any])
        XCTAssertEqual(stats["source_rows"] as? Int, 7)
        XCTAssertEqual(stats["matched_rows"] as? Int, 5)
        XCTAssertEqual(stats["unmatched_rows"] as? Int, 2)
        XCTAssertEqual(stats["unique_keys_in_bind"] as? Int, 5)
        XCTAssertEqual(stats["duplicate_keys_removed"] as? Int, 1)
        XCTAssertEqual(stats["match_percentage"] as? Double, 71.43)
    }

    func testMultiKeyBind() throws {
        let source = try TransformSheets.xlsx(["Name", "Age", "City0"], [
            [.text("Alice"), .int(25), .text("a")], [.text("Alice"), .int(30), .text("b")], [.text("Bob"), .int(25), .text("c")],
        ])
        let bindFile = Data("Name,Age,City\nAlice,30,Hue\nAlice,25,Hanoi\nBob,26,Saigon\nAlice,25,Later\n".utf8)
        let reply = try bind("excel/bind-multi-key", ["comparison_columns": #"["Name", "Age"]"#, "bind_columns": #"["City"]"#],
                             source: source, bind: bindFile)
        XCTAssertTrue((reply.data["download_url"] as? String ?? "").contains("/users_bound_multi_"))
        let table = try TransformSheets.output(server, reply)
        XCTAssertEqual(TransformSheets.column(table, "City"), [.text("Hanoi"), .text("Hue"), .null])
        XCTAssertEqual((reply.data["statistics"] as? [String: Any])?["duplicate_keys_removed"] as? Int, 1)
    }

    func testValidationMessages() throws {
        func message(_ path: String, _ fields: [String: String]) throws -> String {
            let r = try bind(path, fields)
            XCTAssertEqual(r.status, 422, r.message)
            return r.message
        }
        let single = "excel/bind-single-key", multi = "excel/bind-multi-key"
        XCTAssertEqual(try message(single, ["bind_columns": #"["dept"]"#]), "comparison_column parameter is required")
        XCTAssertEqual(try message(single, ["comparison_column": "id", "bind_columns": "[dept"]), "bind_columns must be a valid JSON array")
        XCTAssertEqual(try message(single, ["comparison_column": "id", "bind_columns": "[]"]), "At least one bind column must be specified")
        XCTAssertEqual(try message(single, ["comparison_column": "nope", "bind_columns": #"["dept"]"#]), "Comparison column 'nope' not found in source file")
        XCTAssertEqual(try message(single, ["comparison_column": "name", "bind_columns": #"["dept"]"#]), "Comparison column 'name' not found in bind file")
        XCTAssertEqual(try message(single, ["comparison_column": "id", "bind_columns": #"["X", "dept", "it's"]"#]),
                       #"Bind columns not found in bind file: ['X', "it's"]"#)
        let source = try TransformSheets.xlsx(["id", "dept"], [[.int(1), .text("x")]])
        let conflict = try bind(single, ["comparison_column": "id", "bind_columns": #"["dept", "phone"]"#], source: source)
        XCTAssertEqual(conflict.message, "Bind columns already exist in source file: ['dept']. This would overwrite existing data.")
        XCTAssertEqual(try message(single, ["comparison_column": "id", "bind_columns": #"["id"]"#]),
                       "Bind columns must not include the comparison column(s): ['id']")
        XCTAssertEqual(try message(multi, ["comparison_columns": "id", "bind_columns": #"["dept"]"#]), "comparison_columns must be a valid JSON array")
        XCTAssertEqual(try message(multi, ["comparison_columns": "[]", "bind_columns": #"["dept"]"#]), "At least one comparison column must be specified")
        XCTAssertEqual(try message(multi, ["comparison_columns": #"["id", "a", "b"]"#, "bind_columns": #"["dept"]"#]),
                       "Comparison columns not found in source file: ['a', 'b']")
        let noBind = try server.postForm("/api/v1/excel/bind-single-key", files: ["source_file": ("s.xlsx", try sourceSheet())],
                                         fields: ["comparison_column": "id", "bind_columns": #"["dept"]"#])
        XCTAssertEqual(noBind.message, "No file uploaded")
        let corrupt = try bind(single, ["comparison_column": "id", "bind_columns": #"["dept"]"#], bind: Data("PK\u{3}\u{4}xx".utf8), bindName: "b.xlsx")
        XCTAssertEqual(corrupt.status, 400)
    }

    func testEmptyFiles() throws {
        let emptySource = try TransformSheets.xlsx(["id", "name"], [])
        let r = try bind("excel/bind-single-key", ["comparison_column": "id", "bind_columns": #"["dept"]"#], source: emptySource)
        let table = try TransformSheets.output(server, r)
        XCTAssertEqual(table.columns, ["id", "name", "dept"])
        XCTAssertEqual(table.rows.count, 0)
        XCTAssertEqual((r.data["statistics"] as? [String: Any])?["match_percentage"] as? Double, 0)
        let emptyBind = try bind("excel/bind-single-key", ["comparison_column": "id", "bind_columns": #"["dept"]"#], bind: Data("id,dept\n".utf8))
        XCTAssertEqual(TransformSheets.column(try TransformSheets.output(server, emptyBind), "dept"), Array(repeating: .null, count: 7))
    }

    func testPositionalBindWithShorterSource() throws {
        let source = try TransformSheets.xlsx(["Name", "Email", "Age"], [
            [.text("Alice"), .text("a@x"), .int(25)], [.text("Bob"), .text("b@x"), .int(30)], [.text("Chi"), .text("c@x"), .int(35)],
        ])
        let target = try TransformSheets.xlsx(["Full Name", "Contact", "Note"], [
            [.text("old1"), .null, .text("a")], [.text("old2"), .null, .text("b")], [.text("old3"), .null, .text("c")], [.text("old4"), .text("keep?"), .text("d")],
        ])
        let files = ["source_file": ("users.xlsx", source), "target_file": ("target.xlsx", target)]
        let r = try server.postForm("/api/v1/files/bind", files: files, fields: ["column_mapping": #"{"Full Name": "Name", "Contact": "Email"}"#])
        XCTAssertEqual(r.message, "Files bound successfully")
        let table = try TransformSheets.output(server, r)
        XCTAssertEqual(table.columns, ["Full Name", "Contact", "Note"])
        XCTAssertEqual(table.rows, [
            [.text("Alice"), .text("a@x"), .text("a")], [.text("Bob"), .text("b@x"), .text("b")],
            [.text("Chi"), .text("c@x"), .text("c")], [.null, .null, .text("d")],
        ])
        let invalid = try server.postForm("/api/v1/files/bind", files: files, fields: ["column_mapping": #"{"Nope": "Name"}"#])
        XCTAssertEqual(invalid.status, 400)
        XCTAssertEqual(invalid.message, "Data binding failed: Column mapping validation failed: Target column 'Nope' not found")
        let none = try server.postForm("/api/v1/files/bind", files: files, fields: [:])
        XCTAssertEqual(none.status, 422)
        XCTAssertEqual(none.message, "column_mapping is required")

        let preview = try server.postForm("/api/v1/files/bind/preview", files: files,
                                          fields: ["column_mapping": #"{"Full Name": "Name", "Nope": "Email", "X": "Gone"}"#])
        XCTAssertEqual(preview.status, 200)
        XCTAssertEqual(preview.message, "Binding preview generated")
        XCTAssertEqual(TransformSheets.json(preview.data),
                       #"{"issues":["Target column 'Nope' not found","Source column 'Gone' not found","Target column 'X' not found"],"mapping_valid":false,"source_columns":["Name","Email","Age"],"source_rows":3,"target_columns":["Full Name","Contact","Note"],"target_rows":4}"#)
        let unreadable = try server.postForm("/api/v1/files/bind/preview", files: ["source_file": ("s.xlsx", Data("PK\u{3}\u{4}x".utf8)), "target_file": ("target.xlsx", target)])
        XCTAssertEqual(unreadable.status, 400)
    }

    /// Two files uploaded to one conversation; the step binds by the bind file's plain name. A server path is refused.
    func testWorkflowBindsByConversationFileName() throws {
        let created = try server.request("POST", "/api/v1/chat/workflows")
        let id = try XCTUnwrap(created.data["chat_id"] as? String)
        // The last upload is the workflow's input, so the bind file goes first.
        XCTAssertEqual(try server.postForm("/api/v1/chat/workflows/\(id)/upload", files: ["file": ("bind users.csv", bindCSV)]).status, 200)
        XCTAssertEqual(try server.postForm("/api/v1/chat/workflows/\(id)/upload", files: ["file": ("users.xlsx", try sourceSheet())]).status, 200)
        func run(_ bindFile: String) throws -> ServerHarness.Reply {
            let steps = #"[{"operation": "excel/bind-single-key", "arguments": {"bind_file": "\#(bindFile)", "comparison_column": "id", "bind_columns": ["dept"]}}]"#
            return try server.request("POST", "/api/v1/chat/workflows/\(id)/execute", body: Data("{\"steps\": \(steps)}".utf8),
                                      headers: ["Content-Type": "application/json"])
        }
        let ok = try run("bind users.csv")
        XCTAssertEqual(ok.status, 200, ok.message)
        let result = try XCTUnwrap((ok.data["results"] as? [[String: Any]])?.first)
        XCTAssertEqual((result["statistics"] as? [String: Any])?["matched_rows"] as? Int, 5)
        let table = try TransformSheets.read(try server.get(try XCTUnwrap(result["download_url"] as? String)).body)
        XCTAssertEqual(TransformSheets.column(table, "dept"), [.text("Sales"), .text("Ops"), .text("IT"), .null, .null, .text("Five"), .text("Sales")])

        let conversation = try server.get("/api/v1/chat/workflows/\(id)").data
        let uploaded = try XCTUnwrap((conversation["uploaded_files"] as? [String])?.first { $0.hasSuffix("bind_users.csv") })
        for path in [uploaded, "../uploads/bind_users.csv", "/etc/passwd"] {
            let refused = try run(path)
            XCTAssertEqual(refused.status, 422, path)
            XCTAssertTrue(refused.message.contains("not a path"), refused.message)
        }
        let missing = try run("nope.csv")
        XCTAssertEqual(missing.status, 404, missing.message)
        XCTAssertTrue(missing.message.contains("File not found: nope.csv"), missing.message)
    }

    /// The C plugin gets its second table as input 1 over REST and by conversation file name in a workflow.
    func testTwoInputCPlugin() throws {
        let rest = try server.postForm("/api/v1/ctest/pair-rows", files: ["source_file": ("a.csv", Data("x\n1\n2\n".utf8)),
                                                                          "bind_file": ("b.csv", Data("y\n1\n".utf8))])
        XCTAssertEqual(rest.status, 200, rest.message)
        XCTAssertEqual(rest.message, "Counted 2 and 1 rows")
        XCTAssertEqual(rest.data["inputs"] as? Int, 2)
        let created = try server.request("POST", "/api/v1/chat/workflows")
        let id = try XCTUnwrap(created.data["chat_id"] as? String)
        _ = try server.postForm("/api/v1/chat/workflows/\(id)/upload", files: ["file": ("other.csv", Data("y\n1\n2\n3\n".utf8))])
        _ = try server.postForm("/api/v1/chat/workflows/\(id)/upload", files: ["file": ("main.csv", Data("x\n1\n".utf8))])
        func run(_ name: String) throws -> ServerHarness.Reply {
            let steps = #"[{"operation": "ctest/pair-rows", "arguments": {"bind_file": "\#(name)"}}]"#
            return try server.request("POST", "/api/v1/chat/workflows/\(id)/execute", body: Data("{\"steps\": \(steps)}".utf8),
                                      headers: ["Content-Type": "application/json"])
        }
        let ok = try run("other.csv")
        XCTAssertEqual(ok.status, 200, ok.message)
        let result = try XCTUnwrap((ok.data["results"] as? [[String: Any]])?.first)
        XCTAssertEqual(result["source_rows"] as? Int, 1)
        XCTAssertEqual(result["bind_rows"] as? Int, 3)
        XCTAssertEqual(result["inputs"] as? Int, 1)
        XCTAssertEqual(try run("../other.csv").status, 422)
        XCTAssertEqual(try run("missing.csv").status, 404)
    }
}
