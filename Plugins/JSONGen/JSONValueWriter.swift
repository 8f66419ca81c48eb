import PluginKit

/// Writes `JSONValue`s in Python's `json.dumps(ensure_ascii=False)` layout, byte by byte (strings through
/// `JSONCellWriter`, floats as Python's `repr`): the pieces of a template that are not placeholders.
enum JSONValueWriter {
    static func write(_ v: JSONValue, level: Int, pretty: Bool, to out: inout [UInt8]) {
        switch v {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): CellText.appendInt(i, to: &out)
        case .double(let d): out.append(contentsOf: (d.isFinite ? CellText.float(d) : "null").utf8)
        case .string(let s): JSONCellWriter.appendString(s, to: &out)
        case .array(let items):
            container(open: 0x5B, close: 0x5D, count: items.count, level: level, pretty: pretty, to: &out) { i, out in
                write(items[i], level: level + 1, pretty: pretty, to: &out)
            }
        case .object(let members):
            container(open: 0x7B, close: 0x7D, count: members.count, level: level, pretty: pretty, to: &out) { i, out in
                JSONCellWriter.appendString(members[i].0, to: &out)
                out.append(0x3A); out.append(0x20)
                write(members[i].1, level: level + 1, pretty: pretty, to: &out)
            }
        }
    }

    /// `[` / `{`, then `count` items written by `item`, separated and indented, then the closing bracket
    /// (`[]`/`{}` when empty).
    static func container(open: UInt8, close: UInt8, count: Int, level: Int, pretty: Bool, to out: inout [UInt8],
                          _ item: (Int, inout [UInt8]) -> Void) {
        out.append(open)
        for i in 0..<count {
            if i > 0 { out.append(0x2C); if !pretty { out.append(0x20) } }
            if pretty { newline(level + 1, &out) }
            item(i, &out)
        }
        if pretty && count > 0 { newline(level, &out) }
        out.append(close)
    }

    static func newline(_ level: Int, _ out: inout [UInt8]) {
        out.append(0x0A)
        var n = 2 * level
        while n > 0 {
            let k = min(n, indentation.count)
            out.append(contentsOf: indentation[0..<k])
            n -= k
        }
    }

    /// Spaces copied in one piece (appending a `repeatElement` went element by element).
    static let indentation = [UInt8](repeating: 0x20, count: 64)
}
