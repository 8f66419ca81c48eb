@testable import PluginKit
import PluginABI
import XCTest

/// RowBuffer against a fake host whose writer records what it receives (text copied at the call, as the ABI says).
final class RowBufferTests: XCTestCase {
    nonisolated(unsafe) static var received: [[CellValue]] = []

    override func setUp() {
        super.setUp()
        RowBufferTests.received = []
    }

    func testFlushResolvesTextAndClears() throws {
        var api = pz_host_api()
        api.struct_size = MemoryLayout<pz_host_api>.size
        api.writer_append_rows = { _, cells, rows, columns in
            guard let cells else { return Int32(PZ_ERR_INTERNAL.rawValue) }
            for r in 0..<rows {
                RowBufferTests.received.append((0..<columns).map { CellValue(cells[r * columns + $0]) })
            }
            return Int32(PZ_OK.rawValue)
        }
        try withUnsafePointer(to: &api) { host in
            let output = OutputTable(writer: OpaquePointer(bitPattern: 1)!, host: host, columnCount: 3)
            var buffer = RowBuffer(columnCount: 3)
            let borrowed = Array("borrowed".utf8)
            borrowed.withUnsafeBufferPointer { b in buffer.append(.text(b.baseAddress, b.count)) }
            buffer.append(CellValue.int(7))
            buffer.appendText("")
            buffer.append(CellValue.text("ünï"))
            buffer.append(CellValue.null)
            buffer.append(CellValue.dateTime(86400, flags: 1))
            XCTAssertEqual(buffer.rowCount, 2)
            try buffer.flush(to: output)
            XCTAssertEqual(buffer.rowCount, 0)
            buffer.append(CellValue.bool(true))
            XCTAssertThrowsError(try buffer.flush(to: output), "a partial row is an error, not dropped")
        }
        XCTAssertEqual(RowBufferTests.received, [
            [.text("borrowed"), .int(7), .text("")],
            [.text("ünï"), .null, .dateTime(86400, flags: 1)],
        ])
    }

    /// Uncopied batch cells and copied text mix in one flush: only the copied cells' pointers are resolved.
    func testBorrowedCellsPassThroughBesideCopiedOnes() throws {
        var api = pz_host_api()
        api.struct_size = MemoryLayout<pz_host_api>.size
        api.writer_append_rows = { _, cells, rows, columns in
            guard let cells else { return Int32(PZ_ERR_INTERNAL.rawValue) }
            for r in 0..<rows {
                RowBufferTests.received.append((0..<columns).map { CellValue(cells[r * columns + $0]) })
            }
            return Int32(PZ_OK.rawValue)
        }
        let batch = Array("keptas-is".utf8)
        try withUnsafePointer(to: &api) { host in
            let output = OutputTable(writer: OpaquePointer(bitPattern: 1)!, host: host, columnCount: 2)
            var buffer = RowBuffer(columnCount: 2)
            try batch.withUnsafeBufferPointer { b throws in
                let kept = pz_cell.text(b.baseAddress, 4)
                let asIs = pz_cell.text(b.baseAddress.map { $0 + 4 }, 5)
                [kept, asIs].withUnsafeBufferPointer { buffer.appendBorrowed(row: $0) }
                buffer.append(CellValue.text("copied"))
                buffer.appendBorrowed(asIs)
                buffer.appendBorrowed(kept)
                buffer.append(CellValue.text("second"))
                try buffer.flush(to: output)
            }
        }
        XCTAssertEqual(RowBufferTests.received, [[.text("kept"), .text("as-is")], [.text("copied"), .text("as-is")],
                                                 [.text("kept"), .text("second")]])
    }
}
