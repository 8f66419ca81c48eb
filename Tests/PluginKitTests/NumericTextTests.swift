import PycelizeCore
import XCTest

final class NumericTextTests: XCTestCase {
    func testParse() {
        XCTAssertEqual(NumericText.parse("42"), 42)
        XCTAssertEqual(NumericText.parse(" -3.5 "), -3.5)
        XCTAssertEqual(NumericText.parse("+1e3"), 1000)
        XCTAssertEqual(NumericText.parse(".5"), 0.5)
        XCTAssertEqual(NumericText.parse("5."), 5)
        XCTAssertEqual(NumericText.parse("0901234567"), 901234567)
        for s in ["", " ", "1,000", "0x10", "inf", "nan", "1e", "e5", "--1", "1.2.3", "١٢", "1e999", "$5"] {
            XCTAssertNil(NumericText.parse(s), s)
        }
    }

    func testCellValueInterpretation() {
        XCTAssertEqual(CellValue.text("12.5").number, 12.5)
        XCTAssertEqual(CellValue.int(7).number, 7)
        XCTAssertNil(CellValue.bool(true).number)
        XCTAssertNil(CellValue.text("abc").number)
        XCTAssertEqual(CellValue.text("2024-01-05").dateTime?.flags, 0x1)
        XCTAssertEqual(CellValue.dateTime(86400, flags: 1).dateTime?.seconds, 86400)
        XCTAssertNil(CellValue.int(20240105).dateTime)
        XCTAssertEqual(CellValue.float(2.0).text, "2")
        XCTAssertEqual(CellValue.float(2.5).text, "2.5")
        XCTAssertEqual(CellValue.bool(true).text, "True")
        XCTAssertEqual(CellValue.null.text, "")
        XCTAssertTrue(CellValue.text("").isEmpty)
        XCTAssertTrue(CellValue.null.isEmpty)
        XCTAssertFalse(CellValue.int(0).isEmpty)
    }
}
