import XCTest
@testable import TableIO

/// The CSV reader's row-count hint: unknown before the first batch, an estimate from the bytes read afterwards
/// (what streaming operations use for progress), exact at the end and again after a rewind.
final class CSVRowCountHintTests: XCTestCase {
    func testEstimateFirmsUpAndEndsExact() throws {
        let dir = try TempDir()
        var text = "\u{FEFF}id,name,note\n"
        for i in 0..<10_000 { text += "\(i),name \(i % 97),\(i % 3 == 0 ? "\"quoted, text\"" : "x")\n" }
        let path = try dir.write("rows.csv", text)
        let reader = try CSVReader(path: path, batchRows: 500)
        XCTAssertEqual(reader.totalRowsHint, -1)
        for pass in 0..<2 {
            var first = true
            while try reader.nextBatch(maxRows: 0).rowCount > 0 {
                if first {
                    first = false
                    let hint = reader.totalRowsHint
                    XCTAssertGreaterThan(hint, 8_000, "pass \(pass)")
                    XCTAssertLessThan(hint, 12_000, "pass \(pass)")
                }
                XCTAssertGreaterThanOrEqual(reader.totalRowsHint, reader.rowsRead)
            }
            XCTAssertEqual(reader.totalRowsHint, 10_000, "pass \(pass)")
            try reader.rewind()
            XCTAssertEqual(reader.totalRowsHint, -1)
        }
    }
}
