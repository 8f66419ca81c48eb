#if canImport(Glibc)
import Glibc
#endif

/// A growable output byte buffer for the writers' hot loops: appends of literals, bytes and integers with one
/// capacity check each and no per-call allocation (unlike `[UInt8].append(contentsOf: "…".utf8)`).
public final class ByteSink {
    public private(set) var base: UnsafeMutablePointer<UInt8>
    public private(set) var count = 0
    private var capacity: Int

    public init(capacity: Int = 1 << 18) {
        self.capacity = max(64, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    public func removeAll() { count = 0 }

    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    @inline(__always) public func reserve(_ n: Int) {
        if count + n > capacity { grow(n) }
    }

    private func grow(_ n: Int) {
        var newCapacity = capacity * 2
        while newCapacity < count + n { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }

    @inline(__always) public func append(_ literal: StaticString) {
        let n = literal.utf8CodeUnitCount
        reserve(n)
        (base + count).update(from: literal.utf8Start, count: n)
        count += n
    }

    @inline(__always) public func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always) public func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let p = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        WordScan.copy(p, to: base + count, count: bytes.count)
        count += bytes.count
    }

    public func append(string: String) {
        var s = string
        s.withUTF8 { append($0) }
    }

    /// Decimal digits of `v`.
    @inline(__always) public func append(int v: Int64) {
        reserve(20)
        var n = v.magnitude
        if v < 0 { base[count] = 0x2D; count += 1 }
        if n == 0 { base[count] = 0x30; count += 1; return }
        var digits = 0
        var t = n
        while t > 0 { digits += 1; t /= 10 }
        var i = count + digits - 1
        while n > 0 {
            base[i] = UInt8(truncatingIfNeeded: n % 10) &+ 0x30
            n /= 10
            i -= 1
        }
        count += digits
    }

    /// Shortest round-trip text of `v` (XML Schema double). Values with up to 6 decimals and 15 significant
    /// digits (money, measurements) take an integer fast path; others use Swift's shortest formatter.
    public func append(double v: Double) {
        if let (mantissa, scale) = ByteSink.decimalParts(v) {
            if scale == 0 { append(int: mantissa); return }
            var m = mantissa
            if m < 0 { append(UInt8(0x2D)); m = -m }
            let divisor = ByteSink.powers[scale]
            append(int: m / divisor)
            append(UInt8(0x2E))
            let frac = m % divisor
            var digits = scale
            var probe = frac
            reserve(scale)
            // Leading zeros of the fraction.
            var width = 0
            while probe > 0 { width += 1; probe /= 10 }
            while digits > width { base[count] = 0x30; count += 1; digits -= 1 }
            append(int: frac)
            return
        }
        append(string: v.description)
    }

    static let powers: [Int64] = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000]

    /// (m, k) with v == m / 10^k exactly as doubles, k ≤ 6, |m| < 2^53, no trailing zeros in the fraction.
    @inline(__always) static func decimalParts(_ v: Double) -> (Int64, Int)? {
        guard v.isFinite, abs(v) < 1e15 else { return nil }
        var k = 0
        while k <= 6 {
            let scaled = v * Double(powers[k])
            if scaled == scaled.rounded(), abs(scaled) < 9_007_199_254_740_992 {
                let m = Int64(scaled)
                if Double(m) / Double(powers[k]) == v { return (m, k) }
                return nil
            }
            k += 1
        }
        return nil
    }
}
