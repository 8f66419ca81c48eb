import PluginABI
import PluginKit

/// The bind side of a key join: key → the selected columns of the first bind row with that key. Only the key and
/// the selected columns are held (owned copies); the rest of each bind row is dropped as it streams past.
struct BindTable {
    private var index: [[CellKey]: Int] = [:]
    private var values: [CellValue] = []
    private let width: Int
    private(set) var rowsRead: Int64 = 0
    private(set) var duplicatesRemoved: Int64 = 0

    var uniqueKeys: Int { index.count }

    private init(width: Int) { self.width = width }

    /// Null and empty-text keys never match (an absent key is not a key).
    static func isEmptyKey(_ cell: pz_cell) -> Bool { cell.isNull || (cell.isText && cell.text_len == 0) }

    static func load(_ table: InputTable, keyColumns: [Int], valueColumns: [Int],
                     call: OperationCall) throws(OperationFailure) -> BindTable {
        var t = BindTable(width: valueColumns.count)
        var key = [CellKey](repeating: CellKey.exact(pz_cell()), count: keyColumns.count)
        while true {
            let batch = try table.nextBatch()
            if batch.rowCount == 0 { break }
            for r in 0..<batch.rowCount {
                let row = batch.row(r)
                t.rowsRead += 1
                guard fill(&key, from: row, columns: keyColumns) else { continue }
                if t.index[key] != nil {
                    t.duplicatesRemoved += 1
                    continue
                }
                t.index[key] = t.values.count
                for c in valueColumns { t.values.append(CellValue(row[c])) }
            }
            try call.checkCancelled()
        }
        return t
    }

    /// Sets `key` from the row's key cells; false when one of them is empty.
    static func fill(_ key: inout [CellKey], from row: UnsafeBufferPointer<pz_cell>, columns: [Int]) -> Bool {
        for (i, c) in columns.enumerated() {
            if isEmptyKey(row[c]) { return false }
            key[i] = CellKey.matching(row[c])
        }
        return true
    }

    /// The selected values of the first bind row with `key`, or nil.
    func values(for key: [CellKey]) -> ArraySlice<CellValue>? {
        guard let start = index[key] else { return nil }
        return values[start..<(start + width)]
    }
}
