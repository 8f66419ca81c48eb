import PluginABI
import XCTest
@testable import PluginKit

/// The search operators on typed cells, without a server: every operator, the edge cases of each, and every
/// compile-time refusal.
final class SearchConditionTests: XCTestCase {
    let lookup = ColumnLookup(["c"])

    func condition(_ op: String, _ value: JSONValue = .null) throws -> SearchCondition {
        try SearchCondition(["column": "c", "operator": .string(op), "value": value], lookup: lookup)
    }

    /// Runs `body` with a text cell borrowing `s`'s bytes.
    func text<R>(_ s: String, _ body: (pz_cell) throws -> R) rethrows -> R {
        let bytes = Array(s.utf8)
        return try bytes.withUnsafeBufferPointer { try body(.text($0.baseAddress, $0.count)) }
    }

    func matches(_ op: String, _ value: JSONValue, _ s: String) throws -> Bool {
        let c = try condition(op, value)
        return try text(s) { cell in try c.matches(cell) }
    }

    func testEquality() throws {
        let thirty = try condition("equals", 30)
        XCTAssertTrue(try thirty.matches(.int(30)))
        XCTAssertTrue(try thirty.matches(.float(30)))
        XCTAssertTrue(try matches("equals", 30, "30"))
        XCTAssertTrue(try matches("equals", 2500.5, "2500.50"), "a JSON number matches numeric text by value")
        XCTAssertFalse(try matches("equals", "2500.5", "2500.50"), "text compares as text")
        XCTAssertTrue(try condition("equals", "30").matches(.int(30)))
        XCTAssertFalse(try matches("equals", "bob", "Bob"), "case-sensitive")
        XCTAssertTrue(try condition("equals", "").matches(.null))
        XCTAssertTrue(try condition("equals", .null).matches(.null))
        XCTAssertTrue(try matches("equals", "", ""))
        XCTAssertFalse(try condition("equals", "x").matches(.null))
        XCTAssertTrue(try condition("equals", true).matches(.bool(true)))
        XCTAssertTrue(try condition("equals", "TRUE").matches(.bool(true)))
        XCTAssertFalse(try condition("equals", true).matches(.bool(false)))
        let day = try XCTUnwrap(DateText.parse("2024-03-01")).seconds
        XCTAssertTrue(try condition("equals", "2024-03-01").matches(.dateTime(day, flags: UInt32(PZ_DT_DATE_ONLY))))
        XCTAssertTrue(try condition("not_equals", "x").matches(.null))
        XCTAssertFalse(try condition("not_equals", 30).matches(.int(30)))
    }

    func testLiteralText() throws {
        XCTAssertTrue(try matches("contains", "(a.b)", "Dana (a.b)"))
        XCTAssertFalse(try matches("contains", "a.c", "abc"), "no wildcard")
        XCTAssertTrue(try matches("contains", "BOB", "bobby"))
        XCTAssertTrue(try matches("contains", "HÀ NỘI", "Thủ đô Hà Nội"))
        XCTAssertTrue(try matches("contains", "ắ", "BẮC"))
        XCTAssertTrue(try matches("contains", "straße", "STRASSE") == false, "lower-casing, not full folding")
        XCTAssertTrue(try matches("contains", "", ""))
        XCTAssertTrue(try matches("contains", 55, "0901555"))
        XCTAssertTrue(try condition("contains", "3").matches(.int(30)), "numbers are searched as their text")
        XCTAssertTrue(try matches("not_contains", "x", "abc"))
        XCTAssertTrue(try condition("not_contains", "x").matches(.null))
        XCTAssertTrue(try matches("starts_with", "Da", "Dana"))
        XCTAssertFalse(try matches("starts_with", "da", "Dana"))
        XCTAssertFalse(try matches("starts_with", "Danaaa", "Dana"))
        XCTAssertTrue(try matches("ends_with", ".com", "a@b.com"))
        XCTAssertFalse(try matches("ends_with", "x.com", ".com"))
    }

    func testEmptiness() throws {
        XCTAssertTrue(try condition("is_empty").matches(.null))
        XCTAssertTrue(try matches("is_empty", .null, ""))
        XCTAssertFalse(try matches("is_empty", .null, " "))
        XCTAssertFalse(try condition("is_empty").matches(.int(0)))
        XCTAssertTrue(try condition("is_not_empty").matches(.bool(false)))
    }

    func testNumbersAndDates() throws {
        XCTAssertTrue(try matches("greater_than", 1000, "1500"))
        XCTAssertFalse(try matches("greater_than", 1000, "abc"))
        XCTAssertFalse(try condition("greater_than", 1).matches(.null))
        XCTAssertTrue(try condition("greater_than_or_equal", "2.5").matches(.float(2.5)))
        XCTAssertTrue(try condition("less_than", 0).matches(.int(-1)))
        XCTAssertTrue(try matches("less_than_or_equal", 1e3, " 1000 "))
        XCTAssertTrue(try condition("between", [1000, 3000]).matches(.int(3000)))
        XCTAssertTrue(try matches("between", ["1000", "3000"], "2500.50"))
        XCTAssertFalse(try condition("between", [3000, 1000]).matches(.int(2000)))
        let jan15 = try XCTUnwrap(DateText.parse("2024-01-15")).seconds
        let cell = pz_cell.dateTime(jan15, flags: UInt32(PZ_DT_DATE_ONLY))
        XCTAssertTrue(try condition("after", "2024-01-14").matches(cell))
        XCTAssertFalse(try condition("after", "2024-01-15").matches(cell), "strict")
        XCTAssertTrue(try condition("before", "Jan 16, 2024").matches(cell))
        XCTAssertTrue(try matches("before", "2024-01-16", "15/01/2024"), "text dates in other unambiguous formats")
        XCTAssertTrue(try matches("after", "2024-01-15", "2024-01-15 10:30"))
        XCTAssertFalse(try matches("after", "2024-01-01", "not a date"))
        XCTAssertTrue(try condition("between", ["2024-01-01", "2024-01-31"]).matches(cell))
        XCTAssertFalse(try condition("between", ["2024-01-01", "2024-01-31"]).matches(.int(5)))
    }

    func testRegex() throws {
        XCTAssertTrue(try matches("regex", "^[AB]", "Bob"))
        XCTAssertFalse(try matches("regex", "^[ab]", "Bob"), "case-sensitive by default")
        XCTAssertTrue(try matches("regex", "(?i)^b", "Bob"))
        XCTAssertTrue(try condition("regex", "^3\\d$").matches(.int(35)))
        XCTAssertTrue(try condition("regex", "^$").matches(.null))
        let hostile = try condition("regex", "^(a+)+$")
        XCTAssertThrowsError(try text(String(repeating: "a", count: 40) + "!") { try hostile.matches($0) }) { error in
            XCTAssertEqual((error as? OperationFailure)?.status, PZ_ERR_INVALID_ARGUMENT)
        }
    }

    func testRefusals() {
        let cases: [(JSONValue, String)] = [
            (["column": "nope", "operator": "equals", "value": 1], "Column 'nope' not found in data"),
            (["column": "c", "operator": "Like", "value": 1], "Unsupported operator: like"),
            (["column": "c", "operator": "between", "value": 1], "For 'between' operator, value must be a list with [min, max]"),
            (["column": "c", "operator": "between", "value": [1]], "For 'between' operator, value must be a list with [min, max]"),
            (["column": "c", "operator": "between", "value": [1, "2024-01-01"]], #"For 'between' operator, min and max must both be numbers or both be dates, got [1, "2024-01-01"]"#),
            (["column": "c", "operator": "greater_than", "value": "1,000"], #"Value for 'greater_than' must be a number, got "1,000""#),
            (["column": "c", "operator": "greater_than", "value": true], "Value for 'greater_than' must be a number, got true"),
            (["column": "c", "operator": "after", "value": 2024], "Value for 'after' must be a date such as 2024-01-31, got 2024"),
            (["column": "c", "operator": "equals", "value": [1]], "Value for 'equals' must be text, a number, a boolean or null, got [1]"),
            (["column": "c", "operator": "starts_with"], "Value for 'starts_with' must be text or a number, got null"),
            (["column": "c", "operator": "regex", "value": 5], "Value for 'regex' must be a regular expression string, got 5"),
        ]
        for (json, message) in cases {
            XCTAssertThrowsError(try SearchCondition(json, lookup: lookup), message) { error in
                let failure = error as? OperationFailure
                XCTAssertEqual(failure?.status, PZ_ERR_INVALID_ARGUMENT, message)
                XCTAssertEqual(failure?.message, message)
            }
        }
        XCTAssertThrowsError(try SearchCondition(["column": "c", "operator": "regex", "value": "("], lookup: lookup)) { error in
            XCTAssertTrue((error as? OperationFailure)?.message.hasPrefix("Invalid regular expression '('") == true)
        }
    }

    func testLogic() throws {
        let a = try condition("equals", "a"), b = try condition("contains", "b")
        let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 2)
        defer { bytes.deallocate() }
        _ = bytes.initialize(from: Array("ab".utf8))
        let rows: [[pz_cell]] = [[.null], [.text(UnsafePointer(bytes.baseAddress), 2)]]
        var answers: [[Bool]] = []
        for row in rows {
            answers.append(try row.withUnsafeBufferPointer { r in
                [try SearchFilter(conditions: [a, b], logic: .and).matches(r), try SearchFilter(conditions: [a, b], logic: .or).matches(r)]
            })
        }
        XCTAssertEqual(answers, [[false, false], [false, true]])
    }

    func testSuggestionTable() {
        XCTAssertEqual(SearchOperator.suggestions(forType: "int64").count, 7)
        XCTAssertEqual(SearchOperator.suggestions(forType: "float64"), SearchOperator.suggestions(forType: "int64"))
        XCTAssertEqual(SearchOperator.suggestions(forType: "datetime64[ns]"), [.equals, .before, .after, .between])
        XCTAssertEqual(SearchOperator.suggestions(forType: "bool"), [.equals, .notEquals])
        XCTAssertEqual(SearchOperator.suggestions(forType: "object").count, 8)
        XCTAssertEqual(SearchOperator.allCases.count, 16)
    }
}
