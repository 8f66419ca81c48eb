import PycelizeCore
import PluginABI

/// An input table opened through the host. Batches borrow host memory until the next call on this table.
public final class InputTable {
    let reader: OpaquePointer
    let host: UnsafePointer<pz_host_api>
    public let columnNames: [String]

    init(reader: OpaquePointer, host: UnsafePointer<pz_host_api>) {
        self.reader = reader
        self.host = host
        let api = host.pointee
        let n = api.reader_column_count?(reader) ?? 0
        var names: [String] = []
        for i in 0..<n {
            var p: UnsafePointer<CChar>?
            var len = 0
            if api.reader_column_name?(reader, i, &p, &len) == Int32(PZ_OK.rawValue), let p {
                names.append(String(decoding: UnsafeRawBufferPointer(start: p, count: len), as: UTF8.self))
            } else {
                names.append("")
            }
        }
        columnNames = names
    }

    /// A borrowed batch of rows.
    public struct Batch {
        public let rowCount: Int
        public let columnCount: Int
        public let cells: UnsafeBufferPointer<pz_cell>
        public let firstRowIndex: UInt64

        public func row(_ r: Int) -> UnsafeBufferPointer<pz_cell> {
            UnsafeBufferPointer(rebasing: cells[(r * columnCount)..<((r + 1) * columnCount)])
        }
    }

    /// The next batch (rowCount 0 at the end).
    public func nextBatch(maxRows: Int = 0) throws(OperationFailure) -> Batch {
        var out: UnsafePointer<pz_row_batch>?
        let rc = host.pointee.reader_next_batch?(reader, maxRows, &out) ?? Int32(PZ_ERR_INTERNAL.rawValue)
        guard rc == Int32(PZ_OK.rawValue), let b = out?.pointee else {
            throw OperationFailure(pz_status(rawValue: UInt32(rc)), "")
        }
        return Batch(rowCount: b.row_count, columnCount: b.column_count,
                     cells: UnsafeBufferPointer(start: b.cells, count: b.row_count * b.column_count),
                     firstRowIndex: b.first_row_index)
    }

    public func rewind() throws(OperationFailure) {
        let rc = host.pointee.reader_rewind?(reader) ?? Int32(PZ_ERR_INTERNAL.rawValue)
        guard rc == Int32(PZ_OK.rawValue) else { throw OperationFailure(pz_status(rawValue: UInt32(rc)), "") }
    }

    /// Rows the host expects in total, or -1.
    public var rowCountHint: Int64 { host.pointee.reader_row_count_hint?(reader) ?? -1 }

    public func close() { host.pointee.reader_close?(reader) }
}

/// An output table created through the host.
public final class OutputTable {
    let writer: OpaquePointer
    let host: UnsafePointer<pz_host_api>
    public let columnCount: Int

    init(writer: OpaquePointer, host: UnsafePointer<pz_host_api>, columnCount: Int) {
        self.writer = writer
        self.host = host
        self.columnCount = columnCount
    }

    public func append(rows cells: UnsafeBufferPointer<pz_cell>, rowCount: Int) throws(OperationFailure) {
        let rc = host.pointee.writer_append_rows?(writer, cells.baseAddress, rowCount, columnCount)
            ?? Int32(PZ_ERR_INTERNAL.rawValue)
        guard rc == Int32(PZ_OK.rawValue) else { throw OperationFailure(pz_status(rawValue: UInt32(rc)), "") }
    }

    public func finish() throws(OperationFailure) {
        let rc = host.pointee.writer_finish?(writer) ?? Int32(PZ_ERR_INTERNAL.rawValue)
        guard rc == Int32(PZ_OK.rawValue) else { throw OperationFailure(pz_status(rawValue: UInt32(rc)), "") }
    }
}

extension pz_cell {
    /// The UTF-8 bytes of a text cell (empty for other kinds); the same as `textBytes`.
    public var utf8: UnsafeBufferPointer<UInt8> { textBytes }

    public var isNull: Bool { type == UInt32(PZ_CELL_NULL.rawValue) }
    public var isText: Bool { type == UInt32(PZ_CELL_TEXT.rawValue) }
}
