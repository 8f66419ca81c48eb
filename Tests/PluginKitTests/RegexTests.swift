import Foundation
import PluginABI
import PluginKit
import XCTest

final class RegexTests: XCTestCase {
    func testMatching() throws {
        let r = try Regex(#"^\d{3}-\d{4}$"#)
        XCTAssertTrue(try r.matches("555-1234"))
        XCTAssertFalse(try r.matches("555-12345"))
        XCTAssertTrue(try Regex("café", caseInsensitive: true).matches("CAFÉ au lait"))
        XCTAssertTrue(try Regex(#"^\w+$"#).matches("naïve"), "Unicode-aware classes, as Python's re")
        XCTAssertTrue(try Regex(#"(?P<y>\d{4})"#).matches("in 2024"))
        XCTAssertFalse(try Regex("x").matches(""))
        XCTAssertTrue(try Regex("^$").matches(""))
        XCTAssertTrue(try Regex("(A.B", caseInsensitive: true, literal: true).matches("x(a.b)y"), "literal: no special characters")
        XCTAssertFalse(try Regex("a.b", literal: true).matches("axb"))
        XCTAssertTrue(try Regex("ÉCOLE", caseInsensitive: true, literal: true).matches("une école"))
    }

    func testBadPatternIs422WithThePattern() {
        XCTAssertThrowsError(try Regex("a(b")) { error in
            guard let f = error as? OperationFailure else { return XCTFail("\(error)") }
            XCTAssertEqual(f.status, PZ_ERR_INVALID_ARGUMENT)
            XCTAssertTrue(f.message.contains("'a(b'"), f.message)
        }
        XCTAssertThrowsError(try Regex(String(repeating: "a", count: 10_001)))
    }

    func testCatastrophicBacktrackingHitsTheLimitInsteadOfHanging() throws {
        let r = try Regex("(a+)+$")
        let subject = String(repeating: "a", count: 5000) + "!"
        let start = Date()
        XCTAssertThrowsError(try r.matches(subject)) { error in
            XCTAssertEqual((error as? OperationFailure)?.status, PZ_ERR_INVALID_ARGUMENT)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 30, "a limit, not a hang")
    }

    func testPythonStyleReplacement() throws {
        XCTAssertEqual(try Regex(#"(\w+)@(\w+)"#).replacingAll(in: "bob@example x", with: #"\2 at \1"#), "example at bob x")
        XCTAssertEqual(try Regex(#"(?P<d>\d+)"#).replacingAll(in: "a1b22", with: #"<\g<d>>"#), "a<1>b<22>")
        XCTAssertEqual(try Regex(#"(\d)"#).replacingAll(in: "a1", with: #"\g<1>0"#), "a10")
        XCTAssertEqual(try Regex("x*").replacingAll(in: "abxd", with: "-"), "-a-b--d-", "Python 3.7+ empty-match rule")
        XCTAssertEqual(try Regex(#"[^a-zA-Z0-9\s]"#).replacingAll(in: "Héllo, wörld!", with: ""), "Hllo wrld")
        XCTAssertEqual(try Regex("(a)|(b)").replacingAll(in: "ab", with: #"[\1\2]"#), "[a][b]", "unset groups insert nothing")
        XCTAssertEqual(try Regex(" ").replacingAll(in: "a b", with: #"\n\\"#), "a\n\\b")
        XCTAssertEqual(try Regex("é").replacingAll(in: "éaé", with: "e"), "eae")
        XCTAssertEqual(try Regex("").replacingAll(in: "日本", with: "|"), "|日|本|", "empty matches step by whole characters")
        XCTAssertThrowsError(try Regex("(a)").replacingAll(in: "a", with: #"\2"#))
        XCTAssertThrowsError(try Regex("(a)").replacingAll(in: "a", with: #"\g<nope>"#))
        XCTAssertThrowsError(try Regex("(a)").replacingAll(in: "a", with: #"\q"#))
        XCTAssertThrowsError(try Regex("(a)").replacingAll(in: "a", with: "\\"))
    }
}
