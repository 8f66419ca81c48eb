import XCTest
@testable import TableIO

/// The XLSX writer's text escape skips plain bytes 8 at a time; it must write exactly what the byte-by-byte
/// version (kept here) wrote, whatever the position of a special byte within a word.
final class XLSXEscapeTests: XCTestCase {
    /// The escape as it was before the word-at-a-time skip.
    private static func byteWise(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        bytes.withUnsafeBufferPointer { buf in
            var runStart = 0
            for i in 0..<buf.count {
                let b = buf[i]
                let special = b == 0x3C || b == 0x3E || b == 0x26 || b == 0x5F || (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D)
                if !special || (b == 0x5F && ExcelEscapes.escape(at: i, in: buf) == nil) { continue }
                out += buf[runStart..<i]
                switch b {
                case 0x3C: out += Array("&lt;".utf8)
                case 0x3E: out += Array("&gt;".utf8)
                case 0x26: out += Array("&amp;".utf8)
                case 0x5F: out += Array("_x005F_".utf8)
                default:
                    let hex = Array("0123456789ABCDEF".utf8)
                    out += Array("_x00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 0xF)], 0x5F]
                }
                runStart = i + 1
            }
            out += buf[runStart...]
        }
        return out
    }

    private static func escaped(_ bytes: [UInt8]) -> [UInt8] {
        let sink = ByteSink(capacity: 64)
        bytes.withUnsafeBufferPointer { XLSXWriter.appendEscaped($0, to: sink) }
        return Array(UnsafeRawBufferPointer(start: sink.base, count: sink.count))
    }

    /// Each special byte (and each byte of the same bit patterns that is not special) at every position of texts of
    /// 1 to 24 bytes, alone and next to another special byte.
    func testEverySpecialByteAtEveryPosition() {
        var probes: [UInt8] = Array(0x00...0x20) + [0x26, 0x3C, 0x3D, 0x3E, 0x3F, 0x5E, 0x5F, 0x60, 0x7F, 0x80, 0xBC, 0xDF, 0xFF]
        probes += [0x25, 0x27, 0xA6, 0xBE]
        for length in 1...24 {
            for position in 0..<length {
                for probe in probes {
                    var bytes = [UInt8](repeating: 0x61, count: length)
                    bytes[position] = probe
                    XCTAssertEqual(Self.escaped(bytes), Self.byteWise(bytes), "\(probe) at \(position) of \(length)")
                    let plain = bytes.withUnsafeBufferPointer { XLSXWriter.isPlainText($0.baseAddress!, length) }
                    XCTAssertEqual(plain, !bytes.contains { $0 < 0x20 || [0x26, 0x3C, 0x3E, 0x5F].contains($0) },
                                   "\(probe) at \(position) of \(length)")
                    if position + 1 < length {
                        bytes[position + 1] = 0x3C
                        XCTAssertEqual(Self.escaped(bytes), Self.byteWise(bytes), "\(probe)< at \(position) of \(length)")
                    }
                }
            }
        }
    }

    func testExcelEscapesAndExpectedText() {
        XCTAssertEqual(String(decoding: Self.escaped(Array("a<b>c&d_x0041_e\u{1}f\tg".utf8)), as: UTF8.self),
                       "a&lt;b&gt;c&amp;d_x005F_x0041_e_x0001_f\tg")
        XCTAssertEqual(String(decoding: Self.escaped(Array("snake_case_name_x00_".utf8)), as: UTF8.self),
                       "snake_case_name_x00_")
        XCTAssertEqual(Self.escaped([]), [])
    }

    /// Random texts mixing plain words, UTF-8, escapes and controls.
    func testRandomTextsMatchTheByteWiseEscape() {
        var rng = RoundTripPropertyTests.Random(state: 19)
        let pieces: [[UInt8]] = [Array("plain".utf8), Array("Hà Nội".utf8), Array("_x00AB_".utf8), Array("_x12".utf8),
                                 [0x3C], [0x3E], [0x26], [0x5F], [0x01], [0x1F], [0x09], [0x0A], [0x0D], [0x20],
                                 Array("12345678".utf8)]
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<rng.int(10) { bytes += pieces[rng.int(pieces.count)] }
            XCTAssertEqual(Self.escaped(bytes), Self.byteWise(bytes), "\(bytes)")
        }
    }
}
