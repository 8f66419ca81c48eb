import PluginABI
import PluginKit

/// Renders a compiled `CustomTemplate` for one row (§3.8.3), with typed cells:
///
/// - Empty values: null → the default, else `NULL` (nothing inside a literal); `""` → the default, else `''` for
///   plain/string/datetime placeholders, `NULL` for `int`/`float`, `FALSE` for `bool`.
/// - Hints convert: `int` truncates (`"42.7"` → 42), `float` (`"3"` → 3.0), `bool` (`true/1/yes/on` → TRUE),
///   `datetime`/`string` make text. A value that does not convert is emitted as a quoted text literal (B11: the
///   original emitted it raw, an injection).
/// - Without a hint, numbers stay unquoted numbers, booleans TRUE/FALSE, dates and text quoted literals; with
///   `quote_all_values` every cell is the original's text (empty cells `""`).
/// - Outside a literal text is quoted and escaped, LIKE wildcards go inside the quotes; inside a literal it is only
///   escaped (defaults too, fixing B12) and wildcards are dropped.
struct CustomRenderer {
    let template: CustomTemplate
    let dialect: SQLDialect
    let allText: Bool
    /// Input column index of each `.column` placeholder (parallel to `template.placeholders`).
    let columns: [Int?]
    let autoStart: Int64?

    enum Value {
        case null, empty, int(Int64), float(Double), bool(Bool), text(String), cellText(UnsafeBufferPointer<UInt8>)
        /// A date cell, kept as seconds and flags so the common case writes its text without building a String.
        case dateTime(Double, UInt32)
    }

    func appendRow(_ row: UnsafeBufferPointer<pz_cell>, index: Int, to out: inout [UInt8]) {
        for piece in template.pieces {
            switch piece {
            case .text(let bytes): out.append(contentsOf: bytes)
            case .slot(let i, let inside): appendSlot(i, row, index: index, inside: inside, to: &out)
            }
        }
    }

    private func appendSlot(_ i: Int, _ row: UnsafeBufferPointer<pz_cell>, index: Int, inside: Bool, to out: inout [UInt8]) {
        let p = template.placeholders[i]
        var value: Value
        switch p.source {
        case .currentTimestamp:
            out.append(contentsOf: "CURRENT_TIMESTAMP".utf8)
            return
        case .autoID:
            let (v, overflow) = (autoStart ?? 1).addingReportingOverflow(Int64(index))
            value = .int(overflow ? .max : v)
        case .unmapped:
            value = .null
        case .column:
            value = columns[i].map { cellValue(row[$0]) } ?? .null
        }
        switch value {
        case .null, .empty:
            if let d = p.defaultText {
                value = .text(d)
            } else if case .null = value {
                if !inside { out.append(contentsOf: SQLValueFormatter.null) }
                return
            } else {
                switch p.hint {
                case .int, .float: if !inside { out.append(contentsOf: SQLValueFormatter.null) }
                case .bool: out.append(contentsOf: "FALSE".utf8)
                default: if !inside { out.append(0x27); out.append(0x27) }
                }
                return
            }
        default: break
        }
        render(convert(value, p.hint), p, inside: inside, to: &out)
    }

    private func cellValue(_ cell: pz_cell) -> Value {
        if allText {
            if cell.isNull { return .empty }
            if cell.isText { return cell.text_len == 0 ? .empty : .cellText(cell.utf8) }
            return .text(CellText.originalText(cell))
        }
        switch cell.type {
        case UInt32(PZ_CELL_TEXT.rawValue): return cell.text_len == 0 ? .empty : .cellText(cell.utf8)
        case UInt32(PZ_CELL_INT.rawValue): return .int(cell.value.i)
        case UInt32(PZ_CELL_FLOAT.rawValue): return .float(cell.value.f)
        case UInt32(PZ_CELL_BOOL.rawValue): return .bool(cell.value.b != 0)
        case UInt32(PZ_CELL_DATETIME.rawValue): return .dateTime(cell.value.f, cell.flags)
        default: return .null
        }
    }

    /// The text form of a value (as the original's `str()` of what it read).
    private func text(_ v: Value) -> String {
        switch v {
        case .null, .empty: return ""
        case .int(let i): return String(i)
        case .float(let f): return f == f.rounded() && abs(f) < 9.2e18 ? String(Int64(f)) : CellText.float(f)
        case .bool(let b): return b ? "True" : "False"
        case .text(let s): return s
        case .cellText(let b): return String(decoding: b, as: UTF8.self)
        case .dateTime(let seconds, let flags):
            var bytes: [UInt8] = []
            CellText.appendDateTime(seconds: seconds, flags: flags, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private func convert(_ v: Value, _ hint: CustomTemplate.Hint) -> Value {
        switch hint {
        case .none: return v
        case .string, .datetime:
            switch v { case .text, .cellText, .dateTime: return v; default: return .text(text(v)) }
        case .int:
            switch v {
            case .int: return v
            case .float(let f): return Self.truncate(f).map(Value.int) ?? .text(text(v))
            case .bool(let b): return .int(b ? 1 : 0)
            default:
                let s = text(v)
                if let d = Double(s.trimmingSpaces), let i = Self.truncate(d) { return .int(i) }
                return .text(s)
            }
        case .float:
            switch v {
            case .float: return v
            case .int(let i): return .float(Double(i))
            case .bool(let b): return .float(b ? 1 : 0)
            default:
                let s = text(v)
                if let d = Double(s.trimmingSpaces), d.isFinite { return .float(d) }
                return .text(s)
            }
        case .bool:
            switch v {
            case .bool: return v
            case .int(let i): return .bool(i != 0)
            case .float(let f): return .bool(f != 0)
            default: return .bool(["true", "1", "yes", "on"].contains(text(v).lowercased()))
            }
        }
    }

    static func truncate(_ d: Double) -> Int64? {
        guard d.isFinite, abs(d) < 9.2e18 else { return nil }
        return Int64(d.rounded(.towardZero))
    }

    private func render(_ v: Value, _ p: CustomTemplate.Placeholder, inside: Bool, to out: inout [UInt8]) {
        let like = !inside && !(p.likePrefix.isEmpty && p.likeSuffix.isEmpty)
        if like {
            var body = p.likePrefix + text(v) + p.likeSuffix
            body.withUTF8 { dialect.appendQuoted($0, to: &out) }
            return
        }
        switch v {
        case .int(let i): CellText.appendInt(i, to: &out)
        case .float(let f): out.append(contentsOf: CellText.float(f).utf8)
        case .bool(let b): out.append(contentsOf: (b ? "TRUE" : "FALSE").utf8)
        case .text(let s):
            if inside { dialect.appendEscaped(s, to: &out) } else { dialect.appendQuoted(s, to: &out) }
        case .cellText(let b):
            if inside { dialect.appendEscaped(b, to: &out) } else { dialect.appendQuoted(b, to: &out) }
        case .dateTime(let seconds, let flags):
            // Digits, `-`, `:`, `.` and a space: nothing to escape in any dialect.
            if !inside { out.append(0x27) }
            CellText.appendDateTime(seconds: seconds, flags: flags, to: &out)
            if !inside { out.append(0x27) }
        case .null, .empty:
            if !inside { out.append(contentsOf: SQLValueFormatter.null) }
        }
    }
}
