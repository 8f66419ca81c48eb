import PluginKit
import XCTest

final class CellKeyTests: XCTestCase {
    func testExactKeepsTextAndNumbersApart() {
        XCTAssertEqual(CellKey.exact(CellValue.int(2)), CellKey.exact(CellValue.float(2.0)))
        XCTAssertNotEqual(CellKey.exact(CellValue.text("42")), CellKey.exact(CellValue.int(42)))
        XCTAssertEqual(CellKey.exact(CellValue.text("abc")), CellKey.exact(CellValue.text("abc")))
        XCTAssertNotEqual(CellKey.exact(CellValue.text("abc")), CellKey.exact(CellValue.text("ABC")))
        XCTAssertNotEqual(CellKey.exact(CellValue.null), CellKey.exact(CellValue.text("")))
        XCTAssertNotEqual(CellKey.exact(CellValue.bool(true)), CellKey.exact(CellValue.int(1)))
        XCTAssertEqual(CellKey.exact(CellValue.float(-0.0)), CellKey.exact(CellValue.int(0)))
    }

    func testMatchingTreatsPlainNumericTextAsNumbers() {
        XCTAssertEqual(CellKey.matching(CellValue.text("42")), CellKey.matching(CellValue.int(42)))
        XCTAssertEqual(CellKey.matching(CellValue.text("42.0")), CellKey.matching(CellValue.int(42)))
        XCTAssertEqual(CellKey.matching(CellValue.text("2.5")), CellKey.matching(CellValue.float(2.5)))
        XCTAssertNotEqual(CellKey.matching(CellValue.text("0901234567")), CellKey.matching(CellValue.int(901234567)))
        XCTAssertNotEqual(CellKey.matching(CellValue.text("007")), CellKey.matching(CellValue.int(7)))
        XCTAssertNotEqual(CellKey.matching(CellValue.text(" 42")), CellKey.matching(CellValue.int(42)))
        XCTAssertEqual(CellKey.matching(CellValue.text("Ünïcode")), CellKey.matching(CellValue.text("Ünïcode")))
        let set: Set<CellKey> = [.matching(CellValue.text("1")), .matching(CellValue.int(1)), .matching(CellValue.float(1))]
        XCTAssertEqual(set.count, 1)
    }
}
