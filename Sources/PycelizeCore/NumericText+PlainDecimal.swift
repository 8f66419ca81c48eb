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

    /// The numeric cell for text already known to be a plain decimal.
    public static func cell(_ b: UnsafeBufferPointer<UInt8>) -> pz_cell {
        let s = String(decoding: b, as: UTF8.self)
        if !b.contains(0x2E), let v = Int64(s) { return .int(v) }
        return .float(Double(s) ?? 0)
    }
}
