import Foundation
import XCTest
import TableIO

/// The query operations over REST against the real server: extract, extract-to-file, map, search (every operator,
/// every output format, every error path) and operator suggestions, checked on the output's cells.
final class QueryOperationsTests: XCTestCase {
    nonisolated(unsafe) static var server: ServerHarness?
    nonisolated(unsafe) static var users = Data()

    override class func setUp() {
        super.setUp()
        do {
            server = try ServerHarness()
            users = try QueryFixtures.usersXLSX()
        } catch {
            XCTFail("could not start the server: \(error)")
        }
    }

    override class func tearDown() {
        server?.stop()
        super.tearDown()
    }

    var server: ServerHarness { get throws { try XCTUnwrap(Self.server) } }

    var outputs: [String] {
        get throws { try FileManager.default.contentsOfDirectory(atPath: server.dataDir.appendingPathComponent("outputs").path).sorted() }
    }

    func post(_ op: String, _ fields: [String: String], file: (String, Data)? = nil) throws -> ServerHarness.Reply {
        try server.postForm("/api/v1/\(op)", files: ["file": file ?? ("users.xlsx", Self.users)], fields: fields)
    }

    /// Runs a search with JSON output and returns the matched rows as JSON objects.
    func search(_ conditions: String, logic: String = "AND", op: String = "excel/search",
                file: (String, Data)? = nil) throws -> [[String: Any]] {
        let r = try post(op, ["conditions": conditions, "logic": logic, "output_format": "json"], file: file)
        XCTAssertEqual(r.status, 200, "\(conditions): \(r.message)")
        let url = try XCTUnwrap(r.data["download_url"] as? String)
        XCTAssertTrue(url.hasSuffix(".json"), url)
        let body = try server.get(url).body
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: body) as? [[String: Any]], String(decoding: body, as: UTF8.self))
        XCTAssertEqual(r.data["filtered_rows"] as? Int, rows.count)
        return rows
    }

    func names(_ conditions: String, logic: String = "AND") throws -> [String] {
        try search(conditions, logic: logic).map { $0["Name"] as? String ?? "?" }
    }

    // MARK: search

    func testEveryOperatorOnTypedCells() throws {
        let cases: [(String, [String])] = [
            (#"{"column": "Name", "operator": "equals", "value": "Bob"}"#, ["Bob", "Bob"]),
            (#"{"column": "Age", "operator": "equals", "value": 30}"#, ["Bob", "Dana (a.b)", "Bob"]),
            (#"{"column": "Age", "operator": "equals", "value": "30"}"#, ["Bob", "Dana (a.b)", "Bob"]),
            (#"{"column": "Age", "operator": "EQUALS", "value": 30.0}"#, ["Bob", "Dana (a.b)", "Bob"]),
            (#"{"column": "Phone", "operator": "equals", "value": "0901234567"}"#, ["Alice"]),
            (#"{"column": "Phone", "operator": "equals", "value": ""}"#, ["Charlie"]),
            (#"{"column": "Active", "operator": "equals", "value": true}"#, ["Alice", "Charlie"]),
            (#"{"column": "Joined", "operator": "equals", "value": "2024-03-01"}"#, ["Bob", "Bob"]),
            (#"{"column": "Name", "operator": "not_equals", "value": "Bob"}"#, ["Alice", "Charlie", "Dana (a.b)"]),
            (#"{"column": "Name", "operator": "contains", "value": "(a.b)"}"#, ["Dana (a.b)"]),
            (#"{"column": "Name", "operator": "contains", "value": "."}"#, ["Dana (a.b)"]),
            (#"{"column": "Name", "operator": "contains", "value": "LI"}"#, ["Alice", "Charlie"]),
            (#"{"column": "City", "operator": "contains", "value": "HÀ NỘI"}"#, ["Alice", "Dana (a.b)"]),
            (#"{"column": "City", "operator": "contains", "value": "huế"}"#, ["Charlie"]),
            (#"{"column": "Name", "operator": "not_contains", "value": "B"}"#, ["Alice", "Charlie"]),
            (#"{"column": "Name", "operator": "starts_with", "value": "Da"}"#, ["Dana (a.b)"]),
            (#"{"column": "Name", "operator": "starts_with", "value": "da"}"#, []),
            (#"{"column": "Email", "operator": "ends_with", "value": "e@example.com"}"#, ["Alice", "Charlie"]),
            (#"{"column": "Score", "operator": "is_empty"}"#, ["Dana (a.b)"]),
            (#"{"column": "Phone", "operator": "is_not_empty"}"#, ["Alice", "Bob", "Dana (a.b)", "Bob"]),
            (#"{"column": "Age", "operator": "greater_than", "value": 29}"#, ["Bob", "Charlie", "Dana (a.b)", "Bob"]),
            (#"{"column": "Age", "operator": "greater_than_or_equal", "value": "35"}"#, ["Charlie"]),
            (#"{"column": "Score", "operator": "less_than", "value": 80}"#, ["Bob", "Bob"]),
            (#"{"column": "Score", "operator": "less_than_or_equal", "value": "88.5"}"#, ["Alice", "Bob", "Bob"]),
            (#"{"column": "Age", "operator": "between", "value": [26, 32]}"#, ["Bob", "Dana (a.b)", "Bob"]),
            (#"{"column": "Joined", "operator": "between", "value": ["2024-01-01", "2024-02-29"]}"#, ["Alice", "Dana (a.b)"]),
            (#"{"column": "Joined", "operator": "before", "value": "2024-01-01"}"#, ["Charlie"]),
            (#"{"column": "Joined", "operator": "after", "value": "15/01/2024"}"#, ["Bob", "Dana (a.b)", "Bob"]),
            (#"{"column": "Email", "operator": "regex", "value": "^[ab]"}"#, ["Alice", "Bob", "Bob"]),
            (#"{"column": "Name", "operator": "regex", "value": "(?i)^CH"}"#, ["Charlie"]),
            (#"{"column": "Age", "operator": "regex", "value": "^3"}"#, ["Bob", "Charlie", "Dana (a.b)", "Bob"]),
        ]
        for (condition, expected) in cases {
            XCTAssertEqual(try names("[\(condition)]"), expected, condition)
        }
        XCTAssertEqual(try names(#"[{"column": "Age", "operator": "greater_than_or_equal", "value": 30}, {"column": "City", "operator": "contains", "value": "nẵng"}]"#),
                       ["Bob", "Bob"])
        XCTAssertEqual(try names(#"[{"column": "Name", "operator": "equals", "value": "Alice"}, {"column": "Score", "operator": "is_empty"}]"#, logic: "or"),
                       ["Alice", "Dana (a.b)"])
    }

    func testJSONOutputKeepsTypes() throws {
        let rows = try search(#"[{"column": "Name", "operator": "equals", "value": "Alice"}]"#)
        XCTAssertEqual(rows.count, 1)
        let alice = try XCTUnwrap(rows.first)
        XCTAssertEqual(alice["Age"] as? Int, 25)
        XCTAssertEqual(alice["Score"] as? Double, 88.5)
        XCTAssertEqual(alice["Phone"] as? String, "0901234567")
        XCTAssertEqual(alice["Joined"] as? String, "2024-01-15")
        XCTAssertEqual(alice["Active"] as? Bool, true)
        XCTAssertEqual(alice["City"] as? String, "Hà Nội")
        let dana = try search(#"[{"column": "Score", "operator": "is_empty"}]"#)
        XCTAssertTrue(dana.first?["Score"] is NSNull)
    }

    func testXLSXAndCSVOutputsKeepCells() throws {
        let xlsx = try post("excel/search", ["conditions": #"[{"column": "Age", "operator": "equals", "value": 30}]"#])
        XCTAssertEqual(xlsx.status, 200, xlsx.message)
        XCTAssertEqual(xlsx.message, "Search completed successfully. 3 rows matched.")
        XCTAssertEqual(xlsx.data["total_rows"] as? Int, 5)
        XCTAssertEqual(xlsx.data["filtered_rows"] as? Int, 3)
        XCTAssertEqual(xlsx.data["conditions_applied"] as? Int, 1)
        let url = try XCTUnwrap(xlsx.data["download_url"] as? String)
        XCTAssertTrue(url.contains("/users_search_") && url.hasSuffix(".xlsx"), url)
        let body = try server.get(url).body
        XCTAssertEqual(try QueryFixtures.sheets(body), ["Sheet1"], "search results carry no Info sheet")
        let table = try QueryFixtures.rows(body, ext: "xlsx")
        XCTAssertEqual(table.columns, QueryFixtures.userColumns)
        XCTAssertEqual(table.rows, [QueryFixtures.userRows[1], QueryFixtures.userRows[3], QueryFixtures.userRows[4]])

        // CSV out of a workbook, with a requested name whose extension does not match: the right one is appended.
        let csv = try post("excel/search", ["conditions": #"[{"column": "Name", "operator": "equals", "value": "Alice"}]"#,
                                            "output_format": "CSV", "output_filename": "picked.xlsx"])
        XCTAssertEqual(csv.status, 200, csv.message)
        let csvURL = try XCTUnwrap(csv.data["download_url"] as? String)
        XCTAssertTrue(csvURL.hasSuffix("/picked.xlsx.csv"), csvURL)
        let text = String(decoding: try server.get(csvURL).body, as: UTF8.self)
        XCTAssertEqual(text, "Name,Email,Age,Phone,Joined,Score,Active,City\nAlice,alice@example.com,25,0901234567,2024-01-15,88.5,True,Hà Nội\n")
    }

    /// The original's recorded csv/search cases (transcript #63–#71, #166).
    func testCSVSearchTranscriptCases() throws {
        let sales = ("sales.csv", QueryFixtures.salesCSV)
        let conditions = #"[{"column": "city", "operator": "equals", "value": "Hanoi"}, {"column": "amount", "operator": "between", "value": [1000, 3000]}]"#
        let r = try post("csv/search", ["conditions": conditions, "logic": "OR"], file: sales)
        XCTAssertEqual(r.status, 200, r.message)
        XCTAssertEqual(r.data["total_rows"] as? Int, 7)
        XCTAssertEqual(r.data["filtered_rows"] as? Int, 5)
        let url = try XCTUnwrap(r.data["download_url"] as? String)
        XCTAssertTrue(url.hasSuffix(".csv"), "csv/search defaults to csv: \(url)")
        let lines = String(decoding: try server.get(url).body, as: UTF8.self).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, [
            "customer_id,name,amount,status,date,phone,email,city",
            "cust001,Alice Nguyen,1500,active,2026-01-15,0901234567,Alice@Example.com,Hanoi",
            "cust003,Chi Le,2000,active,2026-01-17,+1 (415) 555-0100,chi@example.com,Hue",
            "cust004,Dung Pham,800,active,2026-01-18,0934567890,dung@example.com,Hanoi",
            "cust006,Phuong Do,2500.50,active,2026-02-01,0945678901,phuong@example.com,Saigon",
            "cust003,Chi Le,2000,active,2026-01-17,+1 (415) 555-0100,chi@example.com,Hue",
        ])
        let after = try search(#"[{"column": "date", "operator": "after", "value": "2026-01-17"}]"#, op: "csv/search", file: sales)
        XCTAssertEqual(after.map { $0["customer_id"] as? String }, ["cust004", "cust005", "cust006"])
        XCTAssertEqual(after.first?["amount"] as? String, "800", "CSV values are text")
        XCTAssertEqual(after.first?["phone"] as? String, "0934567890")
    }

    func testSearchErrorsAreClear422sAndLeaveNothing() throws {
        let before = try outputs
        let cases: [([String: String], String)] = [
            ([:], "At least one search condition is required"),
            (["conditions": "[]"], "At least one search condition is required"),
            (["conditions": #"[{"column": "Name", "operator": "equals", "value": "x"}]"#, "logic": "XOR"], "Logic must be either 'AND' or 'OR'"),
            (["conditions": #"[{"column": "Name", "operator": "equals", "value": "x"}]"#, "output_format": "excel"], "Output format must be xlsx, csv, or json"),
            (["conditions": #"[{"column": "Nope", "operator": "equals", "value": "x"}]"#], "Column 'Nope' not found in data"),
            (["conditions": #"[{"column": "Name", "operator": "like", "value": "x"}]"#], "Unsupported operator: like"),
            (["conditions": #"[{"column": "Age", "operator": "between", "value": 5}]"#], "For 'between' operator, value must be a list with [min, max]"),
            (["conditions": #"[{"column": "Age", "operator": "between", "value": [1, 2, 3]}]"#], "For 'between' operator, value must be a list with [min, max]"),
            (["conditions": #"[{"column": "Age", "operator": "between", "value": ["a", "b"]}]"#], #"For 'between' operator, min and max must both be numbers or both be dates, got ["a", "b"]"#),
            (["conditions": #"[{"column": "Age", "operator": "greater_than", "value": "abc"}]"#], #"Value for 'greater_than' must be a number, got "abc""#),
            (["conditions": #"[{"column": "Age", "operator": "less_than"}]"#], "Value for 'less_than' must be a number, got null"),
            (["conditions": #"[{"column": "Joined", "operator": "before", "value": "yesterday"}]"#], #"Value for 'before' must be a date such as 2024-01-31, got "yesterday""#),
            (["conditions": #"[{"column": "Name", "operator": "contains", "value": [1]}]"#], "Value for 'contains' must be text or a number, got [1]"),
            (["conditions": #"[{"column": "Name"}]"#], "Missing required argument 'conditions[0].operator'"),
            (["conditions": "[{oops"], "Invalid argument 'conditions': not valid JSON"),
            (["conditions": #"{"column": "Name"}"#], "Invalid argument 'conditions': expected array, got object"),
            (["conditions": #"[{"column": "Name", "operator": "regex", "value": "("}]"#], "Invalid regular expression '('"),
        ]
        for (fields, message) in cases {
            let r = try post("excel/search", fields)
            XCTAssertEqual(r.status, 422, "\(fields): \(r.message)")
            XCTAssertTrue(r.message.hasPrefix(message), "\(fields): \(r.message)")
            XCTAssertEqual(r.json["status_code"] as? Int, 422)
            XCTAssertEqual((r.data["error_type"] as? String), "Error")
        }
        // A pattern that backtracks catastrophically hits PCRE2's match limit instead of hanging the worker.
        let hostile = Data(("text\n" + String(repeating: "a", count: 40) + "!\nok\n").utf8)
        let slow = try post("csv/search", ["conditions": #"[{"column": "text", "operator": "regex", "value": "^(a+)+$"}]"#],
                            file: ("hostile.csv", hostile))
        XCTAssertEqual(slow.status, 422, slow.message)
        XCTAssertTrue(slow.message.contains("match limit"), slow.message)
        // Unreadable input is a 400, a missing upload a 422.
        XCTAssertEqual(try post("excel/search", ["conditions": #"[{"column": "a", "operator": "is_empty"}]"#],
                            file: ("broken.xlsx", Data("PK\u{3}\u{4}garbage".utf8))).status, 400)
        let noFile = try server.postForm("/api/v1/excel/search", files: [:], fields: ["conditions": "[]"])
        XCTAssertEqual(noFile.status, 422)
        XCTAssertEqual(noFile.message, "No file uploaded")
        XCTAssertEqual(try outputs, before, "a refused search writes nothing")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: try server.dataDir.appendingPathComponent("uploads").path), [])
    }

    // MARK: suggest-operators

    func testSuggestionsFollowRealTypes() throws {
        let text = ["equals", "not_equals", "contains", "not_contains", "starts_with", "ends_with", "is_empty", "is_not_empty"]
        let numeric = ["equals", "not_equals", "greater_than", "greater_than_or_equal", "less_than", "less_than_or_equal", "between"]
        let r = try post("excel/search/suggest-operators", [:])
        XCTAssertEqual(r.status, 200, r.message)
        XCTAssertEqual(r.message, "Operator suggestions generated successfully")
        func entry(_ c: String) -> (String?, [String]?) {
            let e = r.data[c] as? [String: Any]
            return (e?["type"] as? String, e?["operators"] as? [String])
        }
        XCTAssertEqual(Set(r.data.keys), Set(QueryFixtures.userColumns))
        XCTAssertEqual(entry("Name").0, "str")
        XCTAssertEqual(entry("Name").1, text)
        XCTAssertEqual(entry("Age").0, "int64")
        XCTAssertEqual(entry("Age").1, numeric)
        XCTAssertEqual(entry("Score").0, "float64")
        XCTAssertEqual(entry("Score").1, numeric)
        XCTAssertEqual(entry("Joined").0, "datetime64[ns]")
        XCTAssertEqual(entry("Joined").1, ["equals", "before", "after", "between"])
        XCTAssertEqual(entry("Active").0, "bool")
        XCTAssertEqual(entry("Active").1, ["equals", "not_equals"])

        let csv = try post("csv/search/suggest-operators", [:], file: ("sales.csv", QueryFixtures.salesCSV))
        XCTAssertEqual(csv.status, 200, csv.message)
        XCTAssertEqual(csv.data.count, 8)
        for (column, value) in csv.data {
            let e = value as? [String: Any]
            XCTAssertEqual(e?["type"] as? String, "str", column)
            XCTAssertEqual(e?["operators"] as? [String], text, column)
        }
        XCTAssertEqual(try post("csv/search/suggest-operators", [:], file: ("bad.csv", Data([0xFF, 0xFE, 0, 0x41]))).status, 400)
    }

    // MARK: extract-columns

    func testExtractColumnsInline() throws {
        let r = try post("excel/extract-columns", ["columns": #"["Name", "Age", "Nope"]"#, "remove_duplicates": "true"])
        XCTAssertEqual(r.status, 200, r.message)
        XCTAssertEqual(r.message, "Successfully extracted 3 columns")
        XCTAssertEqual(Set(r.data.keys), ["extraction_info", "columns"])
        let info = try XCTUnwrap(r.data["extraction_info"] as? [String: Any])
        XCTAssertEqual(info["total_rows"] as? Int, 5)
        XCTAssertEqual(info["extracted_columns"] as? [String], ["Name", "Age", "Nope"])
        XCTAssertEqual(info["remove_duplicates"] as? Bool, true)
        XCTAssertNotNil((info["timestamp"] as? String)?.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$"#, options: .regularExpression))
        let columns = try XCTUnwrap(r.data["columns"] as? [String: [String: Any]])
        XCTAssertEqual(Set(columns.keys), ["Name", "Age"], "unknown columns are skipped")
        XCTAssertEqual(columns["Name"]?["values"] as? [String], ["Alice", "Bob", "Charlie", "Dana (a.b)"])
        XCTAssertEqual(columns["Name"]?["data_type"] as? String, "str")
        XCTAssertNil(columns["Name"]?["statistics"])
        let age = try XCTUnwrap(columns["Age"])
        XCTAssertEqual(age["values"] as? [Int], [25, 30, 35])
        XCTAssertEqual(age["value_count"] as? Int, 3)
        XCTAssertEqual(age["total_count"] as? Int, 5)
        XCTAssertEqual(age["unique_count"] as? Int, 3)
        XCTAssertEqual(age["data_type"] as? String, "int64")
        let stats = try XCTUnwrap(age["statistics"] as? [String: Any])
        XCTAssertEqual(stats["min"] as? Int, 25)
        XCTAssertEqual(stats["max"] as? Int, 35)
        XCTAssertEqual(stats["median"] as? Double, 30)
        XCTAssertEqual(try XCTUnwrap(stats["mean"] as? Double), 30, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(stats["std"] as? Double), (50.0 / 4).squareRoot(), accuracy: 1e-9, "statistics describe the whole column")

        let all = try post("excel/extract-columns", ["columns": #"["Phone", "Score"]"#, "include_statistics": "false"])
        XCTAssertEqual(all.status, 200, all.message)
        let cols = try XCTUnwrap(all.data["columns"] as? [String: [String: Any]])
        XCTAssertEqual(Set(cols["Phone"]?.keys ?? [:].keys), ["values", "value_count"])
        let phones = try XCTUnwrap(cols["Phone"]?["values"] as? [Any])
        XCTAssertEqual(phones.count, 5)
        XCTAssertEqual(phones[0] as? String, "0901234567")
        XCTAssertTrue(phones[2] is NSNull)
        XCTAssertEqual((cols["Score"]?["values"] as? [Any])?.first as? Double, 88.5)

        let counts = try post("excel/extract-columns", ["columns": #"["Phone"]"#])
        let phone = try XCTUnwrap((counts.data["columns"] as? [String: [String: Any]])?["Phone"])
        XCTAssertEqual(phone["null_count"] as? Int, 1)
        XCTAssertEqual(phone["non_null_count"] as? Int, 4)
        XCTAssertEqual(phone["unique_count"] as? Int, 3)

        XCTAssertEqual(try post("excel/extract-columns", [:]).message, "No columns specified for extraction")
        let bad = try post("excel/extract-columns", ["columns": "[Name"])
        XCTAssertEqual(bad.status, 422)
        XCTAssertTrue(bad.message.hasPrefix("Invalid argument 'columns': not valid JSON"), bad.message)
        XCTAssertEqual(try post("excel/extract-columns", ["columns": "[1, 2]"]).status, 422)
    }

    // MARK: extract-columns-to-file

    func testExtractColumnsToFile() throws {
        let r = try post("excel/extract-columns-to-file", ["columns": #"["Email", "Name", "Age"]"#, "remove_duplicates": "true"])
        XCTAssertEqual(r.status, 200, r.message)
        XCTAssertEqual(r.message, "Extracted Excel file generated successfully")
        let url = try XCTUnwrap(r.data["download_url"] as? String)
        XCTAssertTrue(url.contains("/users_extracted_") && url.hasSuffix(".xlsx"), url)
        let body = try server.get(url).body
        XCTAssertEqual(try QueryFixtures.sheets(body), ["Sheet1", "Info"])
        let table = try QueryFixtures.rows(body, ext: "xlsx")
        XCTAssertEqual(table.columns, ["Email", "Name", "Age"])
        XCTAssertEqual(table.rows, [
            [.text("alice@example.com"), .text("Alice"), .int(25)],
            [.text("bob@example.com"), .text("Bob"), .int(30)],
            [.text("charlie@example.com"), .text("Charlie"), .int(35)],
            [.text("dana@example.com"), .text("Dana (a.b)"), .int(30)],
        ])
        // Without de-duplication every row stays, typed: text phone numbers keep their zero, dates stay dates.
        let all = try post("excel/extract-columns-to-file", ["columns": #"["Phone", "Joined"]"#])
        XCTAssertEqual(all.status, 200, all.message)
        let rows = try QueryFixtures.rows(try server.get(try XCTUnwrap(all.data["download_url"] as? String)).body, ext: "xlsx").rows
        XCTAssertEqual(rows, QueryFixtures.userRows.map { [$0[3], $0[4]] })

        let before = try outputs
        let missing = try post("excel/extract-columns-to-file", ["columns": #"["Nope", "Name", "Nada"]"#])
        XCTAssertEqual(missing.status, 422)
        XCTAssertEqual(missing.message, "Columns not found in data: Nope, Nada")
        XCTAssertEqual(try post("excel/extract-columns-to-file", ["columns": "[]"]).message, "No columns specified for extraction")
        XCTAssertEqual(try post("excel/extract-columns-to-file", ["columns": "nope"]).status, 422)
        XCTAssertEqual(try outputs, before)
    }

    // MARK: map-columns

    func testMapColumns() throws {
        let mapping = #"{"Full Name": "Name", "Contact": {"source": "Email", "default": "N/A"}, "Score": {"source": "Score", "default": 0}, "Country": {"default": "VN"}, "Missing": "NoSuchColumn", "Odd": 5, "Age": "Age"}"#
        let r = try post("excel/map-columns", ["mapping": mapping])
        XCTAssertEqual(r.status, 200, r.message)
        XCTAssertEqual(r.message, "Extracted Excel file generated successfully")
        let url = try XCTUnwrap(r.data["download_url"] as? String)
        XCTAssertTrue(url.contains("/users_mapped_") && url.hasSuffix(".xlsx"), url)
        let body = try server.get(url).body
        XCTAssertEqual(try QueryFixtures.sheets(body), ["Sheet1", "Info"])
        let table = try QueryFixtures.rows(body, ext: "xlsx")
        XCTAssertEqual(table.columns, ["Full Name", "Contact", "Score", "Country", "Missing", "Odd", "Age"])
        XCTAssertEqual(table.rows.count, 5)
        XCTAssertEqual(table.rows[0], [.text("Alice"), .text("alice@example.com"), .float(88.5), .text("VN"), .null, .null, .int(25)])
        XCTAssertEqual(table.rows[3], [.text("Dana (a.b)"), .text("dana@example.com"), .int(0), .text("VN"), .null, .null, .int(30)],
                       "an empty source cell takes the default, with the default's type")

        let named = try post("excel/map-columns", ["mapping": #"{"n": "Name"}"#, "output_filename": "renamed"])
        XCTAssertTrue((named.data["download_url"] as? String)?.hasSuffix("/renamed.xlsx") == true)

        let before = try outputs
        XCTAssertEqual(try post("excel/map-columns", [:]).message, "No column mapping provided")
        XCTAssertEqual(try post("excel/map-columns", ["mapping": "{}"]).message, "No column mapping provided")
        let bad = try post("excel/map-columns", ["mapping": "{\"a\": "])
        XCTAssertEqual(bad.status, 422)
        XCTAssertTrue(bad.message.hasPrefix("Invalid argument 'mapping': not valid JSON"), bad.message)
        XCTAssertEqual(try post("excel/map-columns", ["mapping": "[1]"]).status, 422)
        XCTAssertEqual(try outputs, before)
    }
}
