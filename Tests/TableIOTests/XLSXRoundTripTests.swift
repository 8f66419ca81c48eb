import XCTest
import PluginABI
@testable import TableIO

final class XLSXRoundTripTests: XCTestCase {
    func testEveryCellTypeRoundTrips() throws {
        let dir = try TempDir()
        let path = dir.path("out.xlsx")
        let names = ["text", "int", "float", "bool", "date", "datetime", "empty"]
        let date = Double(DateFormatting.days(year: 2026, month: 1, day: 15)) * 86400
        let rows: [[CellValue]] = [
            [.text("0901234567"), .int(42), .float(2500.5), .bool(true), .dateTime(date, flags: UInt32(PZ_DT_DATE_ONLY)),
             .dateTime(date + 3723, flags: 0), .null],
            [.text("=SUM(A1)"), .int(-9_007_199_254_740_992), .float(0.1), .bool(false), .null, .null, .null],
            [.text(" Phở <&> \"q\"\nline "), .int(0), .float(-1e-5), .null, .null, .null, .text("")],
            [.text("tab\u{1}ctl"), .null, .null, .null, .null, .null, .null],
        ]
        let writer = try XLSXWriter(path: path, columnNames: names,
                                    options: XLSXWriteOptions(sheetName: "Data", infoSheet: .init(fileName: "out.xlsx", created: "2026-11-25 10:00:00")))
        for r in rows { try writer.append(values: r) }
        try writer.finish()

        let wb = try XLSXWorkbook(path: path)
        XCTAssertEqual(wb.sheetNames, ["Data", "Info"])
        let reader = try XLSXReader(workbook: wb, sheetName: "Data")
        XCTAssertEqual(reader.columnNames, names)
        let back = try reader.readAllValues()
        XCTAssertEqual(back.count, 4)
        XCTAssertEqual(back[0], rows[0])
        XCTAssertEqual(back[1], rows[1])
        // Empty text is written as an inline string and comes back as empty text.
        XCTAssertEqual(back[2], rows[2])
        XCTAssertEqual(back[3][0], .text("tab\u{1}ctl"), "control characters round-trip through _xHHHH_ escapes")

        let info = try XLSXReader(workbook: wb, sheetName: "Info").readAllValues()
        XCTAssertEqual(info[2], [.text("Rows"), .int(4)])
        XCTAssertEqual(info[4], [.text("Column Names"), .text(names.joined(separator: ", "))])
    }

    func testMissingSheetAndNotAZip() throws {
        let dir = try TempDir()
        let path = dir.path("a.xlsx")
        let w = try XLSXWriter(path: path, columnNames: ["a"])
        try w.finish()
        XCTAssertThrowsError(try XLSXReader(path: path, sheetName: "Nope")) { error in
            XCTAssertEqual(error as? TableIOError, .sheetNotFound("Nope"))
        }
        XCTAssertEqual(try XLSXReader(path: path).readAllValues().count, 0)
        let bad = try dir.write("bad.xlsx", "hello, this is not a zip file at all........")
        XCTAssertThrowsError(try XLSXReader(path: bad)) { error in
            guard case TableIOError.badInput = error else { return XCTFail("\(error)") }
        }
    }

    func testManyRowsStreamAcrossBatches() throws {
        let dir = try TempDir()
        let path = dir.path("big.xlsx")
        let w = try XLSXWriter(path: path, columnNames: ["i", "s"])
        for i in 0..<30_000 { try w.append(values: [.int(Int64(i)), .text("row \(i)")]) }
        try w.finish()
        let r = try XLSXReader(path: path, batchRows: 1000)
        var n = 0
        while true {
            let b = try r.nextBatch(maxRows: 0)
            if b.rowCount == 0 { break }
            for k in 0..<b.rowCount {
                XCTAssertEqual(CellValue(b[k, 0]), .int(Int64(n)))
                n += 1
            }
        }
        XCTAssertEqual(n, 30_000)
    }
}
