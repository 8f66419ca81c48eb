import PluginABI

/// Recognises plain decimal numbers in text (the rule `csv/convert-to-excel` uses to type a column as numbers): `-?(0|[1-9][0-9]*)(\.[0-9]+)?` with at most 15 significant digits.
extension NumericText {
    public static func isPlainDecimal(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if i < b.count && b[i] == 0x2D { i += 1 }
        guard i < b.count, b[i] >= 0x30 && b[i] <= 0x39 else { return false }
        if b[i] == 0x30 && i + 1 < b.count && b[i + 1] != 0x2E { return false } // leading zero
        var digits = 0
        var significant = false
        var sawDot = false
        while i < b.count {
            let ch = b[i]
            if ch == 0x2E {
                if sawDot { return false }
                sawDot = true
                guard i + 1 < b.count else { return false }
            } else if ch >= 0x30 && ch <= 0x39 {
                if ch != 0x30 { significant = true }
                if significant { digits += 1 }
            } else {
                return false
            }
            i += 1
        }
        return digits <= 15
    }

    /// The numeric cell for text already known to be a plain decimal: an integer without a `.`, a float with one.
    /// Digits are accumulated directly (no String): at most 15 significant digits fit a Double's mantissa exactly,
    /// and with at most 22 decimals the value is one correctly rounded division by an exact power of ten, which is
    /// what strtod returns (Clinger's fast path). Anything else takes the String conversion.
    public static func cell(_ b: UnsafeBufferPointer<UInt8>) -> pz_cell {
        var i = 0
        let negative = !b.isEmpty && b[0] == 0x2D
        if negative { i = 1 }
        var mantissa: Int64 = 0
        var digits = 0
        var significant = 0
        var decimals = 0
        var sawDot = false
        while i < b.count {
            let c = b[i]
            if c == 0x2E && !sawDot {
                sawDot = true
            } else {
                let d = c &- 0x30
                guard d < 10 else { return cellFromString(b) }
                if mantissa != 0 || d != 0 { significant += 1 }
                guard significant <= 15 else { return cellFromString(b) }
                mantissa = mantissa * 10 + Int64(d)
                digits += 1
                if sawDot { decimals += 1 }
            }
            i += 1
        }
        guard digits > 0 else { return cellFromString(b) }
        guard sawDot else { return .int(negative ? -mantissa : mantissa) }
        guard decimals <= 22 else { return cellFromString(b) }
        let v = Double(mantissa) / exactPowersOfTen[decimals]
        return .float(negative ? -v : v)
    }

    private static let exactPowersOfTen: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
                                                     1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]

    /// The general conversion, for text outside the fast path.
    static func cellFromString(_ b: UnsafeBufferPointer<UInt8>) -> pz_cell {
        let s = String(decoding: b, as: UTF8.self)
        if !b.contains(0x2E), let v = Int64(s) { return .int(v) }
        return .float(Double(s) ?? 0)
    }
}
