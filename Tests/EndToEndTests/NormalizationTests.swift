import Foundation
import XCTest
import TableIO

/// `normalization/types` and `normalization/apply` against the real server, checking output cells.
final class NormalizationTests: SharedServerTestCase {

    /// Posts one normalisation request on a typed sheet.
    func normalize(_ columns: [String], _ rows: [[CellValue]], _ items: [[String: Any]],
                   fields: [String: String] = [:]) throws -> ServerHarness.Reply {
        let file = try TransformSheets.xlsx(columns, rows)
        var form = fields
        form["normalizations"] = TransformSheets.json(items)
        if form["return_report"] == nil { form["return_report"] = "true" }
        return try server.postForm("/api/v1/normalization/apply", files: ["file": ("data.xlsx", file)], fields: form)
    }

    /// The output column after one type (with parameters) on a one-column sheet.
    func apply(_ type: String, _ values: [CellValue], _ parameters: [String: Any] = [:],
               file: StaticString = #filePath, line: UInt = #line) throws -> [CellValue] {
        // A row number beside the value keeps rows whose value is empty from being blank (and dropped at the end).
        let rows = values.enumerated().map { [CellValue.int(Int64($0.offset)), $0.element] }
        let reply = try normalize(["i", "v"], rows, [["column_name": "v", "normalization_type": type, "parameters": parameters]])
        let table = try TransformSheets.output(server, reply, file: file, line: line)
        XCTAssertEqual(table.columns, ["i", "v"], file: file, line: line)
        let report = reply.data["report"] as? [String: Any] ?? [:]
        XCTAssertEqual((report["errors"] as? [Any])?.count, 0, "\(report["errors"] ?? "")", file: file, line: line)
        return TransformSheets.column(table, "v")
    }

    func testTypesListing() throws {
        let r = try server.get("/api/v1/normalization/types")
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.message, "Normalization types retrieved successfully")
        XCTAssertEqual(r.data.count, 25)
        XCTAssertEqual(r.json["total"] as? Int, 25)
        XCTAssertEqual(r.data["uppercase"] as? String, "Convert text to uppercase")
        XCTAssertEqual(r.data["z_score"] as? String, "Standardize values using z-score")
        XCTAssertNotNil(r.data["remove_duplicates"])
        XCTAssertNil(r.data["custom_function"])
    }

    func testTextTypesChangeTextOnly() throws {
        let values: [CellValue] = [.text("straße élan"), .text("  o'brien 1st  "), .null, .int(42),
                                   .dateTime(86_400, flags: 1), .text("ǆemal")]
        XCTAssertEqual(try apply("uppercase", values),
                       [.text("STRASSE ÉLAN"), .text("  O'BRIEN 1ST  "), .null, .int(42), .dateTime(86_400, flags: 1), .text("ǄEMAL")])
        XCTAssertEqual(try apply("LowerCase", [.text("ÉLAN Ü"), .float(2.5)]), [.text("élan ü"), .float(2.5)])
        XCTAssertEqual(try apply("title_case", values.prefix(2).map { $0 }), [.text("Straße Élan"), .text("  O'Brien 1St  ")])
        XCTAssertEqual(try apply("trim_whitespace", [.text(" \t a b \n"), .text(" x"), .int(5)]), [.text("a b"), .text("x"), .int(5)])
        // ASCII text takes a byte path; these pin it to the Unicode rules (non-ASCII ends, marks, digits, separators).
        XCTAssertEqual(try apply("title_case", [.text("hELLO wORLD-foo_bar 2nd"), .text("x\u{00A0}y ÿz")]),
                       [.text("Hello World-Foo_Bar 2Nd"), .text("X\u{00A0}Y Ÿz")])
        XCTAssertEqual(try apply("trim_whitespace", [.text("\u{00A0} a \u{3000}"), .text(" \u{301}x "), .text("\r\nq\u{0B}\u{0C}"), .text("   ")]),
                       [.text("a"), .text("x"), .text("q"), .text("")])
        XCTAssertEqual(try apply("email_format", [.text("  Alice@Example.COM ")]), [.text("alice@example.com")])
        XCTAssertEqual(try apply("name_format", [.text("  jOHN van DOE ")]), [.text("John Van Doe")])
        // Asked to, text types work on the canonical text of numbers.
        XCTAssertEqual(try apply("uppercase", [.int(42), .bool(true)], ["convert_non_text": true]), [.text("42"), .text("TRUE")])
    }

    func testPhoneFormat() throws {
        XCTAssertEqual(try apply("phone_format", [.text("415.555.0100"), .text("1-415-555-0100"), .text("0901234567"),
                                                  .text("12345"), .int(4_155_550_100), .null]),
                       [.text("(415) 555-0100"), .text("+1 (415) 555-0100"), .text("(090) 123-4567"), .text("12345"),
                        .int(4_155_550_100), .null])
    }

    func testNumericTypesOnNumbersAndNumericText() throws {
        XCTAssertEqual(try apply("round_decimal", [.float(2.25), .float(2.35), .text("2.25"), .int(7), .text("abc"), .null, .bool(true)],
                                 ["decimals": 1]),
                       [.float(2.2), .float(2.4), .float(2.2), .int(7), .null, .null, .bool(true)])
        XCTAssertEqual(try apply("round_decimal", [.float(3.14159), .int(1234)]), [.float(3.14), .int(1234)])
        XCTAssertEqual(try apply("round_decimal", [.int(1250), .int(1350)], ["decimals": -2]), [.int(1200), .int(1400)])
        XCTAssertEqual(try apply("integer_convert", [.text("3.9"), .float(-2.7), .null, .text("x"), .bool(true), .int(5)]),
                       [.int(3), .int(-2), .int(0), .int(0), .int(1), .int(5)])
        XCTAssertEqual(try apply("currency_format", [.text("$1,234.50"), .text("(12)"), .text("abc"), .int(99), .text("-€3")]),
                       [.float(1234.5), .float(12), .null, .int(99), .float(-3)])
    }

    func testTwoPassTypes() throws {
        XCTAssertEqual(try apply("min_max_scale", [.int(10), .text("20"), .int(30), .null, .text("x")]),
                       [.float(0), .float(0.5), .float(1), .null, .null])
        XCTAssertEqual(try apply("min_max_scale", [.int(4), .int(4)]), [.int(4), .int(4)], "a constant column keeps its numbers")
        XCTAssertEqual(try apply("z_score", [.int(1), .text("2"), .int(3)]), [.float(-1), .float(0), .float(1)])
        XCTAssertEqual(try apply("outlier_removal", [.int(1), .int(2), .int(3), .int(4), .int(100), .text("n/a")]),
                       [.int(1), .int(2), .int(3), .int(4), .null, .text("n/a")])
        let gaps: [CellValue] = [.int(1), .null, .int(3), .text(""), .int(3), .int(10)]
        XCTAssertEqual(try apply("fill_null_values", gaps, ["method": "mean"]), [.int(1), .float(4.25), .int(3), .float(4.25), .int(3), .int(10)])
        XCTAssertEqual(try apply("fill_null_values", gaps, ["method": "median"]), [.int(1), .float(3), .int(3), .float(3), .int(3), .int(10)])
        XCTAssertEqual(try apply("fill_null_values", gaps, ["method": "mode"]), [.int(1), .int(3), .int(3), .int(3), .int(3), .int(10)])
        XCTAssertEqual(try apply("fill_null_values", gaps, ["value": "none"]),
                       [.int(1), .text("none"), .int(3), .text("none"), .int(3), .int(10)])
        // Chained two-pass items on one column: z-score of the min-max-scaled values.
        let reply = try normalize(["v"], [[.int(0)], [.int(5)], [.int(10)]], [
            ["column_name": "v", "normalization_type": "min_max_scale"], ["column_name": "v", "normalization_type": "z_score"],
        ])
        XCTAssertEqual(TransformSheets.column(try TransformSheets.output(server, reply), "v"), [.float(-1), .float(0), .float(1)])
    }

    func testBooleanTypes() throws {
        let values: [CellValue] = [.text("Yes"), .text("on"), .text("0"), .int(1), .null, .bool(false), .text("TRUE")]
        XCTAssertEqual(try apply("boolean_convert", values), [.bool(true), .bool(true), .bool(false), .bool(true), .null, .bool(false), .bool(true)])
        XCTAssertEqual(try apply("yes_no_convert", values), [.text("Yes"), .text("No"), .text("No"), .text("Yes"), .null, .text("No"), .text("Yes")])
        XCTAssertEqual(try apply("yes_no_convert", [.text("Ja"), .text("nein")], ["true_values": ["ja"]]), [.text("Yes"), .text("No")])
    }

    func testCategoricalMappingAndRemoveDuplicates() throws {
        XCTAssertEqual(try apply("categorical_mapping", [.text("M"), .text("F"), .int(1), .text("?"), .null],
                                 ["mapping": ["M": "Male", "F": "Female", "1": 1.5], "default": "Unknown"]),
                       [.text("Male"), .text("Female"), .float(1.5), .text("Unknown"), .null])
        XCTAssertEqual(try apply("categorical_mapping", [.text("a"), .text("b")], ["mapping": ["a": "A"]]), [.text("A"), .text("b")])
        let reply = try normalize(["k", "n"], [[.text("a"), .int(1)], [.text("b"), .int(2)], [.text("a"), .int(3)], [.int(1), .int(4)],
                                               [.text("1"), .int(5)], [.null, .int(6)], [.null, .int(7)]],
                                  [["column": "k", "type": "remove_duplicates"]])
        let table = try TransformSheets.output(server, reply)
        XCTAssertEqual(TransformSheets.column(table, "n"), [.int(1), .int(2), .int(4), .int(5), .int(6)])
    }

    func testRegexTypes() throws {
        XCTAssertEqual(try apply("remove_special_chars", [.text("Hà Nội! #1"), .int(7)]), [.text("H Ni 1"), .int(7)])
        XCTAssertEqual(try apply("remove_special_chars", [.text("a-b_c")], ["pattern": "[-_]", "replacement": " "]), [.text("a b c")])
        XCTAssertEqual(try apply("regex_replace", [.text("bob@example"), .text("none")], ["pattern": #"(\w+)@(\w+)"#, "replacement": #"\2 at \1"#]),
                       [.text("example at bob"), .text("none")])
        let bad = try normalize(["v"], [[.text("x")]], [["column_name": "v", "normalization_type": "regex_replace", "parameters": ["pattern": "(unclosed"]]])
        XCTAssertEqual(bad.status, 422)
        XCTAssertTrue(bad.message.contains("(unclosed"), bad.message)
    }

    func testDateTypes() throws {
        let date = CellValue.dateTime(1_709_596_800, flags: 1) // 2024-03-05
        let values: [CellValue] = [date, .text("2024-12-31"), .text("Jan 5, 2024"), .text("not a date"), .null, .int(3)]
        XCTAssertEqual(try apply("date_format", values, ["format": "%d/%m/%Y"]),
                       [.text("05/03/2024"), .text("31/12/2024"), .text("05/01/2024"), .null, .null, .null])
        XCTAssertEqual(try apply("datetime_format", [.dateTime(1_709_641_845, flags: 0), .text("2024-03-05 12:30:45")]),
                       [.text("2024-03-05 12:30:45"), .text("2024-03-05 12:30:45")])
        XCTAssertEqual(try apply("date_extract_year", values), [.int(2024), .int(2024), .int(2024), .null, .null, .null])
        XCTAssertEqual(try apply("date_extract_month", values.prefix(3).map { $0 }), [.int(3), .int(12), .int(1)])
        XCTAssertEqual(try apply("date_extract_day", values.prefix(3).map { $0 }), [.int(5), .int(31), .int(5)])
        // Dates stay dates under text types.
        XCTAssertEqual(try apply("uppercase", [date]), [date])
    }

    func testReportShapeAliasesAndPerItemFailures() throws {
        let reply = try normalize(["Name", "Email", "Age"], [
            [.text("  alice "), .text("A@X.COM"), .int(25)], [.text("bob"), .text("b@x.com"), .int(30)], [.text("bob"), .null, .int(35)],
        ], [
            ["column_name": "Name", "normalization_type": "TRIM_WHITESPACE"],
            ["column": "Name", "type": "title_case"],
            ["column_name": "Email", "normalization_type": "email_format"],
            ["column_name": "Age", "normalization_type": "min_max_scale", "backup_original": true],
            ["column_name": "nope", "normalization_type": "uppercase"],
            ["column_name": "Name", "normalization_type": "bogus", "backup_original": true],
            ["column_name": "Age", "normalization_type": "round_decimal", "parameters": ["decimals": "x"]],
        ], fields: ["return_report": "true"])
        XCTAssertEqual(reply.status, 200, reply.message)
        XCTAssertEqual(reply.message, "Normalization completed successfully")
        let report = try XCTUnwrap(reply.data["report"] as? [String: Any])
        XCTAssertEqual(Set(report.keys), ["started_at", "completed_at", "success", "total_rows", "requested_normalizations",
                                          "columns_processed", "errors", "warnings"])
        XCTAssertNotNil((report["started_at"] as? String)?.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$"#, options: .regularExpression))
        XCTAssertEqual(report["success"] as? Bool, false)
        XCTAssertEqual(report["total_rows"] as? Int, 3)
        let requested = try XCTUnwrap(report["requested_normalizations"] as? [[String: Any]])
        XCTAssertEqual(requested.count, 7)
        XCTAssertEqual(TransformSheets.json(requested[1]), #"{"column":"Name","parameters":{},"type":"title_case"}"#)
        let processed = try XCTUnwrap(report["columns_processed"] as? [[String: Any]])
        XCTAssertEqual(processed.map { $0["normalization_type"] as? String }, ["trim_whitespace", "title_case", "email_format", "min_max_scale"])
        XCTAssertEqual(Set(processed[0].keys), ["column_name", "normalization_type", "parameters", "before_stats", "after_stats", "success"])
        XCTAssertEqual(TransformSheets.json(processed[2]["before_stats"] ?? [String: Any]()),
                       #"{"data_type":"str","null_count":1,"total_values":3,"unique_count":2}"#)
        XCTAssertEqual(TransformSheets.json(processed[3]["before_stats"] ?? [String: Any]()),
                       #"{"data_type":"int64","null_count":0,"total_values":3,"unique_count":3}"#)
        XCTAssertEqual(TransformSheets.json(processed[3]["after_stats"] ?? [String: Any]()),
                       #"{"data_type":"float64","null_count":0,"total_values":3,"unique_count":3}"#)
        let errors = try XCTUnwrap(report["errors"] as? [[String: Any]]).compactMap { $0["message"] as? String }
        XCTAssertEqual(errors, [
            "Error normalizing 'Name': Invalid normalization type: 'bogus'. Valid types are: ['uppercase', 'lowercase', 'title_case', 'trim_whitespace', 'remove_special_chars', 'phone_format', 'email_format', 'name_format', 'min_max_scale', 'z_score', 'round_decimal', 'integer_convert', 'currency_format', 'date_format', 'datetime_format', 'date_extract_year', 'date_extract_month', 'date_extract_day', 'boolean_convert', 'yes_no_convert', 'categorical_mapping', 'regex_replace', 'custom_function', 'fill_null_values', 'outlier_removal', 'remove_duplicates']",
            "Error normalizing 'Age': parameter 'decimals' must be an integer",
        ])
        XCTAssertEqual(try XCTUnwrap(report["warnings"] as? [[String: Any]]).map { $0["message"] as? String }, ["Column 'nope' not found"])

        let url = try XCTUnwrap(reply.data["download_url"] as? String)
        XCTAssertEqual(reply.data["output_file"] as? String, String(url.split(separator: "/").last ?? ""))
        XCTAssertTrue(url.contains("/data_normalized_"), url)
        let table = try TransformSheets.output(server, reply)
        // Only the applied min_max item asked for a backup; the failing `bogus` item leaves none.
        XCTAssertEqual(table.columns, ["Name", "Email", "Age", "Age_original"])
        XCTAssertEqual(table.rows, [
            [.text("Alice"), .text("a@x.com"), .float(0), .int(25)],
            [.text("Bob"), .text("b@x.com"), .float(0.5), .int(30)],
            [.text("Bob"), .null, .float(1), .int(35)],
        ])
    }

    func testBackupDefaultAndReportOff() throws {
        let reply = try normalize(["a", "a_original"], [[.text("x"), .text("old")]],
                                  [["column_name": "a", "normalization_type": "uppercase"]],
                                  fields: ["backup_original": "true", "return_report": "false"])
        XCTAssertNil(reply.data["report"], "REST without a report answers {download_url} as the original")
        XCTAssertNil(reply.data["output_file"])
        XCTAssertNotNil(reply.data["download_url"])
        let table = try TransformSheets.output(server, reply)
        XCTAssertEqual(table.columns, ["a", "a_original"], "an existing backup column is overwritten in place")
        XCTAssertEqual(table.rows, [[.text("X"), .text("x")]])
    }

    /// The admin's default from plugins.d (`settings: backup_original: true`) applies when a request says nothing;
    /// a request's own `backup_original` still wins.
    func testBackupDefaultFromPluginSettings() throws {
        let admin = try ServerHarness(pluginFiles: ["25-normalize.yml": "library: Normalize\nsettings:\n  backup_original: true\n"])
        defer { admin.stop() }
        let file = try TransformSheets.xlsx(["a"], [[.text("x")]])
        func run(_ fields: [String: String]) throws -> [String] {
            var form = fields
            form["normalizations"] = TransformSheets.json([["column_name": "a", "normalization_type": "uppercase"]])
            let reply = try admin.postForm("/api/v1/normalization/apply", files: ["file": ("data.xlsx", file)], fields: form)
            return try TransformSheets.output(admin, reply).columns
        }
        XCTAssertEqual(try run([:]), ["a", "a_original"])
        XCTAssertEqual(try run(["backup_original": "false"]), ["a"])
        XCTAssertEqual(try TransformSheets.output(server, try normalize(["a"], [[.text("x")]],
            [["column_name": "a", "normalization_type": "uppercase"]])).columns, ["a"], "the shipped setting is false")
    }

    func testRESTDefaultHasNoReport() throws {
        let file = try TransformSheets.xlsx(["a"], [[.text("x")]])
        let reply = try server.postForm("/api/v1/normalization/apply", files: ["file": ("data.xlsx", file)], fields: [
            "normalizations": TransformSheets.json([["column_name": "a", "normalization_type": "uppercase"]])])
        XCTAssertEqual(reply.status, 200)
        XCTAssertEqual(Set(reply.data.keys), ["download_url", "output_files"], "the original's REST default: no report")
        XCTAssertEqual(try TransformSheets.output(server, reply).rows, [[.text("X")]])
    }

    func testRequestErrors() throws {
        let sheet = try TransformSheets.xlsx(["a"], [[.text("x")]])
        func post(_ fields: [String: String], _ files: [String: (String, Data)]? = nil) throws -> ServerHarness.Reply {
            try server.postForm("/api/v1/normalization/apply", files: files ?? ["file": ("a.xlsx", sheet)], fields: fields)
        }
        XCTAssertEqual(try post([:]).message, "No normalization configurations provided")
        XCTAssertEqual(try post(["normalizations": "[]"]).status, 422)
        XCTAssertEqual(try post(["normalizations": "{\"a\": 1}"]).message, "normalizations must be a valid JSON array")
        let custom = try post(["normalizations": #"[{"column_name": "a", "normalization_type": "Custom_Function", "parameters": {"code": "import os"}}]"#])
        XCTAssertEqual(custom.status, 422)
        XCTAssertTrue(custom.message.contains("custom_function"), custom.message)
        XCTAssertEqual(try post(["normalizations": #"[{"column_name": "a", "normalization_type": "uppercase"}]"#], [:]).message, "No file uploaded")
        let corrupt = try post(["normalizations": #"[{"column_name": "a", "normalization_type": "uppercase"}]"#],
                               ["file": ("a.xlsx", Data("PK\u{3}\u{4}garbage".utf8))])
        XCTAssertEqual(corrupt.status, 400)
        let outputs = try FileManager.default.contentsOfDirectory(atPath: server.dataDir.appendingPathComponent("outputs").path)
        XCTAssertFalse(outputs.contains { $0.hasPrefix("a_normalized") }, "failed calls leave no file: \(outputs)")
    }

    /// A workflow step with the keys the original's chat bot produced (`column`/`type`), on a CSV chain.
    func testWorkflowStepWithBotKeys() throws {
        let created = try server.request("POST", "/api/v1/chat/workflows")
        let id = try XCTUnwrap(created.data["chat_id"] as? String)
        let csv = Data("customer_id,amount\ncust001,1500\ncust002,25.5\n".utf8)
        _ = try server.postForm("/api/v1/chat/workflows/\(id)/upload", files: ["file": ("sales.csv", csv)])
        let steps = #"[{"operation": "csv/convert-to-excel"}, {"operation": "normalization/apply", "arguments": {"normalizations": [{"column": "customer_id", "type": "uppercase"}, {"column": "amount", "type": "round_decimal", "parameters": {"decimals": 0}}]}}]"#
        let r = try server.request("POST", "/api/v1/chat/workflows/\(id)/execute", body: Data("{\"steps\": \(steps)}".utf8),
                                   headers: ["Content-Type": "application/json"])
        XCTAssertEqual(r.status, 200, r.message)
        let results = try XCTUnwrap(r.data["results"] as? [[String: Any]])
        let report = try XCTUnwrap(results.last?["report"] as? [String: Any])
        XCTAssertEqual(report["success"] as? Bool, true)
        XCTAssertNil(results.last?["output_file"], "directives never reach workflow results")
        let url = try XCTUnwrap(results.last?["download_url"] as? String)
        let table = try TransformSheets.read(try server.get(url).body)
        XCTAssertEqual(table.rows, [[.text("CUST001"), .int(1500)], [.text("CUST002"), .float(26)]])
    }
}
