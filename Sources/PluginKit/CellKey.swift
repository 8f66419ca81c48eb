import PycelizeCore
import PluginABI

/// A hashable key for de-duplication and joins, built from a typed cell.
///
/// Numbers compare by value whatever their storage (`2` and `2.0` are one key), text by its exact bytes, dates by
/// instant, booleans and empties by themselves. The two constructors differ only in how text that looks like a number
/// is treated:
/// - `exact`: text stays text (`"42"` ≠ `42`) — de-duplicating one column of one file;
/// - `matching`: text that is a plain decimal number (`NumericText.isPlainDecimal`: no leading zeros, at most 15
///   significant digits) is the number (`"42"` == `42` == `42.0`), so an XLSX key column of numbers matches a CSV key
///   column of the same values. Text such as `0901234567` or `007` stays text and matches only itself.
public struct CellKey: Hashable, Sendable {
    enum Storage: Hashable, Sendable {
        case null
        case int(Int64)
        case float(Double)
        case text(String)
        case bool(Bool)
        case dateTime(Double)
    }

    let storage: Storage

    public static func exact(_ cell: pz_cell) -> CellKey { CellKey(storage: storage(cell, numericText: false)) }

    public static func matching(_ cell: pz_cell) -> CellKey { CellKey(storage: storage(cell, numericText: true)) }

    public static func exact(_ value: CellValue) -> CellKey {
        // Text shares the value's storage instead of a round trip through a borrowed cell (two copies per call).
        if case .text(let s) = value { return CellKey(storage: .text(s)) }
        return value.withCell { exact($0) }
    }

    public static func matching(_ value: CellValue) -> CellKey { value.withCell { matching($0) } }

    private static func storage(_ cell: pz_cell, numericText: Bool) -> Storage {
        switch cell.kind {
        case .null: return .null
        case .int: return .int(cell.value.i)
        case .float: return number(cell.value.f)
        case .bool: return .bool(cell.value.b != 0)
        case .dateTime: return .dateTime(cell.value.f)
        case .text:
            let bytes = cell.textBytes
            if numericText, bytes.count > 0, NumericText.isPlainDecimal(bytes), let v = NumericText.parse(bytes) {
                return number(v)
            }
            return .text(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Integral doubles become integers so that `2.0` and `2` hash alike; `-0.0` is `0`.
    private static func number(_ v: Double) -> Storage {
        if v == v.rounded(), abs(v) < 9.0e15 { return .int(Int64(v)) }
        return .float(v)
    }
}
