import Foundation
import XCTest
@testable import TableIO

/// The read-ahead thread between inflate and parse: same bytes, same errors, and it stops (joined, no deadlock)
/// however early the consumer goes away.
final class ReadAheadSourceTests: XCTestCase {
    /// Produces `total` bytes (a counter pattern) in reads of at most `step`, then throws `error` if set.
    final class PatternSource: ByteSource {
        let total: Int
        let step: Int
        let error: TableIOError?
        private var produced = 0
        init(total: Int, step: Int, error: TableIOError? = nil) { self.total = total; self.step = step; self.error = error }
        func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
            let n = min(count, step, total - produced)
            if n == 0, let error { throw error }
            let out = buffer.assumingMemoryBound(to: UInt8.self)
            for k in 0..<n { out[k] = UInt8(truncatingIfNeeded: (produced + k) &* 31 >> 3) }
            produced += n
            return n
        }
    }

    private static func drain(_ source: any ByteSource, readSize: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: readSize)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0.baseAddress!, count: readSize) }
            if n == 0 { return out }
            out.append(contentsOf: buffer[0..<n])
        }
    }

    private static func threadCount() -> Int { EngineThread.live }

    func testSameBytesWhateverTheSizes() throws {
        for (total, step, chunk, readSize) in [(0, 10, 16, 8), (1, 1, 16, 1), (1 << 20, 4096, 1 << 16, 100_000),
                                               (3_000_001, 65_537, 1 << 18, 1 << 20), (999, 7, 64, 3)] {
            let expected = try ReadAheadSourceTests.drain(PatternSource(total: total, step: step), readSize: 1 << 20)
            let ahead = try ReadAheadSource(PatternSource(total: total, step: step), chunkSize: chunk, chunkCount: 3)
            XCTAssertEqual(try ReadAheadSourceTests.drain(ahead, readSize: readSize), expected, "total \(total)")
            var one: UInt8 = 0
            XCTAssertEqual(try ahead.read(into: &one, count: 1), 0, "the end stays the end")
        }
    }

    func testProducerErrorArrivesAfterItsBytes() throws {
        let failure = TableIOError.limitExceeded("bomb")
        let ahead = try ReadAheadSource(PatternSource(total: 1_000_000, step: 5000, error: failure), chunkSize: 1 << 16, chunkCount: 2)
        var received = 0
        var buffer = [UInt8](repeating: 0, count: 70_000)
        XCTAssertThrowsError(try {
            while true {
                let n = try buffer.withUnsafeMutableBytes { try ahead.read(into: $0.baseAddress!, count: $0.count) }
                if n == 0 { break }
                received += n
            }
        }()) { error in XCTAssertEqual(error as? TableIOError, failure) }
        XCTAssertEqual(received, 1_000_000, "every byte before the error")
        XCTAssertThrowsError(try buffer.withUnsafeMutableBytes { try ahead.read(into: $0.baseAddress!, count: 1) }, "sticky")
    }

    func testClosingMidStreamStopsTheThread() throws {
        for _ in 0..<20 {
            // A producer far ahead of a consumer that reads a little and leaves: it waits on a full ring.
            let ahead = try ReadAheadSource(PatternSource(total: 1 << 30, step: 1 << 16), chunkSize: 1 << 16, chunkCount: 2)
            var buffer = [UInt8](repeating: 0, count: 1000)
            _ = try buffer.withUnsafeMutableBytes { try ahead.read(into: $0.baseAddress!, count: $0.count) }
            ahead.close()
            ahead.close() // twice is fine
            // And one dropped without close, before reading anything.
            _ = try ReadAheadSource(PatternSource(total: 1 << 30, step: 1 << 16), chunkSize: 1 << 16, chunkCount: 2)
        }
        XCTAssertEqual(ReadAheadSourceTests.threadCount(), 0, "every read-ahead thread was joined")
    }

    /// A 200k-row sheet read ahead: read one batch and drop the reader (the server does this on cancel), rewind
    /// mid-stream, and read to the end — no deadlock, no thread left behind, the same rows.
    func testXLSXReaderClosesItsReadAheadMidStream() throws {
        let dir = try TempDir()
        let path = dir.path("big.xlsx")
        let writer = try XLSXWriter(path: path, columnNames: ["id", "name", "amount"])
        var cells: [Cell] = []
        let pool = Array("name-0name-1name-2name-3name-4name-5name-6name-7name-8name-9".utf8)
        try pool.withUnsafeBufferPointer { text in
            for start in stride(from: 0, to: 200_000, by: 10_000) {
                cells.removeAll(keepingCapacity: true)
                for i in start..<(start + 10_000) {
                    cells.append(.int(Int64(i)))
                    cells.append(.text(text.baseAddress! + 6 * (i % 10), 6))
                    cells.append(.float(Double(i) / 4))
                }
                try cells.withUnsafeBufferPointer { try writer.append(rows: $0, rowCount: 10_000) }
            }
        }
        try writer.finish()
        do {
            let reader = try XLSXReader(path: path)
            XCTAssertEqual(try reader.nextBatch(maxRows: 1000).rowCount, 1000)
            XCTAssertEqual(ReadAheadSourceTests.threadCount(), 1, "the sheet is read ahead")
        }
        XCTAssertEqual(ReadAheadSourceTests.threadCount(), 0)
        let reader = try XLSXReader(path: path)
        _ = try reader.nextBatch(maxRows: 5000)
        try reader.rewind()
        var rows = 0
        var last: Int64 = -1
        while true {
            let batch = try reader.nextBatch(maxRows: 0)
            if batch.rowCount == 0 { break }
            rows += batch.rowCount
            last = batch.row(batch.rowCount - 1)[0].value.i
        }
        XCTAssertEqual(rows, 200_000)
        XCTAssertEqual(last, 199_999)
    }
}
