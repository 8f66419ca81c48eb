/// Word-at-a-time byte work (SWAR): the scanners skip runs of ordinary bytes 8 at a time, and short texts are
/// copied in words rather than through memmove.
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

    /// Copies `n` bytes (non-overlapping buffers). Up to 16 bytes, the common size of a cell's text, take two
    /// possibly overlapping loads and stores of the largest power of two that fits, instead of a call to memmove.
    @inline(__always)
    static func copy(_ src: UnsafePointer<UInt8>, to dst: UnsafeMutablePointer<UInt8>, count n: Int) {
        let from = UnsafeRawPointer(src)
        let to = UnsafeMutableRawPointer(dst)
        if n > 16 {
            to.copyMemory(from: from, byteCount: n)
        } else if n >= 8 {
            let head = from.loadUnaligned(as: UInt64.self)
            let tail = from.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
            to.storeBytes(of: head, as: UInt64.self)
            to.storeBytes(of: tail, toByteOffset: n &- 8, as: UInt64.self)
        } else if n >= 4 {
            let head = from.loadUnaligned(as: UInt32.self)
            let tail = from.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
            to.storeBytes(of: head, as: UInt32.self)
            to.storeBytes(of: tail, toByteOffset: n &- 4, as: UInt32.self)
        } else if n > 0 {
            dst[0] = src[0]
            dst[n >> 1] = src[n >> 1]
            dst[n &- 1] = src[n &- 1]
        }
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
