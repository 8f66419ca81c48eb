import PluginABI
import XCTest
@testable import PluginKit

/// `BatchScan` against a fake host: batch sizes follow the row-count hint and progress is reported often enough
/// (at least every 5 % of the rows) for tables of any size, with or without a hint up front.
final class BatchScanTests: XCTestCase {
    /// The fake host's state (C callbacks cannot capture context).
    nonisolated(unsafe) static var total = 0
    nonisolated(unsafe) static var served = 0
    nonisolated(unsafe) static var hintKnownUpFront = true
    nonisolated(unsafe) static var reports: [Double] = []
    nonisolated(unsafe) static var batchSizes: [Int] = []
    nonisolated(unsafe) static let cells = UnsafeMutablePointer<pz_cell>.allocate(capacity: 1 << 16)
    nonisolated(unsafe) static let batch = UnsafeMutablePointer<pz_row_batch>.allocate(capacity: 1)

    static func makeHost() -> UnsafeMutablePointer<pz_host_api> {
        var api = pz_host_api()
        api.struct_size = MemoryLayout<pz_host_api>.size
        api.report_progress = { _, fraction, _ in BatchScanTests.reports.append(fraction) }
        api.is_cancelled = { _ in 0 }
        api.reader_row_count_hint = { _ in
            // Like the CSV reader: unknown before the first batch, an estimate afterwards.
            BatchScanTests.hintKnownUpFront || BatchScanTests.served > 0 ? Int64(BatchScanTests.total) : -1
        }
        api.reader_next_batch = { _, maxRows, out in
            let n = min(maxRows, BatchScanTests.total - BatchScanTests.served, 1 << 16)
            BatchScanTests.batchSizes.append(n)
            BatchScanTests.cells.update(repeating: .int(1), count: n)
            BatchScanTests.batch.pointee = pz_row_batch(struct_size: MemoryLayout<pz_row_batch>.size, row_count: n, column_count: 1,
                                                        cells: BatchScanTests.cells, first_row_index: UInt64(BatchScanTests.served))
            BatchScanTests.served += n
            out?.pointee = UnsafePointer(BatchScanTests.batch)
            return 0
        }
        let host = UnsafeMutablePointer<pz_host_api>.allocate(capacity: 1)
        host.initialize(to: api)
        return host
    }

    func scan(rows: Int, hintUpFront: Bool) throws -> Int64 {
        Self.total = rows
        Self.served = 0
        Self.hintKnownUpFront = hintUpFront
        Self.reports = []
        Self.batchSizes = []
        let host = Self.makeHost()
        defer { host.deallocate() }
        let fakeHandle = OpaquePointer(bitPattern: 1)!
        let call = OperationCall(context: fakeHandle, host: UnsafePointer(host))
        let input = InputTable(reader: fakeHandle, host: UnsafePointer(host))
        var scan = BatchScan(input, call: call)
        while try scan.next() != nil {}
        return scan.rowsRead
    }

    func testProgressAtLeastEveryFivePercent() throws {
        // Small tables are read in a few batches of at least 64 rows (reporting more often costs more than it tells).
        XCTAssertEqual(try scan(rows: 100, hintUpFront: true), 100)
        XCTAssertEqual(Self.reports.last, 1)
        for (rows, upFront) in [(5_000, true), (20_000, true), (200_000, true), (2_000_000, true), (20_000, false), (2_000_000, false)] {
            XCTAssertEqual(try scan(rows: rows, hintUpFront: upFront), Int64(rows))
            XCTAssertEqual(Self.reports.last, 1, "\(rows)")
            var last = 0.0
            for r in Self.reports {
                XCTAssertLessThanOrEqual(r - last, 0.05, "progress jumped from \(last) to \(r) (\(rows) rows)")
                XCTAssertGreaterThanOrEqual(r, last, "progress never goes back")
                last = r
            }
            XCTAssertLessThanOrEqual(Self.batchSizes.max() ?? 0, 8192)
        }
    }
}
