#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A literal substring searched case-insensitively (`contains`, `not_contains`).
///
/// Case-insensitivity is Unicode lower-casing (`String.lowercased()`) of both sides: ASCII, Latin-1 and Latin
/// Extended (Vietnamese `Ắ`/`ắ`, `É`/`é`), Greek and Cyrillic all match across case. It is not full case folding
/// (`ß` does not match `SS`). ASCII cells, the common case, are lower-cased byte by byte without building strings.
struct FoldedNeedle {
    let bytes: [UInt8]

    init(_ text: String) { bytes = Array(text.lowercased().utf8) }

    func isFound(in haystack: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8]) -> Bool {
        if bytes.isEmpty { return true }
        scratch.removeAll(keepingCapacity: true)
        var ascii = true
        for b in haystack {
            if b >= 0x80 { ascii = false; break }
            scratch.append(b &- 0x41 < 26 ? b | 0x20 : b)
        }
        if !ascii { scratch = Array(String(decoding: haystack, as: UTF8.self).lowercased().utf8) }
        guard scratch.count >= bytes.count else { return false }
        return scratch.withUnsafeBufferPointer { h in bytes.withUnsafeBufferPointer { n in Self.find(n, in: h) } }
    }

    /// Substring search: `memchr` to each candidate first byte, `memcmp` for the rest.
    static func find(_ n: UnsafeBufferPointer<UInt8>, in h: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let nb = n.baseAddress, let hb = h.baseAddress, n.count <= h.count else { return n.isEmpty }
        let last = h.count - n.count
        var i = 0
        while i <= last {
            guard let hit = memchr(hb + i, Int32(nb[0]), last - i + 1) else { return false }
            i = hb.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(hb + i, nb, n.count) == 0 { return true }
            i += 1
        }
        return false
    }
}
