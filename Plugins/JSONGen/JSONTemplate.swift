import PluginABI
import PluginKit

/// The JSON template language of `json/generate-with-template` (§3.9), compiled once per call.
///
/// Object keys are kept; every string value is scanned for `{name[:type][|default]}` placeholders. A string that
/// is exactly one placeholder becomes a typed value (number, boolean, null, string); a string mixing text and
/// placeholders stays text, each placeholder replaced by its value's text (empty values vanish).
struct JSONTemplate {
    enum Hint { case none, int, float, bool, text }

    struct Placeholder {
        let column: Int?    // nil = not mapped → null
        let hint: Hint
        let defaultText: String?
    }

    indirect enum Node {
        case literal(JSONValue)
        case object([(key: [UInt8], value: Node)])  // keys pre-escaped: `"name"`
        case array([Node])
        case whole(Placeholder)
        case mixed([Part])
    }

    enum Part {
        case text([UInt8])   // JSON-escaped, without quotes
        case slot(Placeholder)
    }

    let root: Node

    /// - Parameter column: the input column of a placeholder name, or nil when the name is not mapped.
    init(_ template: JSONValue, column: (String) -> Int?) {
        root = Self.compile(template, column)
    }

    static func compile(_ v: JSONValue, _ column: (String) -> Int?) -> Node {
        switch v {
        case .object(let members):
            return .object(members.map { member in
                var key: [UInt8] = []
                JSONCellWriter.appendString(member.0, to: &key)
                return (key, compile(member.1, column))
            })
        case .array(let items): return .array(items.map { compile($0, column) })
        case .string(let s): return compileString(s, column)
        default: return .literal(v)
        }
    }

    static func compileString(_ s: String, _ column: (String) -> Int?) -> Node {
        var parts: [Part] = []
        var text = ""
        var rest = Substring(s)
        while let open = rest.firstIndex(of: "{") {
            text += rest[..<open]
            let after = rest.index(after: open)
            guard let close = rest[after...].firstIndex(of: "}"), close > after else {
                text += "{"
                rest = rest[after...]
                continue
            }
            if !text.isEmpty { parts.append(.text(escaped(text))); text = "" }
            parts.append(.slot(placeholder(String(rest[after..<close]), column)))
            rest = rest[rest.index(after: close)...]
        }
        text += rest
        if !text.isEmpty { parts.append(.text(escaped(text))) }
        if parts.isEmpty { return .literal(.string(s)) }
        if parts.count == 1, case .slot(let p) = parts[0] { return .whole(p) }
        if parts.allSatisfy({ if case .text = $0 { return true }; return false }) { return .literal(.string(s)) }
        return .mixed(parts)
    }

    static func escaped(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var s = s
        s.withUTF8 { JSONCellWriter.appendEscaped($0, to: &out) }
        return out
    }

    static func placeholder(_ inner: String, _ column: (String) -> Int?) -> Placeholder {
        var head = Substring(inner)
        var defaultText: String?
        if let bar = inner.firstIndex(of: "|") {
            head = inner[..<bar]
            defaultText = String(inner[inner.index(after: bar)...]).trimmingSpaces
        }
        let parts = head.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts.first ?? "").trimmingSpaces
        let hint: Hint
        switch parts.count > 1 ? String(parts[1]).trimmingSpaces.lowercased() : "" {
        case "int": hint = .int
        case "float": hint = .float
        case "bool": hint = .bool
        case "string", "str", "text", "datetime": hint = .text
        default: hint = .none
        }
        return Placeholder(column: column(name), hint: hint, defaultText: defaultText)
    }

    /// Writes the template filled with one row, as a value `level` levels deep (Python's `json.dumps` layout:
    /// `indent=2`, or compact with `", "` and `": "`). Bytes go straight out; no per-row value tree is built.
    func write(_ row: UnsafeBufferPointer<pz_cell>, level: Int, pretty: Bool, to out: inout [UInt8]) {
        write(root, row, level: level, pretty: pretty, to: &out)
    }

    private func write(_ node: Node, _ row: UnsafeBufferPointer<pz_cell>, level: Int, pretty: Bool, to out: inout [UInt8]) {
        switch node {
        case .literal(let v): JSONValueWriter.write(v, level: level, pretty: pretty, to: &out)
        case .object(let members):
            JSONValueWriter.container(open: 0x7B, close: 0x7D, count: members.count, level: level, pretty: pretty, to: &out) { i, out in
                out.append(contentsOf: members[i].key)
                out.append(0x3A); out.append(0x20)
                write(members[i].value, row, level: level + 1, pretty: pretty, to: &out)
            }
        case .array(let items):
            JSONValueWriter.container(open: 0x5B, close: 0x5D, count: items.count, level: level, pretty: pretty, to: &out) { i, out in
                write(items[i], row, level: level + 1, pretty: pretty, to: &out)
            }
        case .whole(let p):
            if p.hint == .none, let c = p.column, !JSONCellWriter.isEmpty(row[c]) {
                JSONCellWriter.append(row[c], to: &out)   // the cell as it is: the common case, no conversion
            } else {
                JSONValueWriter.write(typedValue(p, row), level: level, pretty: pretty, to: &out)
            }
        case .mixed(let parts):
            // Written straight out, escaped piece by piece: no per-row string is built.
            out.append(0x22)
            for part in parts {
                switch part {
                case .text(let t): out.append(contentsOf: t)
                case .slot(let p): appendMixedText(p, row, to: &out)
                }
            }
            out.append(0x22)
        }
    }

    /// A placeholder's text inside a mixed string, escaped: an unconverted cell reads as the original's text of it
    /// (`2`, `2024-01-05 00:00:00`, `True`), a converted value as Python's `str` of it.
    private func appendMixedText(_ p: Placeholder, _ row: UnsafeBufferPointer<pz_cell>, to out: inout [UInt8]) {
        if p.hint == .none, let c = p.column, !JSONCellWriter.isEmpty(row[c]) {
            let cell = row[c]
            if cell.isText {
                JSONCellWriter.appendEscaped(cell.utf8, to: &out)
            } else {
                // Numbers, booleans and dates print as digits, letters, `-`, `:`, `.` and spaces: nothing to escape.
                CellText.appendOriginalText(cell, to: &out)
            }
            return
        }
        var text = Self.text(typedValue(p, row))
        text.withUTF8 { JSONCellWriter.appendEscaped($0, to: &out) }
    }

    /// The value of a placeholder: empty values take the default (then converted), else null — except `""`
    /// without a default, which stays `""` (null for int/float hints, false for bool). Conversions that fail keep
    /// the text. Without a hint the cell's own type is kept (numbers, booleans, ISO dates).
    private func typedValue(_ p: Placeholder, _ row: UnsafeBufferPointer<pz_cell>) -> JSONValue {
        let cell = p.column.map { row[$0] } ?? pz_cell()
        var value = JSONCellWriter.value(cell)
        let emptyText = cell.isText && cell.text_len == 0
        if value.isNull {
            if let d = p.defaultText {
                value = .string(d)
            } else if emptyText {
                switch p.hint {
                case .int, .float: return .null
                case .bool: return .bool(false)
                default: return .string("")
                }
            } else {
                return .null
            }
        }
        switch p.hint {
        case .none: return value
        case .text:
            if case .string = value { return value }
            return .string(cell.isNull || emptyText ? Self.text(value) : CellText.originalText(cell))
        case .int:
            switch value {
            case .int: return value
            case .double(let d): return Self.truncate(d).map(JSONValue.int) ?? value
            case .bool(let b): return .int(b ? 1 : 0)
            case .string(let s):
                if let d = Double(s.trimmingSpaces), let i = Self.truncate(d) { return .int(i) }
                return value
            default: return value
            }
        case .float:
            switch value {
            case .double: return value
            case .int(let i): return .double(Double(i))
            case .bool(let b): return .double(b ? 1 : 0)
            case .string(let s):
                if let d = Double(s.trimmingSpaces), d.isFinite { return .double(d) }
                return value
            default: return value
            }
        case .bool:
            switch value {
            case .bool: return value
            case .int(let i): return .bool(i != 0)
            case .double(let d): return .bool(d != 0)
            case .string(let s): return .bool(["true", "1", "yes", "on"].contains(s.lowercased()))
            default: return value
            }
        }
    }

    static func truncate(_ d: Double) -> Int64? {
        guard d.isFinite, abs(d) < 9.2e18 else { return nil }
        return Int64(d.rounded(.towardZero))
    }

    /// A value's text inside a mixed string (Python's `str`): `True`/`False`, `42`, `95.5`; null is empty.
    static func text(_ v: JSONValue) -> String {
        switch v {
        case .null: return ""
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return CellText.float(d)
        case .string(let s): return s
        default: return JSONSerializer.string(v)
        }
    }
}
