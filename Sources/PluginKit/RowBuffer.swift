import PycelizeCore
import PluginABI

/// Collects output rows for an `OutputTable`, owning the bytes of text cells until they are flushed, so an operation
/// can build rows from borrowed input cells and computed values without managing memory itself.
///
/// Text is copied into one growing arena; cells keep offsets into it until `flush` turns them into pointers for the
/// host's `writer_append_rows` call (the host copies what it keeps). Cells of the current input batch can instead be
/// passed through uncopied (`appendBorrowed`) when the buffer is flushed before the batch is released.
public struct RowBuffer {
    public let columnCount: Int
    private var cells: [pz_cell] = []
    /// Indexes in `cells` of the text cells whose bytes are in `arena` (their pointer is resolved at flush).
    private var arenaCells: [Int] = []
    private var arena: [UInt8] = []

    public init(columnCount: Int) {
        self.columnCount = columnCount
        cells.reserveCapacity(columnCount * 1024)
    }

    /// Complete rows collected so far.
    public var rowCount: Int { columnCount == 0 ? 0 : cells.count / columnCount }

    /// True when the buffer is worth flushing (about 4,096 rows or 4 MiB of text).
    public var shouldFlush: Bool { rowCount >= 4096 || arena.count >= 4 << 20 }

    /// Appends one cell (of the current row); text bytes are copied.
    public mutating func append(_ cell: pz_cell) {
        guard cell.kind == .text else { cells.append(cell); return }
        appendText(cell.textBytes)
    }

    public mutating func append(_ value: CellValue) {
        if case .text(let s) = value { appendText(s) } else { value.withCell { cells.append($0) } }
    }

    public mutating func appendText(_ s: String) {
        var copy = s
        copy.withUTF8 { appendText($0) }
    }

    public mutating func appendText(_ bytes: UnsafeBufferPointer<UInt8>) {
        let offset = arena.count
        arena.append(contentsOf: bytes)
        // The offset waits in value.i until flush resolves it against the arena's final address.
        arenaCells.append(cells.count)
        cells.append(pz_cell(type: UInt32(PZ_CELL_TEXT.rawValue), flags: 0, value: .init(i: Int64(offset)),
                             text: nil, text_len: bytes.count))
    }

    /// Appends a whole row of borrowed cells (copied).
    public mutating func append(row: UnsafeBufferPointer<pz_cell>) {
        for cell in row { append(cell) }
    }

    /// Appends a cell of the input batch being read without copying its text: the cheap path for cells an
    /// operation passes through unchanged. The caller must `flush` before the next `nextBatch`, `rewind` or `close`
    /// of the table the cell came from (the batch's memory is the host's until then).
    @inline(__always)
    public mutating func appendBorrowed(_ cell: pz_cell) {
        cells.append(cell)
    }

    /// Appends a whole row of the current batch uncopied (see `appendBorrowed(_:)`).
    public mutating func appendBorrowed(row: UnsafeBufferPointer<pz_cell>) {
        cells.append(contentsOf: row)
    }

    /// Hands every complete row to `output` and empties the buffer. A partial row stays an error of the caller:
    /// it is reported as an internal failure rather than silently dropped.
    public mutating func flush(to output: OutputTable) throws(OperationFailure) {
        guard !cells.isEmpty else { return }
        guard cells.count % max(columnCount, 1) == 0 else {
            throw .internalError("RowBuffer: \(cells.count % columnCount) cells of an unfinished row at flush")
        }
        let rows = rowCount
        let result: OperationFailure? = arena.withUnsafeBufferPointer { text in
            let base = UnsafeRawPointer(text.baseAddress)?.assumingMemoryBound(to: CChar.self)
            for i in arenaCells {
                cells[i].text = base.map { $0 + Int(cells[i].value.i) }
                cells[i].value.i = 0
            }
            do throws(OperationFailure) {
                try cells.withUnsafeBufferPointer { buf throws(OperationFailure) in try output.append(rows: buf, rowCount: rows) }
                return nil
            } catch { return error }
        }
        cells.removeAll(keepingCapacity: true)
        arenaCells.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
        if let result { throw result }
    }
}
