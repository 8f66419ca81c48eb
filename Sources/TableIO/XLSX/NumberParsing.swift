#if canImport(Glibc)
import Glibc
#endif

/// Byte-level number and reference parsing for the XLSX reader.
enum NumberParsing {
    /// Parses a decimal integer (optional sign, digits only) that fits in Int64.
    @inline(__always)
    static func int64(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !b.isEmpty, b.count <= 19 || (b.count == 20 && b[0] == 0x2D) else { return nil }
        var i = 0
        var negative = false
        if b[0] == 0x2D { negative = true; i = 1 } else if b[0] == 0x2B { i = 1 }
        guard i < b.count else { return nil }
        var v: Int64 = 0
        while i < b.count {
            let d = b[i] &- 0x30
            guard d < 10 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            v = a
            i += 1
        }
        return negative ? -v : v
    }

    static let exactPowersOfTen: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
                                             1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]

    /// Clinger's fast path: `[-]digits[.digits]` with at most 15 significant digits and at most 22 decimals is
    /// exactly `mantissa / 10^k`, one correctly rounded IEEE division. Anything else returns nil (use strtod).
    @inline(__always)
    static func fastDecimal(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        var negative = false
        if i < b.count && b[i] == 0x2D { negative = true; i += 1 }
        var mantissa: Int64 = 0
        var digits = 0
        var scale = 0
        var seenDot = false
        guard i < b.count else { return nil }
        while i < b.count {
            let c = b[i]
            if c == 0x2E {
                if seenDot { return nil }
                seenDot = true
            } else {
                let d = c &- 0x30
                guard d < 10 else { return nil }
                if mantissa != 0 || d != 0 { digits += 1 }
                guard digits <= 15 else { return nil }
                mantissa = mantissa * 10 + Int64(d)
                if seenDot { scale += 1 }
            }
            i += 1
        }
        guard scale <= 22, b.last != 0x2E else { return nil }
        let v = Double(mantissa) / exactPowersOfTen[scale]
        return negative ? -v : v
    }

    /// Parses an XML Schema double (`1.5`, `-2E-3`, `INF` refused). Returns nil for malformed text.
    static func double(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        if let v = fastDecimal(b) { return v }
        guard !b.isEmpty, b.count < 64 else { return nil }
        for c in b {
            switch c {
            case 0x30...0x39, 0x2B, 0x2D, 0x2E, 0x45, 0x65: continue
            default: return nil
            }
        }
        var tmp: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &tmp) { raw -> Double? in
            let p = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
            for k in 0..<b.count { p[k] = CChar(bitPattern: b[k]) }
            p[b.count] = 0
            var endPtr: UnsafeMutablePointer<CChar>?
            let v = strtod(p, &endPtr)
            guard let e = endPtr, e == p + b.count, v.isFinite else { return nil }
            return v
        }
    }

    /// Column index (0-based) from the letters of a cell reference like `AB12`; nil if there are none or too many.
    @inline(__always)
    static func column(ofReference b: UnsafeBufferPointer<UInt8>) -> Int? {
        var col = 0
        var n = 0
        for c in b {
            let u = c | 0x20
            if u >= 0x61 && u <= 0x7A {
                col = col * 26 + Int(u - 0x60)
                n += 1
                if n > 3 { return nil }
            } else { break }
        }
        return n == 0 ? nil : col - 1
    }

    /// Row number (1-based) from a cell reference like `AB12`.
    static func row(ofReference b: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        while i < b.count, (b[i] | 0x20) >= 0x61, (b[i] | 0x20) <= 0x7A { i += 1 }
        guard i < b.count else { return nil }
        return int64(UnsafeBufferPointer(rebasing: b[i...])).map { Int($0) }
    }
}
