import XCTest
@testable import TableIO

/// The word-at-a-time helpers against their one-byte-at-a-time meaning.
final class WordScanTests: XCTestCase {
    /// Every length up to 40 at every source and destination offset within a word; bytes around the copy untouched.
    func testCopyWritesExactlyTheBytes() {
        let source = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for n in 0...40 {
            for srcOffset in 0..<8 {
                for dstOffset in 0..<8 {
                    var dst = [UInt8](repeating: 0xEE, count: 64)
                    source.withUnsafeBufferPointer { s in
                        dst.withUnsafeMutableBufferPointer { d in
                            WordScan.copy(s.baseAddress! + srcOffset, to: d.baseAddress! + dstOffset, count: n)
                        }
                    }
                    var expected = [UInt8](repeating: 0xEE, count: 64)
                    expected.replaceSubrange(dstOffset..<(dstOffset + n), with: source[srcOffset..<(srcOffset + n)])
                    XCTAssertEqual(dst, expected, "n \(n), offsets \(srcOffset) \(dstOffset)")
                }
            }
        }
    }

    /// The first flagged byte is the first matching byte, whatever precedes it (borrows only run upwards).
    func testFirstFlaggedIsExact() {
        var rng = RoundTripPropertyTests.Random(state: 23)
        let interesting: [UInt8] = [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x26, 0x2C, 0x3C, 0x3E, 0x5F, 0x61, 0x7F,
                                    0x80, 0xFF]
        for _ in 0..<20_000 {
            let word = (0..<8).map { _ in interesting[rng.int(interesting.count)] }
            let w = word.withUnsafeBufferPointer { WordScan.load($0.baseAddress!) }
            let special = WordScan.xmlSpecial(w)
            let firstSpecial = word.firstIndex { $0 < 0x20 || [0x26, 0x3C, 0x3E, 0x5F].contains($0) }
            XCTAssertEqual(special == 0 ? nil : WordScan.firstFlagged(special), firstSpecial, "\(word)")
            let end = word.withUnsafeBufferPointer { WordScan.csvFieldEnd($0.baseAddress!, from: 0, end: 8) }
            XCTAssertEqual(end, word.firstIndex { $0 == 0x2C || $0 == 0x0A || $0 == 0x0D } ?? 8, "\(word)")
        }
    }
}
