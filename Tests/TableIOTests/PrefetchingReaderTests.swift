import Foundation
import XCTest
@testable import TableIO

/// The reader that parses the next batch on a second thread: the same rows in the same order as a plain reader,
/// whatever batch sizes the caller asks for; errors after the rows before them; rewind; and its thread ends
/// whenever the reader goes away.
final class PrefetchingReaderTests: XCTestCase {
    private static func csv(_ dir: TempDir, rows: Int, tail: String = "") throws -> String {
        var text = "id,name,amount\n"
        for i in 0..<rows { text += "\(i),name \(i) \(String(repeating: "x", count: i % 13)),\(Double(i) / 4)\n" }
        return try dir.write("t.csv", text + tail)
    }

    /// Reads everything, asking for the sizes in `sizes` in turn, checking the batches' row indexes as it goes.
    private static func readAll(_ reader: any TableReader, sizes: [Int]) throws -> [[CellValue]] {
        var rows: [[CellValue]] = []
        var k = 0
        while true {
            let batch = try reader.nextBatch(maxRows: sizes[k % sizes.count])
            k += 1
            if batch.rowCount == 0 { return rows }
            if sizes[(k - 1) % sizes.count] > 0 { XCTAssertLessThanOrEqual(batch.rowCount, sizes[(k - 1) % sizes.count]) }
            XCTAssertEqual(batch.firstRowIndex, UInt64(rows.count))
            for r in 0..<batch.rowCount { rows.append(batch.row(r).map(CellValue.init)) }
            XCTAssertEqual(reader.rowsRead, Int64(rows.count))
        }
    }

    func testSameRowsAsAPlainReaderWhateverTheBatchSizes() throws {
        let dir = try TempDir()
        let path = try PrefetchingReaderTests.csv(dir, rows: 10_000)
        let expected = try CSVReader(path: path).readAllValues()
        XCTAssertEqual(expected.count, 10_000)
        for sizes in [[0], [1, 7, 3000], [5000], [2048, 0, 1]] {
            let reader = try TableFiles.openReader(path: path, name: "t.csv", prefetching: true)
            XCTAssertTrue(reader is PrefetchingReader)
            XCTAssertEqual(reader.columnNames, ["id", "name", "amount"])
            XCTAssertEqual(try PrefetchingReaderTests.readAll(reader, sizes: sizes), expected, "sizes \(sizes)")
            XCTAssertEqual(try reader.nextBatch(maxRows: 0).rowCount, 0, "the end stays the end")
            XCTAssertEqual(reader.totalRowsHint, 10_000)
        }
        // XLSX too (its own read-ahead thread runs under the prefetch thread).
        let xlsx = dir.path("t.xlsx")
        let writer = try XLSXWriter(path: xlsx, columnNames: ["id", "name", "amount"])
        try writer.copyAll(from: CSVReader(path: path))
        try writer.finish()
        let fromXLSX = try TableFiles.openReader(path: xlsx, name: "t.xlsx", prefetching: true)
        let plain = try XLSXReader(path: xlsx).readAllValues()
        XCTAssertEqual(try PrefetchingReaderTests.readAll(fromXLSX, sizes: [100, 0]), plain)
    }

    func testErrorComesAfterTheRowsBeforeItAndStays() throws {
        let dir = try TempDir()
        let path = try PrefetchingReaderTests.csv(dir, rows: 5000, tail: "1,\"never closed\n")
        var plainRows = 0
        var plainError: Error?
        let plain = try CSVReader(path: path, batchRows: TableFiles.prefetchBatchRows)
        do { while case let n = try plain.nextBatch(maxRows: 0).rowCount, n > 0 { plainRows += n } } catch { plainError = error }
        XCTAssertNotNil(plainError, "the file ends in an unclosed quote")
        XCTAssertGreaterThan(plainRows, 2048, "rows in more than one batch come before the error")
        let reader = try TableFiles.openReader(path: path, name: "t.csv", prefetching: true)
        var rows = 0
        XCTAssertThrowsError(try { while case let n = try reader.nextBatch(maxRows: 0).rowCount, n > 0 { rows += n } }()) { error in
            XCTAssertEqual(error as? TableIOError, plainError as? TableIOError)
        }
        XCTAssertEqual(rows, plainRows, "every row before the error")
        XCTAssertThrowsError(try reader.nextBatch(maxRows: 0), "the error is repeated")
    }

    func testRewindMidStreamAndAfterTheEnd() throws {
        let dir = try TempDir()
        let path = try PrefetchingReaderTests.csv(dir, rows: 7000)
        let expected = try CSVReader(path: path).readAllValues()
        let reader = try TableFiles.openReader(path: path, name: "t.csv", prefetching: true)
        _ = try reader.nextBatch(maxRows: 10)
        _ = try reader.nextBatch(maxRows: 0)
        try reader.rewind()
        XCTAssertEqual(reader.rowsRead, 0)
        XCTAssertEqual(try PrefetchingReaderTests.readAll(reader, sizes: [0]), expected)
        try reader.rewind()
        XCTAssertEqual(try PrefetchingReaderTests.readAll(reader, sizes: [333]), expected)
    }

    func testThreadEndsWhenTheReaderGoesAway() throws {
        let dir = try TempDir()
        let path = try PrefetchingReaderTests.csv(dir, rows: 20_000)
        let before = EngineThread.live
        do {
            let reader = try TableFiles.openReader(path: path, name: "t.csv", prefetching: true)
            XCTAssertEqual(EngineThread.live, before, "no thread before the first batch")
            _ = try reader.nextBatch(maxRows: 1)
            XCTAssertEqual(EngineThread.live, before + 1)
        }
        XCTAssertEqual(EngineThread.live, before, "dropped mid-stream: joined")
        do {
            let reader = try TableFiles.openReader(path: path, name: "t.csv", prefetching: true)
            _ = try PrefetchingReaderTests.readAll(reader, sizes: [0])
        }
        XCTAssertEqual(EngineThread.live, before, "read to the end: joined")
    }
}
