import PluginABI

/// Tracks the cell types seen in each column and names them the way the original's `data_types` did
/// (pandas dtype names): `str`, `int64`, `float64`, `bool`, `datetime64[ns]`, or `object` when mixed.
public struct ColumnTypeTracker {
    private var seen: [UInt8]

    public init(columnCount: Int) { seen = Array(repeating: 0, count: columnCount) }

    public mutating func observe(_ batch: InputTable.Batch) {
        for r in 0..<batch.rowCount {
            let base = r * batch.columnCount
            for c in 0..<batch.columnCount {
                let t = batch.cells[base + c].type
                if t != UInt32(PZ_CELL_NULL.rawValue) { seen[c] |= 1 << UInt8(t) }
            }
        }
    }

    public func typeName(_ column: Int) -> String {
        let mask = seen[column]
        let intBit: UInt8 = 1 << 1, floatBit: UInt8 = 1 << 2, textBit: UInt8 = 1 << 3
        let boolBit: UInt8 = 1 << 4, dateBit: UInt8 = 1 << 5
        switch mask {
        case 0, textBit: return "str"
        case intBit: return "int64"
        case floatBit, intBit | floatBit: return "float64"
        case boolBit: return "bool"
        case dateBit: return "datetime64[ns]"
        default: return "object"
        }
    }
}
