import Foundation
import PluginABI
import XCTest
@testable import TableIO

/// The CSV and JSON writers: exact bytes for every cell type, quoting and escaping, and non-finite floats.
final class TextWritersTests: XCTestCase {
    let names = ["text", "int", "float", "bool", "date", "when", "empty"]
    let date = Double(DateFormatting.days(year: 2026, month: 1, day: 15)) * 86400

    func rows() -> [[CellValue]] {
        [
            [.text("a,\"b\"\nc"), .int(-42), .float(2500.5), .bool(true), .dateTime(date, flags: UInt32(PZ_DT_DATE_ONLY)),
             .dateTime(date + 3723, flags: 0), .null],
            [.text("Phở\t\u{1}"), .int(0), .float(.nan), .bool(false), .null, .dateTime(3723, flags: UInt32(PZ_DT_TIME_ONLY)), .text("")],
        ]
    }

    func testCSV() throws {
        let dir = try TempDir()
        let w = try CSVWriter(path: dir.path("o.csv"), columnNames: names)
        for r in rows() { try w.append(values: r) }
        try w.finish()
        XCTAssertEqual(try String(contentsOfFile: dir.path("o.csv"), encoding: .utf8), """
        text,int,float,bool,date,when,empty
        "a,""b""
        c",-42,2500.5,True,2026-01-15,2026-01-15 01:02:03,
        Phở\t\u{1},0,,False,,01:02:03,

        """)
        XCTAssertThrowsError(try w.finish())
        XCTAssertThrowsError(try w.append(values: rows()[0]))
    }

    func testJSON() throws {
        let dir = try TempDir()
        let w = try JSONRecordsWriter(path: dir.path("o.json"), columnNames: names)
        for r in rows() { try w.append(values: r) }
        try w.finish()
        let data = try Data(contentsOf: URL(fileURLWithPath: dir.path("o.json")))
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        XCTAssertEqual(parsed.count, 2)
        XCTAssertEqual(parsed[0]["text"] as? String, "a,\"b\"\nc")
        XCTAssertEqual(parsed[0]["int"] as? Int, -42)
        XCTAssertEqual(parsed[0]["float"] as? Double, 2500.5)
        XCTAssertEqual(parsed[0]["bool"] as? Bool, true)
        XCTAssertEqual(parsed[0]["date"] as? String, "2026-01-15")
        XCTAssertEqual(parsed[0]["when"] as? String, "2026-01-15T01:02:03")
        XCTAssertTrue(parsed[0]["empty"] is NSNull)
        XCTAssertEqual(parsed[1]["text"] as? String, "Phở\t\u{1}")
        XCTAssertTrue(parsed[1]["float"] is NSNull, "NaN becomes null, keeping the file valid JSON")
        XCTAssertEqual(parsed[1]["when"] as? String, "01:02:03")
        // Key order is the column order.
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertLessThan(text.range(of: "\"text\"")!.lowerBound, text.range(of: "\"empty\"")!.lowerBound)

        let empty = try JSONRecordsWriter(path: dir.path("e.json"), columnNames: ["a"])
        try empty.finish()
        XCTAssertEqual(try String(contentsOfFile: dir.path("e.json"), encoding: .utf8), "[]\n")
    }

    func testXLSXLeavesNonFiniteFloatsEmpty() throws {
        let dir = try TempDir()
        let w = try XLSXWriter(path: dir.path("n.xlsx"), columnNames: ["a", "b"])
        try w.append(values: [.float(.infinity), .int(1)])
        try w.finish()
        XCTAssertEqual(try XLSXReader(path: dir.path("n.xlsx")).readAllValues(), [[.null, .int(1)]])
    }
}
