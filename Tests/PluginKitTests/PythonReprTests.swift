import PluginKit
import XCTest

final class PythonReprTests: XCTestCase {
    func testStringsQuoteAsPythonDoes() {
        XCTAssertEqual(PythonRepr.string("dept"), "'dept'")
        XCTAssertEqual(PythonRepr.string("it's"), #""it's""#)
        XCTAssertEqual(PythonRepr.string(#"say "it's""#), #"'say "it\'s"'"#)
        XCTAssertEqual(PythonRepr.string("a\\b\nc"), #"'a\\b\nc'"#)
        XCTAssertEqual(PythonRepr.string("Nguyễn"), "'Nguyễn'")
    }

    func testLists() {
        XCTAssertEqual(PythonRepr.list([]), "[]")
        XCTAssertEqual(PythonRepr.list(["x", "y"]), "['x', 'y']")
    }
}
