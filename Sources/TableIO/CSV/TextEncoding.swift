#if canImport(Glibc)
import Glibc
#endif

/// The encodings the CSV reader accepts, decided by one streaming pass over the file before parsing (pandas tried
/// UTF-8 on the whole file and fell back the same way).
public enum CSVEncoding: Equatable, Sendable {
    case utf8
    /// Windows-1252 (a superset of Latin-1 in 0x80–0x9F); bytes it leaves undefined map as Latin-1.
    case cp1252

    /// Unicode scalars for bytes 0x80–0x9F in Windows-1252 (undefined ones keep their Latin-1 value).
    static let cp1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// Appends the UTF-8 encoding of a Windows-1252 byte to `out`, returning the number of bytes written.
    @inline(__always)
    static func appendCP1252(_ b: UInt8, to out: UnsafeMutablePointer<UInt8>) -> Int {
        if b < 0x80 { out[0] = b; return 1 }
        let scalar = b < 0xA0 ? cp1252High[Int(b) - 0x80] : UInt32(b)
        if scalar < 0x800 {
            out[0] = UInt8(0xC0 | (scalar >> 6))
            out[1] = UInt8(0x80 | (scalar & 0x3F))
            return 2
        }
        out[0] = UInt8(0xE0 | (scalar >> 12))
        out[1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
        out[2] = UInt8(0x80 | (scalar & 0x3F))
        return 3
    }
}

/// Incremental UTF-8 validator (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
struct UTF8Validator {
    private var need = 0
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF
    private(set) var valid = true

    mutating func feed(_ p: UnsafePointer<UInt8>, _ n: Int) {
        _ = scan(p, n, stopAtNUL: false)
    }

    /// Validates like `feed` and also looks for NUL bytes (binary content) in the same pass: returns false at the
    /// first one. Once the input is known not to be UTF-8, only the NUL search goes on.
    mutating func feedText(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        scan(p, n, stopAtNUL: true)
    }

    @inline(__always)
    private mutating func scan(_ p: UnsafePointer<UInt8>, _ n: Int, stopAtNUL: Bool) -> Bool {
        var i = 0
        while i < n {
            guard valid else { return !stopAtNUL || memchr(p + i, 0, n - i) == nil }
            let b = p[i]
            if need == 0 {
                if b < 0x80 {
                    if stopAtNUL && b == 0 { return false }
                    i += 1
                    // ASCII runs, 8 bytes at a time (a word stops the skip if it has a byte >= 0x80, or a zero byte
                    // when NULs are looked for: only a zero byte borrows in `w - 0x0101…`).
                    while i + 8 <= n {
                        let w = WordScan.load(p + i)
                        if (stopAtNUL ? w | (w &- WordScan.ones) : w) & WordScan.high != 0 { break }
                        i += 8
                    }
                    continue
                }
                switch b {
                case 0xC2...0xDF: need = 1
                case 0xE0: need = 2; lower = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: need = 2
                case 0xED: need = 2; upper = 0x9F
                case 0xF0: need = 3; lower = 0x90
                case 0xF1...0xF3: need = 3
                case 0xF4: need = 3; upper = 0x8F
                default: valid = false; continue
                }
            } else {
                if b < lower || b > upper { valid = false; continue }
                lower = 0x80; upper = 0xBF
                need -= 1
            }
            i += 1
        }
        return true
    }

    /// False if the input ended inside a sequence.
    var complete: Bool { valid && need == 0 }
}
