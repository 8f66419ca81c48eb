import PycelizeCore
import PluginABI

/// A reusable row-major block of cells plus the arena that holds its text. Readers fill one and hand it out; the
/// contents are valid until the reader's next call. Its layout is exactly `pz_row_batch`.
public final class RowBatch {
    public private(set) var columnCount: Int
    public private(set) var rowCount = 0
    /// 0-based index of the first row in this batch among the table's data rows.
    public var firstRowIndex: UInt64 = 0
    public let arena = TextArena()
    private(set) var storage: UnsafeMutablePointer<Cell>
    private(set) var capacityRows: Int
    /// False for a view (`show(_:rows:)`): the cells belong to another batch.
    private var ownsStorage = true
    /// A view's one-cell allocation until it first shows something (so `storage` is never dangling).
    private var placeholder: UnsafeMutablePointer<Cell>?
    /// The C view handed to plugins (kept in sync by `publish()`); heap-allocated so its address is stable.
    private let cView: UnsafeMutablePointer<pz_row_batch> = {
        let p = UnsafeMutablePointer<pz_row_batch>.allocate(capacity: 1)
        p.initialize(to: pz_row_batch())
        return p
    }()

    public init(columnCount: Int, capacityRows: Int = 4096) {
        self.columnCount = columnCount
        self.capacityRows = max(1, capacityRows)
        storage = .allocate(capacity: max(1, columnCount) * self.capacityRows)
    }

    deinit {
        if ownsStorage { storage.deallocate() }
        placeholder?.deallocate()
        cView.deallocate()
    }

    /// An empty batch for `show(_:rows:)` only: it owns no cells.
    init(view: ()) {
        columnCount = 0
        capacityRows = 0
        storage = .allocate(capacity: 1)
        placeholder = storage
        ownsStorage = false
    }

    /// Makes this view show `rows` of `other` (cells and text stay where they are, valid while `other` is not
    /// refilled).
    func show(_ other: RowBatch, rows: Range<Int>) {
        precondition(!ownsStorage && rows.lowerBound >= 0 && rows.upperBound <= other.rowCount)
        storage = other.storage.advanced(by: rows.lowerBound * other.columnCount)
        columnCount = other.columnCount
        rowCount = rows.count
        firstRowIndex = other.firstRowIndex + UInt64(rows.lowerBound)
    }

    /// Replaces the contents with a copy of `other`'s rows, text included (`other` may then be refilled).
    func copy(from other: RowBatch) {
        precondition(ownsStorage)
        clear()
        if other.columnCount != columnCount || other.rowCount > capacityRows {
            storage.deallocate()
            capacityRows = max(capacityRows, other.rowCount, 1)
            columnCount = other.columnCount
            storage = .allocate(capacity: max(1, columnCount) * capacityRows)
        }
        let n = other.rowCount * columnCount
        storage.update(from: other.storage, count: n)
        for i in 0..<n where storage[i].type == UInt32(PZ_CELL_TEXT.rawValue) {
            storage[i] = arena.textCell(storage[i].textBytes)
        }
        rowCount = other.rowCount
        firstRowIndex = other.firstRowIndex
    }

    /// Empties the batch (and its arena) for refilling.
    public func clear() {
        rowCount = 0
        arena.reset()
    }

    /// Changes the column count; only allowed while empty.
    public func setColumnCount(_ n: Int) {
        precondition(rowCount == 0)
        if n * capacityRows > max(1, columnCount) * capacityRows {
            storage.deallocate()
            storage = .allocate(capacity: max(1, n) * capacityRows)
        }
        columnCount = n
    }

    public var isFull: Bool { rowCount >= capacityRows }

    /// Appends a row of nulls and returns a pointer to its cells for filling.
    public func appendNullRow() -> UnsafeMutablePointer<Cell> {
        let row = storage.advanced(by: rowCount * columnCount)
        row.initialize(repeating: .null, count: columnCount)
        rowCount += 1
        return row
    }

    /// The cells of row `r` (below `rowCount`) for filling in place.
    func rowPointer(_ r: Int) -> UnsafeMutablePointer<Cell> {
        storage.advanced(by: r * columnCount)
    }

    /// Appends a row without initializing its cells: the caller must set every one of them before the batch is
    /// read, or drop the row again with `removeLastRow` (cells are plain values, so nothing leaks either way).
    public func appendUnsetRow() -> UnsafeMutablePointer<Cell> {
        let row = storage.advanced(by: rowCount * columnCount)
        rowCount += 1
        return row
    }

    /// Drops the last row (used when a trailing row turns out to be blank).
    public func removeLastRow() {
        if rowCount > 0 { rowCount -= 1 }
    }

    /// The cell at (row, column) of this batch.
    public subscript(row: Int, column: Int) -> Cell {
        storage[row * columnCount + column]
    }

    /// The cells of one row.
    public func row(_ r: Int) -> UnsafeBufferPointer<Cell> {
        UnsafeBufferPointer(start: storage.advanced(by: r * columnCount), count: columnCount)
    }

    /// All cells, row-major.
    public var cells: UnsafeBufferPointer<Cell> {
        UnsafeBufferPointer(start: storage, count: rowCount * columnCount)
    }

    /// Refreshes and returns the C view (pointer valid while this batch lives and is not refilled).
    public func publish() -> UnsafePointer<pz_row_batch> {
        cView.pointee = pz_row_batch(struct_size: MemoryLayout<pz_row_batch>.size, row_count: rowCount,
                                     column_count: columnCount, cells: UnsafePointer(storage),
                                     first_row_index: firstRowIndex)
        return UnsafePointer(cView)
    }
}
