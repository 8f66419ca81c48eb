import Foundation
import XCTest

/// `json/*` over REST against the real server: the recorded cases, typed values, null handling, wrappers,
/// the template language and its aggregation modes, output names, and every error path.
final class JSONGenerationTests: SharedServerTestCase {
    let users = ("sample_users.xlsx", GenerationFixtures.sampleUsers)

    // MARK: json/generate

    func testGenerateAsRecorded() throws {
        let r = try server.operation("json/generate", file: users, ["column_mapping": #"{"Name": "full_name", "Email": "email"}"#, "pretty_print": "true"])
        XCTAssertEqual(r.message, "JSON file generated successfully")
        XCTAssertEqual(r.data["total_records"] as? Int, 3)
        XCTAssertEqual(r.data["file_size"] as? Int, 206, "the recorded size")
        let url = try XCTUnwrap(r.data["download_url"] as? String)
        XCTAssertNotNil(url.range(of: #"^http://127\.0\.0\.1:\d+/api/v1/files/downloads/sample_users_generated_\d{8}_\d{6}(_\d+)?\.json$"#, options: .regularExpression), url)
        XCTAssertSameText(try server.downloadText(r), """
            [
              {
                "full_name": "Alice",
                "email": "alice@example.com"
              },
              {
                "full_name": "Bob",
                "email": "bob@example.com"
              },
              {
                "full_name": "Charlie",
                "email": "charlie@example.com"
              }
            ]
            """)
        let compact = try server.operation("json/generate", file: users, ["array_wrapper": "false", "pretty_print": "false"])
        XCTAssertEqual(compact.data["file_size"] as? Int, 186)
        XCTAssertEqual(try server.downloadText(compact), #"[{"Name": "Alice", "Email": "alice@example.com", "Age": "25"}, {"Name": "Bob", "Email": "bob@example.com", "Age": "30"}, {"Name": "Charlie", "Email": "charlie@example.com", "Age": "35"}]"#)
    }

    func testTypedValuesAndEscapes() throws {
        let r = try server.operation("json/generate", ["pretty_print": "false"])
        XCTAssertEqual(r.data["total_records"] as? Int, 4)
        let text = try server.downloadText(r)
        XCTAssertEqual(r.data["file_size"] as? Int, text.utf8.count)
        XCTAssertEqual(text, "[" + [
            #"{"id": 1, "name": "O'Brien \"the\" \\ back", "score": 95.5, "active": true, "born": "2024-01-05", "seen": "2024-01-05T10:30:00", "note": "line1\nline2"}"#,
            #"{"id": -42, "name": "Phở 🍜 naïve — ü", "score": -3.25, "active": false, "born": "1999-12-31", "seen": "2000-02-29T23:59:59", "note": null}"#,
            #"{"id": 1234567890123, "name": "back\\slash\\' end\\", "score": 0.1, "active": true, "born": null, "seen": "2024-06-01T08:00:00", "note": "tab\there"}"#,
            #"{"id": 0, "name": "x'); DROP TABLE people; --", "score": 2.0, "active": false, "born": "2024-02-29", "seen": null, "note": "{name} 100% _done_"}"#,
        ].joined(separator: ", ") + "]")
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(text.utf8)))
    }

    func testNullHandlingWrapperAndSelection() throws {
        let csv = ("n.csv", Data("a,b,c\n1,,\"\"\n".utf8))
        func text(_ fields: [String: String]) throws -> String {
            try server.downloadText(try server.operation("json/generate", file: csv, fields.merging(["pretty_print": "false"]) { a, _ in a }))
        }
        XCTAssertEqual(try text([:]), #"[{"a": "1", "b": null, "c": null}]"#)
        XCTAssertEqual(try text(["null_handling": "exclude"]), #"[{"a": "1"}]"#)
        XCTAssertEqual(try text(["null_handling": "default"]), #"[{"a": "1", "b": "", "c": ""}]"#)
        XCTAssertEqual(try text(["array_wrapper": "false", "columns": #"["c", "a"]"#]), #"{"c": null, "a": "1"}"#)
        XCTAssertEqual(try text(["columns": #"["c", "a"]"#, "column_mapping": #"{"a": "A"}"#]), #"[{"A": "1"}]"#)
        let pretty = try server.downloadText(try server.operation("json/generate", file: csv, ["null_handling": "exclude", "columns": #"["b"]"#]))
        XCTAssertEqual(pretty, "[\n  {}\n]")
        let empty = ("e.csv", Data("a,b\n".utf8))
        let none = try server.operation("json/generate", file: empty, [:])
        XCTAssertEqual(none.data["total_records"] as? Int, 0)
        XCTAssertEqual(try server.downloadText(none), "[]")
        let bare = try server.operation("json/generate", file: empty, ["array_wrapper": "false"])
        XCTAssertEqual(bare.data["total_records"] as? Int, 1)
        XCTAssertEqual(try server.downloadText(bare), "{}")
        let two = try server.operation("json/generate", file: ("t.csv", Data("a\n1\n2\n".utf8)), ["array_wrapper": "false", "pretty_print": "false"])
        XCTAssertEqual(try server.downloadText(two), #"[{"a": "1"}, {"a": "2"}]"#, "more than one row is still a list")
    }

    func testOutputFilename() throws {
        let named = try server.operation("json/generate", file: users, ["output_filename": "my report"])
        XCTAssertTrue((named.data["download_url"] as? String ?? "").hasSuffix("/files/downloads/my_report.json"), named.message)
        let kept = try server.operation("json/generate-with-template", file: users, ["output_filename": "x.json",
            "template": #"{"n": "{n}"}"#, "column_mapping": #"{"n": "Name"}"#])
        XCTAssertTrue((kept.data["download_url"] as? String ?? "").hasSuffix("/files/downloads/x.json"), kept.message)
        let before = try server.outputFiles
        let evil = try server.operation("json/generate", file: users, ["output_filename": "../oracle_traversal_probe"])
        assertError(evil, 400, "Invalid output_filename: it must be a plain file name")
        XCTAssertEqual(try server.outputFiles, before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: try server.dataDir.appendingPathComponent("oracle_traversal_probe.json").path))
    }

    func testGenerateErrors() throws {
        let before = try server.outputFiles
        assertError(try server.operation("json/generate", ["null_handling": "drop"]), 422,
                    "Invalid null_handling: drop. Must be 'include', 'exclude', or 'default'")
        assertError(try server.operation("json/generate", ["columns": #"["id", "x", "y"]"#]), 422, "Columns not found: x, y")
        assertError(try server.operation("json/generate", ["column_mapping": #"{"nope": "n"}"#]), 422, "Columns not found in data: nope")
        assertError(try server.operation("json/generate", ["columns": #"["id"]"#, "column_mapping": #"{"name": "n"}"#]), 422, "Columns not found in data: name")
        assertError(try server.operation("json/generate", file: nil, ["pretty_print": "true"]), 422, "No file uploaded")
        XCTAssertEqual(try server.operation("json/generate", file: ("x.xlsx", Data("PK\u{3}\u{4}garbage".utf8)), [:]).status, 400)
        XCTAssertEqual(try server.outputFiles, before)
    }

    // MARK: json/generate-with-template

    func testTemplateAsRecorded() throws {
        let r = try server.operation("json/generate-with-template", file: users, [
            "template": #"{"user": {"id": "{age:int}", "name": "{name}", "email": "{email|no-email}", "adult": "{adult:bool}"}}"#,
            "column_mapping": #"{"name": "Name", "email": "Email", "age": "Age", "adult": "Age"}"#, "aggregation_mode": "array"])
        XCTAssertEqual(r.message, "JSON file generated successfully with template")
        XCTAssertEqual(r.data["total_records"] as? Int, 3)
        XCTAssertEqual(r.data["file_size"] as? Int, 377, "the recorded size")
        XCTAssertTrue((r.data["download_url"] as? String ?? "").contains("/sample_users_generated_template_"))
        let text = try server.downloadText(r)
        XCTAssertTrue(text.hasPrefix("[\n  {\n    \"user\": {\n      \"id\": 25,\n      \"name\": \"Alice\",\n      \"email\": \"alice@example.com\",\n      \"adult\": false\n    }\n  },\n"), text)
        assertError(try server.operation("json/generate-with-template", file: users, ["template": "{}", "column_mapping": #"{"a": "Name"}"#,
                                                                                       "aggregation_mode": "tree"]),
                    422, "Invalid aggregation_mode: tree. Must be 'array', 'single', or 'nested'")
    }

    func testTemplateValuesAndModes() throws {
        let csv = ("p.csv", Data("n,a,f,b,e\nAnn,42.7,3,yes,\"\"\n".utf8))
        let template = #"{"n": "{n}", "i": "{a:int}", "f": "{f:float}", "b": "{b:bool}", "e": "{e}", "ei": "{e:int}", "eb": "{e:bool}", "d": "{e|dflt}", "di": "{missing:int|7}", "u": "{missing}", "mix": "{n} is {a:int}/{b:bool}/{missing}!", "list": ["{n}", 1, true, null, {"deep": "{f:float}"}], "lit": 5, "pct": "{%n%}"}"#
        let mapping = #"{"n": "n", "a": "a", "f": "f", "b": "b", "e": "e"}"#
        let one = #"{"n": "Ann", "i": 42, "f": 3.0, "b": true, "e": "", "ei": null, "eb": false, "d": "dflt", "di": 7, "u": null, "mix": "Ann is 42/True/!", "list": ["Ann", 1, true, null, {"deep": 3.0}], "lit": 5, "pct": null}"#
        func run(_ mode: String, file: (String, Data)? = nil) throws -> (String, Int) {
            let r = try server.operation("json/generate-with-template", file: file ?? csv, ["template": template, "column_mapping": mapping,
                                                                                           "aggregation_mode": mode, "pretty_print": "false"])
            XCTAssertEqual(r.status, 200, r.message)
            return (try server.downloadText(r), r.data["total_records"] as? Int ?? -1)
        }
        XCTAssertEqual(try run("array").0, "[\(one)]")
        XCTAssertEqual(try run("single").0, one)
        XCTAssertEqual(try run("single").1, 1)
        XCTAssertEqual(try run("nested").0, #"{"items": ["# + one + #"], "count": 1}"#)
        let two = ("q.csv", Data("n,a,f,b,e\nAnn,42.7,3,yes,\"\"\nBo,x,y,no,z\n".utf8))
        let (nested, count) = try run("nested", file: two)
        XCTAssertEqual(count, 2)
        // A mixed string escapes its literal text and each cell's text (quotes, backslashes, newlines, unicode).
        let tricky = ("t.csv", Data("n,a\n\"say \"\"hi\"\" \\ x\nü\",2.5\n".utf8))
        let mixed = try server.operation("json/generate-with-template", file: tricky, [
            "template": #"{"m": "q\"{n}\"\\ {a} {a:int}"}"#, "column_mapping": #"{"n": "n", "a": "a"}"#,
            "aggregation_mode": "single", "pretty_print": "false"])
        XCTAssertEqual(try server.downloadText(mixed), #"{"m": "q\"say \"hi\" \\ x\nü\"\\ 2.5 2"}"#)
        XCTAssertTrue(nested.hasSuffix(#"{"n": "Bo", "i": "x", "f": "y", "b": false, "e": "z", "ei": "z", "eb": false, "d": "z", "di": 7, "u": null, "mix": "Bo is x/False/!", "list": ["Bo", 1, true, null, {"deep": "y"}], "lit": 5, "pct": null}], "count": 2}"#), nested)
        XCTAssertTrue(try run("single", file: two).0.hasPrefix("[{"), "two rows in single mode are a list")
        for mode in ["array", "single", "nested"] {
            let (empty, n) = try run(mode, file: ("e.csv", Data("n,a,f,b,e\n".utf8)))
            XCTAssertEqual(empty, "[]", mode)
            XCTAssertEqual(n, 0, mode)
        }
        // Typed cells keep their type without hints; pretty printing of the nested form.
        let typed = try server.operation("json/generate-with-template", ["template": #"{"v": ["{id}", "{score}", "{active}", "{born}", "{seen}"], "t": "{id}:{score}:{born}"}"#,
                                                                         "column_mapping": #"{"id": "id", "score": "score", "active": "active", "born": "born", "seen": "seen"}"#,
                                                                         "aggregation_mode": "nested"])
        let text = try server.downloadText(typed)
        XCTAssertTrue(text.hasPrefix("{\n  \"items\": [\n    {\n      \"v\": [\n        1,\n        95.5,\n        true,\n        \"2024-01-05\",\n        \"2024-01-05T10:30:00\"\n      ],\n      \"t\": \"1:95.5:2024-01-05 00:00:00\"\n    },\n"), text)
        XCTAssertTrue(text.hasSuffix("\n  ],\n  \"count\": 4\n}"), text)
        // A template that is a JSON string: one value per row.
        let scalar = try server.operation("json/generate-with-template", file: users, ["template": #""{name}""#, "column_mapping": #"{"name": "Name"}"#, "pretty_print": "false"])
        XCTAssertEqual(try server.downloadText(scalar), #"["Alice", "Bob", "Charlie"]"#)
    }

    func testTemplateErrors() throws {
        let before = try server.outputFiles
        let op = "json/generate-with-template"
        let mapping = #"{"n": "Name"}"#
        assertError(try server.operation(op, file: users, ["column_mapping": mapping]), 422, "template is required")
        assertError(try server.operation(op, file: users, ["template": "{oops", "column_mapping": mapping]), 422, "Invalid template JSON: ", prefix: true)
        assertError(try server.operation(op, file: users, ["template": "[1]", "column_mapping": mapping]), 422, "Template must be a JSON string or dictionary")
        assertError(try server.operation(op, file: users, ["template": "5", "column_mapping": mapping]), 422, "Template must be a JSON string or dictionary")
        assertError(try server.operation(op, file: users, ["template": "{}", "column_mapping": mapping]), 422, "Template cannot be empty")
        assertError(try server.operation(op, file: users, ["template": #"{"a": "{n}"}"#]), 422, "column_mapping is required")
        assertError(try server.operation(op, file: users, ["template": #"{"a": "{n}"}"#, "column_mapping": "{bad"]), 422, "Invalid column_mapping JSON: ", prefix: true)
        assertError(try server.operation(op, file: users, ["template": #"{"a": "{n}"}"#, "column_mapping": "{}"]), 422, "column_mapping cannot be empty")
        assertError(try server.operation(op, file: users, ["template": #"{"a": "{n}"}"#, "column_mapping": #"{"n": "Nope", "m": "Gone"}"#]),
                    422, "Columns not found in data: Nope, Gone")
        XCTAssertEqual(try server.outputFiles, before)
    }
}
