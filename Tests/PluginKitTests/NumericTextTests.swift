import PluginABI
@testable import PycelizeCore
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

    /// `cell` builds numbers from the digits directly; it must give exactly what the String conversion gives.
    func testCellMatchesTheStringConversion() {
        var samples = ["0", "-0", "0.0", "-0.0", "7", "-42", "972.96", "0.1", "0.30000000000000004", "123456789012345",
                       "-999999999999999", "0.000000000000000000001", "0.0000000000000000000000001", "1.5e3", "5.", ".5",
                       "", "-", "1.2.3", "+4", "12a", "1234567890123456789", "99999999999999.9", "2500.50"]
        var state: UInt64 = 9
        for _ in 0..<50_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let whole = Int64(truncatingIfNeeded: state >> 24) % 1_000_000_000
            let decimals = Int(state >> 8 & 0xF)
            let frac = String(String(state % 10_000_000_000_000).suffix(decimals))
            samples.append("\(state & 1 == 0 ? "-" : "")\(whole)\(decimals == 0 ? "" : "." + frac)")
        }
        for s in samples {
            let bytes = Array(s.utf8)
            let fast = bytes.withUnsafeBufferPointer { NumericText.cell($0) }
            let slow = bytes.withUnsafeBufferPointer { NumericText.cellFromString($0) }
            XCTAssertEqual(fast.type, slow.type, s)
            XCTAssertEqual(fast.value.i, slow.value.i, s) // the same bits, for floats too (-0.0 included)
        }
    }
}
