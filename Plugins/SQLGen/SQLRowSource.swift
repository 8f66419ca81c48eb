import PluginABI
import PluginKit

/// The rows a SQL generator reads: input 0 (a sheet by name, or the first), narrowed to `columns` when given,
/// optionally without duplicate rows, read in one pass. (File outputs print the row count before the rows: they put
/// it in the host's text prefix once the rows are written.)
final class SQLRowSource {
    let call: OperationCall
    let input: InputTable
    /// Input column indexes of the frame (the `columns` subset in its order, or every column).
    let frame: [Int]
    let removeDuplicates: Bool

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

    /// Calls `body` with every kept row (cells indexed by input column) and its 0-based position among them.
    func forEachRow(_ body: (UnsafeBufferPointer<pz_cell>, Int) throws(OperationFailure) -> Void) throws(OperationFailure) {
        var seen = Set<[CellKey]>()
        var kept = 0
        try scan(from: 0, to: 1, label: "Generating statements") { row throws(OperationFailure) in
            if removeDuplicates && !seen.insert(rowKey(row)).inserted { return }
            try body(row, kept)
            kept += 1
        }
    }

    /// One pass over the input with the shared batch scan (cancellation, progress in `start...end`).
    private func scan(from start: Double, to end: Double, label: String,
                      _ body: (UnsafeBufferPointer<pz_cell>) throws(OperationFailure) -> Void) throws(OperationFailure) {
        var scan = BatchScan(input, call: call, progress: start...end, message: label)
        while let batch = try scan.next() {
            for r in 0..<batch.rowCount { try body(batch.row(r)) }
        }
    }

    /// The row's identity for de-duplication: the product's one rule for typed equality (`CellKey.exact`, as
    /// `excel/extract-columns-to-file` uses).
    private func rowKey(_ row: UnsafeBufferPointer<pz_cell>) -> [CellKey] { frame.map { CellKey.exact(row[$0]) } }
}
