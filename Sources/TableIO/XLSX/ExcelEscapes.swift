#if canImport(Glibc)
import Glibc
#endif

/// Excel's `_xHHHH_` escapes, which OOXML uses for characters XML 1.0 cannot carry (control characters).
/// Writers escape those characters, and a literal `_xHHHH_` is protected as `_x005F_xHHHH_`; readers decode
/// every `_xHHHH_`. (ECMA-376 Part 1, §22.9.2.19 ST_Xstring.)
enum ExcelEscapes {
    @inline(__always) static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: return UInt32(c - 0x30)
        case 0x41...0x46: return UInt32(c - 0x41 + 10)
        case 0x61...0x66: return UInt32(c - 0x61 + 10)
        default: return nil
        }
    }

    /// The code unit of an `_xHHHH_` escape starting at `i`, if there is one.
    @inline(__always) static func escape(at i: Int, in b: UnsafeBufferPointer<UInt8>) -> UInt32? {
        guard i + 6 < b.count, b[i] == 0x5F, b[i + 1] == 0x78 || b[i + 1] == 0x58, b[i + 6] == 0x5F else { return nil }
        var v: UInt32 = 0
        for k in 2...5 {
            guard let h = hexValue(b[i + k]) else { return nil }
            v = v << 4 | h
        }
        return v
    }

    /// True if `b` may contain an escape (a cheap `_` scan first).
    @inline(__always) static func mayContainEscape(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = b.baseAddress, b.count >= 7 else { return false }
        return memchr(base, 0x5F, b.count) != nil
    }

    /// Decodes every `_xHHHH_` in `b` into `out` (UTF-8). Surrogate halves that do not pair become U+FFFD.
    static func decode(_ b: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var i = 0
        while i < b.count {
            if b[i] == 0x5F, let v = escape(at: i, in: b) {
                var scalarValue = v
                var consumed = 7
                if v >= 0xD800 && v < 0xDC00, let low = escape(at: i + 7, in: b), low >= 0xDC00 && low < 0xE000 {
                    scalarValue = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                    consumed = 14
                }
                let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
                out.append(contentsOf: String(Character(scalar)).utf8)
                i += consumed
            } else {
                out.append(b[i])
                i += 1
            }
        }
    }
}
