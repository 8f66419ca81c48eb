import XCTest
import PycelizeJSON
@testable import PycelizeServer
@testable import RequestParsing

final class ArgumentTests: XCTestCase {
    let schema = try! JSONParser.parse("""
    {"type":"object","required":["columns"],"additionalProperties":false,
     "properties":{"columns":{"type":"array","items":{"type":"string"},"minItems":1},
                   "remove_duplicates":{"type":"boolean"},"limit":{"type":"integer","minimum":1},
                   "mode":{"type":"string","enum":["a","b"]},"mapping":{"type":"object"}}}
    """)

    func testValidArguments() throws {
        try ArgumentValidator.validate(["columns": ["a", "b"], "remove_duplicates": true, "limit": 3, "mode": "a"], schema: schema)
    }

    func testInvalidArgumentsNameTheProblem() {
        func message(_ v: JSONValue) -> String {
            do { try ArgumentValidator.validate(v, schema: schema); return "valid" } catch { return error.message }
        }
        XCTAssertEqual(message(["remove_duplicates": true]), "Missing required argument 'columns'")
        XCTAssertEqual(message(["columns": "a"]), "Invalid argument 'columns': expected array, got string")
        XCTAssertEqual(message(["columns": []]), "Invalid argument 'columns': needs at least 1 item(s)")
        XCTAssertEqual(message(["columns": [1]]), "Invalid argument 'columns[0]': expected string, got integer")
        XCTAssertEqual(message(["columns": ["a"], "limit": 0]), "Invalid argument 'limit': must be at least 1")
        XCTAssertEqual(message(["columns": ["a"], "mode": "z"]), "Invalid argument 'mode': must be one of \"a\", \"b\"")
        XCTAssertEqual(message(["columns": ["a"], "other": 1]), "Unknown argument 'other'")
        XCTAssertEqual(message(["columns": ["a"], "limit": 2.5]), "Invalid argument 'limit': expected integer, got number")
    }

    /// Form fields are converted by the schema's declared types, like the original's bool-form / JSON-in-form.
    func testFormFieldConversion() throws {
        let args = try OperationEndpoint.arguments(from: [
            "columns": "[\"b\",\"a\"]", "remove_duplicates": "TRUE", "limit": "5", "mode": "b",
            "mapping": "{\"z\":\"1\",\"a\":\"2\"}", "output_filename": "x", "empty": "",
        ], schema: schema)
        XCTAssertEqual(args["columns"], ["b", "a"])
        XCTAssertEqual(args["remove_duplicates"], true)
        XCTAssertEqual(args["limit"], 5)
        XCTAssertEqual(args["mode"], "b")
        XCTAssertEqual(args["mapping"]?.objectValue?.map(\.0), ["z", "a"], "object key order is kept")
        XCTAssertNil(args["output_filename"], "host fields are not arguments")
        XCTAssertNil(args["empty"], "empty fields are absent")
        XCTAssertEqual(try OperationEndpoint.arguments(from: ["remove_duplicates": "1"], schema: schema)["remove_duplicates"], false)
        XCTAssertThrowsError(try OperationEndpoint.arguments(from: ["columns": "[oops"], schema: schema))
        XCTAssertThrowsError(try OperationEndpoint.arguments(from: ["limit": "x"], schema: schema))
    }

    func testMessageTemplates() {
        XCTAssertEqual(OperationEndpoint.message("Search completed successfully. {filtered_rows} rows matched.",
                                                 ["filtered_rows": 4]), "Search completed successfully. 4 rows matched.")
        XCTAssertEqual(OperationEndpoint.message("Plain", ["a": 1]), "Plain")
    }
}
