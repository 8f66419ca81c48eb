import PluginABI

/// Byte-level text forms of cells for generators that write text (SQL, JSON): no `String` per cell on the hot
/// paths, and one definition of each form for every plugin.
public enum CellText {
    /// Appends the decimal digits of `v`.
    @inline(__always)
    public static func appendInt(_ v: Int64, to out: inout [UInt8]) {
        if v >= 0 && v < 10 { out.append(0x30 + UInt8(v)); return }
        if v < 0 { out.append(0x2D) }
        var m = v.magnitude
        let start = out.count
        repeat {
            out.append(0x30 + UInt8(m % 10))
            m /= 10
        } while m > 0
        out[start..<out.count].reverse()
    }

    /// The shortest text that reads back as `v` (`2.5`, `3.0`, `1000000000000000.0`, `1e+16`): Python's
    /// `repr(float)`, valid in SQL and JSON. Never called with NaN or infinity (the host never produces them).
    public static func float(_ v: Double) -> String {
        if v == 0 { return v.sign == .minus ? "-0.0" : "0.0" }
        if v == v.rounded() && abs(v) < 1e16 { return "\(Int64(v)).0" }
        return v.description
    }

    /// A date/time cell as `YYYY-MM-DD`, `HH:MM:SS` or `YYYY-MM-DD{separator}HH:MM:SS` (by flags), with `.ffffff`
    /// when the value has a fraction of a second.
    public static func appendDateTime(seconds: Double, flags: UInt32, separator: UInt8 = 0x20, to out: inout [UInt8]) {
        // Beyond the years 0001–9999 no database or ISO reader takes the value as a date: write the number.
        guard seconds.isFinite, seconds > -62_135_596_800, seconds < 253_402_300_800 else {
            out.append(contentsOf: (seconds.isFinite ? float(seconds) : "0").utf8)
            return
        }
        let c = DateFormatting.civil(seconds: seconds)
        func two(_ v: Int) { out.append(0x30 + UInt8(v / 10 % 10)); out.append(0x30 + UInt8(v % 10)) }
        let dateOnly = flags & PZ_DT_DATE_ONLY != 0, timeOnly = flags & PZ_DT_TIME_ONLY != 0
        if !timeOnly {
            two(c.year / 100); two(c.year % 100)
            out.append(0x2D); two(c.month); out.append(0x2D); two(c.day)
            if dateOnly { return }
            out.append(separator)
        }
        two(c.hour); out.append(0x3A); two(c.minute); out.append(0x3A); two(c.second)
        if c.microsecond != 0 {
            out.append(0x2E)
            var m = c.microsecond, div = 100_000
            for _ in 0..<6 { out.append(0x30 + UInt8(m / div)); m %= div; div /= 10 }
        }
    }

    /// The text the original service saw for a cell (it read every cell as text): integers and integral floats
    /// as digits, other floats as `repr`, booleans `True`/`False`, dates `YYYY-MM-DD HH:MM:SS`, times
    /// `HH:MM:SS`, empty for null.
    public static func appendOriginalText(_ cell: pz_cell, to out: inout [UInt8]) {
        switch cell.type {
        case UInt32(PZ_CELL_TEXT.rawValue): out.append(contentsOf: cell.utf8)
        case UInt32(PZ_CELL_INT.rawValue): appendInt(cell.value.i, to: &out)
        case UInt32(PZ_CELL_FLOAT.rawValue):
            let v = cell.value.f
            if v == v.rounded() && abs(v) < 9.2e18 { appendInt(Int64(v), to: &out) } else { out.append(contentsOf: float(v).utf8) }
        case UInt32(PZ_CELL_BOOL.rawValue): out.append(contentsOf: (cell.value.b != 0 ? "True" : "False").utf8)
        case UInt32(PZ_CELL_DATETIME.rawValue):
            // The original's reader turned dates into midnight date-times.
            appendDateTime(seconds: cell.value.f, flags: cell.flags & ~PZ_DT_DATE_ONLY, to: &out)
        default: break
        }
    }

    /// `appendOriginalText` as a `String`.
    public static func originalText(_ cell: pz_cell) -> String {
        var out: [UInt8] = []
        appendOriginalText(cell, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
