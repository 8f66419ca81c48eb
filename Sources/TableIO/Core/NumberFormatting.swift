/// Text forms of numbers, shared by the CSV/JSON writers and by text rendering of typed cells.
public enum NumberFormatting {
    /// Integral doubles print without a fraction (`2.0` → `2`, as the original's text view shows them); others use
    /// Swift's shortest round-trip form (`1.5`, `0.1`).
    public static func shortest(_ v: Double) -> String {
        if v.isFinite, v == v.rounded(), abs(v) < 1e15 {
            return String(Int64(v))
        }
        return v.description
    }

    /// Appends the decimal digits of `v` to `out` without allocating a String.
    @inlinable public static func appendInt(_ v: Int64, to out: inout [UInt8]) {
        if v == 0 { out.append(UInt8(ascii: "0")); return }
        var n = v.magnitude
        if v < 0 { out.append(UInt8(ascii: "-")) }
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes of scratch, enough for 20 digits
        withUnsafeMutableBytes(of: &tmp) { raw in
            var i = raw.count
            while n > 0 {
                i -= 1
                raw[i] = UInt8(truncatingIfNeeded: n % 10) &+ 48
                n /= 10
            }
            out.append(contentsOf: raw[i...])
        }
    }

    /// Appends the shortest text of `v` to `out`.
    public static func appendDouble(_ v: Double, to out: inout [UInt8]) {
        if v.isFinite, v == v.rounded(), abs(v) < 1e15 {
            appendInt(Int64(v), to: &out)
        } else {
            out.append(contentsOf: v.description.utf8)
        }
    }
}
