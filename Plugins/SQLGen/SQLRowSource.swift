import PluginABI
import PluginKit

/// The rows a SQL generator reads: input 0 (a sheet by name, or the first), narrowed to `columns` when given,
/// optionally without duplicate rows. Generators that must print the row count before the rows (every file
/// output does) call `count()` first — one extra read of the input instead of holding 200,000 statements.
final class SQLRowSource {
    let call: OperationCall
    let input: InputTable
    /// Input column indexes of the frame (the `columns` subset in its order, or every column).
    let frame: [Int]
    let removeDuplicates: Bool
    /// Which rows survive de-duplication (filled by `count()`; empty = all rows).
    private var keep: [Bool] = []
    private(set) var counted: Int?

    init(_ call: OperationCall, sheet: String? = nil, columns: [String], removeDuplicates: Bool) throws(OperationFailure) {
        self.call = call
        input = try call.openInput(0, sheet: sheet)
        let names = input.columnNames
        if columns.isEmpty {
            frame = Array(names.indices)
        } else {
            let missing = columns.filter { !names.contains($0) }
            guard missing.isEmpty else {
                input.close()
                throw .invalidArgument("Columns not found: \(missing.joined(separator: ", "))")
            }
            frame = columns.compactMap { names.firstIndex(of: $0) }
        }
        self.removeDuplicates = removeDuplicates
    }

    deinit { input.close() }

    /// The input index of data column `name`, which must be in the frame: 422 `Column 'X' not found in data`.
    func column(_ name: String) throws(OperationFailure) -> Int {
        guard let i = frame.first(where: { input.columnNames[$0] == name }) else {
            throw .invalidArgument("Column '\(name)' not found in data")
        }
        return i
    }

    /// Pass 1: the number of rows the generator will see (after de-duplication).
    func count() throws(OperationFailure) -> Int {
        var seen = Set<[UInt8]>()
        var total = 0
        var key: [UInt8] = []
        try scan(from: 0, to: 0.3, label: "Counting rows") { row throws(OperationFailure) in
            if removeDuplicates {
                key.removeAll(keepingCapacity: true)
                for c in frame { Self.appendKey(row[c], to: &key) }
                let fresh = seen.insert(key).inserted
                keep.append(fresh)
                if fresh { total += 1 }
            } else {
                total += 1
            }
        }
        try input.rewind()
        counted = total
        return total
    }

    /// Calls `body` with every kept row (cells indexed by input column) and its 0-based position among them.
    func forEachRow(_ body: (UnsafeBufferPointer<pz_cell>, Int) throws(OperationFailure) -> Void) throws(OperationFailure) {
        var seen = Set<[UInt8]>()
        var key: [UInt8] = []
        var rowIndex = 0, kept = 0
        let needOwnDedup = removeDuplicates && counted == nil
        try scan(from: counted == nil ? 0 : 0.3, to: 1, label: "Generating statements") { row throws(OperationFailure) in
            defer { rowIndex += 1 }
            if removeDuplicates {
                if needOwnDedup {
                    key.removeAll(keepingCapacity: true)
                    for c in frame { Self.appendKey(row[c], to: &key) }
                    if !seen.insert(key).inserted { return }
                } else if rowIndex >= keep.count || !keep[rowIndex] {
                    return
                }
            }
            try body(row, kept)
            kept += 1
        }
    }

    private func scan(from start: Double, to end: Double, label: String,
                      _ body: (UnsafeBufferPointer<pz_cell>) throws(OperationFailure) -> Void) throws(OperationFailure) {
        let hint = input.rowCountHint
        var done: Int64 = 0
        while true {
            let batch = try input.nextBatch()
            if batch.rowCount == 0 { break }
            for r in 0..<batch.rowCount { try body(batch.row(r)) }
            done += Int64(batch.rowCount)
            if call.isCancelled { throw OperationFailure(PZ_ERR_CANCELLED, "cancelled") }
            if hint > 0 { call.progress(start + (end - start) * min(1, Double(done) / Double(hint)), label) }
        }
    }

    /// An exact key of a cell: its type, then its value (text by length and bytes).
    static func appendKey(_ cell: pz_cell, to key: inout [UInt8]) {
        key.append(UInt8(truncatingIfNeeded: cell.type))
        switch cell.type {
        case UInt32(PZ_CELL_TEXT.rawValue):
            withUnsafeBytes(of: cell.text_len.littleEndian) { key.append(contentsOf: $0) }
            key.append(contentsOf: cell.utf8)
        case UInt32(PZ_CELL_INT.rawValue): withUnsafeBytes(of: cell.value.i) { key.append(contentsOf: $0) }
        case UInt32(PZ_CELL_FLOAT.rawValue), UInt32(PZ_CELL_DATETIME.rawValue):
            withUnsafeBytes(of: cell.value.f.bitPattern) { key.append(contentsOf: $0) }
            key.append(UInt8(truncatingIfNeeded: cell.flags))
        case UInt32(PZ_CELL_BOOL.rawValue): key.append(cell.value.b != 0 ? 1 : 0)
        default: break
        }
    }
}
