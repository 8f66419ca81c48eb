/// How operations read a value whatever its storage type: XLSX numbers and dates are typed, CSV values are text, and
/// an operation that compares numbers or dates must treat `"42"` and `42` alike.
extension CellValue {
    /// The number this value stands for: integer and float cells, and text that is a plain decimal or scientific
    /// number after trimming spaces (`42`, `-3.5`, `1e6`, `.5`; not `1,000`, `0x10`, `inf` or `nan`).
    public var number: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .float(let v): return v
        case .text(let s): return NumericText.parse(s)
        default: return nil
        }
    }

    /// Seconds since 1970 (wall clock) and `PZ_DT_*` flags: date cells, and text `DateText.parse` accepts.
    public var dateTime: DateText.Parsed? {
        switch self {
        case .dateTime(let s, let f): return (s, f)
        case .text(let s): return DateText.parse(s)
        default: return nil
        }
    }

    /// The original's text view of the value (what its all-text reader showed): `42`, `2.5`, `2` for 2.0, `True`,
    /// `2024-01-05`, `2024-01-05 10:00:00`; `""` for an empty cell.
    public var text: String {
        if case .null = self { return "" }
        return description
    }

    /// Null, or text of length zero.
    public var isEmpty: Bool {
        switch self {
        case .null: return true
        case .text(let s): return s.isEmpty
        default: return false
        }
    }
}

/// Numbers written as text.
public enum NumericText {
    /// Parses `[+-]?(digits[.digits]|.digits)([eE][+-]?digits)?` surrounded by optional spaces; nil otherwise.
    public static func parse(_ s: String) -> Double? {
        var copy = s
        return copy.withUTF8 { parse($0) }
    }

    public static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var lo = 0, hi = b.count
        while lo < hi, b[lo] == 0x20 || b[lo] == 0x09 { lo += 1 }
        while hi > lo, b[hi - 1] == 0x20 || b[hi - 1] == 0x09 { hi -= 1 }
        guard hi > lo, hi - lo <= 400 else { return nil }
        var i = lo
        if b[i] == 0x2B || b[i] == 0x2D { i += 1 }
        var mantissaDigits = 0
        while i < hi, b[i] >= 0x30 && b[i] <= 0x39 { i += 1; mantissaDigits += 1 }
        if i < hi, b[i] == 0x2E {
            i += 1
            while i < hi, b[i] >= 0x30 && b[i] <= 0x39 { i += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return nil }
        if i < hi, b[i] == 0x65 || b[i] == 0x45 {
            i += 1
            if i < hi, b[i] == 0x2B || b[i] == 0x2D { i += 1 }
            var expDigits = 0
            while i < hi, b[i] >= 0x30 && b[i] <= 0x39 { i += 1; expDigits += 1 }
            guard expDigits > 0 else { return nil }
        }
        guard i == hi else { return nil }
        let v = Double(String(decoding: UnsafeBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self))
        return v.flatMap { $0.isFinite ? $0 : nil }
    }
}
