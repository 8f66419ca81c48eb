import PluginABI
import PluginKit

/// Writes cells as JSON values, byte by byte, the way Python's `json.dumps(ensure_ascii=False)` writes them:
/// text as strings (only `"`, `\` and control characters escaped; non-ASCII and `/` raw), integers and floats as
/// numbers (`2.5`, `3.0`, `1e+16`), booleans, dates as ISO strings (`2024-01-05`, `2024-01-05T10:30:00`, `10:30:00`).
enum JSONCellWriter {
    /// True when the cell counts as empty for `null_handling` (null, or empty text).
    @inline(__always)
    static func isEmpty(_ cell: pz_cell) -> Bool {
        cell.type == UInt32(PZ_CELL_NULL.rawValue) || (cell.type == UInt32(PZ_CELL_TEXT.rawValue) && cell.text_len == 0)
    }

    /// Appends a non-empty cell's JSON value.
    @inline(__always)
    static func append(_ cell: pz_cell, to out: inout [UInt8]) {
        switch cell.type {
        case UInt32(PZ_CELL_TEXT.rawValue): appendString(cell.utf8, to: &out)
        case UInt32(PZ_CELL_INT.rawValue): CellText.appendInt(cell.value.i, to: &out)
        case UInt32(PZ_CELL_FLOAT.rawValue): out.append(contentsOf: CellText.float(cell.value.f).utf8)
        case UInt32(PZ_CELL_BOOL.rawValue): out.append(contentsOf: (cell.value.b != 0 ? "true" : "false").utf8)
        case UInt32(PZ_CELL_DATETIME.rawValue):
            out.append(0x22)
            CellText.appendDateTime(seconds: cell.value.f, flags: cell.flags, separator: 0x54, to: &out)
            out.append(0x22)
        default: out.append(contentsOf: "null".utf8)
        }
    }

    /// The cell as a `JSONValue` (same forms as `append`; empty cells are `.null`).
    static func value(_ cell: pz_cell) -> JSONValue {
        switch cell.type {
        case UInt32(PZ_CELL_TEXT.rawValue): return cell.text_len == 0 ? .null : .string(String(decoding: cell.utf8, as: UTF8.self))
        case UInt32(PZ_CELL_INT.rawValue): return .int(cell.value.i)
        case UInt32(PZ_CELL_FLOAT.rawValue): return .double(cell.value.f)
        case UInt32(PZ_CELL_BOOL.rawValue): return .bool(cell.value.b != 0)
        case UInt32(PZ_CELL_DATETIME.rawValue):
            var bytes: [UInt8] = []
            CellText.appendDateTime(seconds: cell.value.f, flags: cell.flags, separator: 0x54, to: &bytes)
            return .string(String(decoding: bytes, as: UTF8.self))
        default: return .null
        }
    }

    /// Appends a JSON string literal of UTF-8 bytes.
    static func appendString(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        appendEscaped(bytes, to: &out)
        out.append(0x22)
    }

    /// Appends UTF-8 bytes escaped for the inside of a JSON string (no quotes): the serializer's rule.
    @inline(__always)
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        JSONSerializer.appendEscaped(bytes, to: &out)
    }

    static func appendString(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendString($0, to: &out) }
    }
}
