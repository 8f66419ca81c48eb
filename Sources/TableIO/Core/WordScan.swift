/// Word-at-a-time byte tests (SWAR): the scanners skip runs of ordinary bytes 8 at a time.
///
/// Each test returns a mask with the high bit set in the bytes of `w` that match. Borrows can also flag bytes *above*
/// a true match, never below one, so the lowest flagged byte (`firstFlagged`) is always exact and `mask != 0` says
/// exactly whether the word holds a match. Words are loaded little-endian, so byte 0 is the lowest.
enum WordScan {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let high: UInt64 = 0x8080_8080_8080_8080

    @inline(__always) static func load(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }

    /// Bytes equal to `byte`.
    @inline(__always) static func equal(_ w: UInt64, _ byte: UInt8) -> UInt64 {
        let x = w ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & high
    }

    /// Bytes below `limit` (which must be at most 0x80).
    @inline(__always) static func below(_ w: UInt64, _ limit: UInt8) -> UInt64 {
        (w &- ones &* UInt64(limit)) & ~w & high
    }

    /// Offset of the lowest flagged byte of a non-zero mask.
    @inline(__always) static func firstFlagged(_ mask: UInt64) -> Int { mask.trailingZeroBitCount >> 3 }

    /// The index of the first `,`, LF or CR in `p[from..<end]`, or `end` if there is none (how far an unquoted CSV
    /// field, or the text after a closing quote, extends).
    @inline(__always)
    static func csvFieldEnd(_ p: UnsafePointer<UInt8>, from: Int, end: Int) -> Int {
        var i = from
        while i + 8 <= end {
            let w = load(p + i)
            let m = equal(w, 0x2C) | equal(w, 0x0A) | equal(w, 0x0D)
            if m != 0 { return i + firstFlagged(m) }
            i += 8
        }
        while i < end {
            let b = p[i]
            if b == 0x2C || b == 0x0A || b == 0x0D { return i }
            i += 1
        }
        return end
    }

    /// Bytes the XLSX writer must look at: `<`, `>`, `&`, `_` and the C0 controls (tab, LF and CR included; the
    /// byte-wise check lets those three through).
    @inline(__always) static func xmlSpecial(_ w: UInt64) -> UInt64 {
        // `<` (0x3C) and `>` (0x3E) differ only in bit 1: setting it maps both to `>`.
        below(w, 0x20) | equal(w | (ones &* 0x02), 0x3E) | equal(w, 0x26) | equal(w, 0x5F)
    }
}
