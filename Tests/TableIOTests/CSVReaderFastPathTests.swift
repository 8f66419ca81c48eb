import Foundation
import XCTest
@_spi(Testing) @testable import TableIO

/// Pins the reader's fast paths (word-at-a-time field scan, quoted runs copied with memchr, cells written straight
/// into the batch) to the plain rules in `CSVReferenceParser`, above all where a field meets the end of the read
/// buffer: the reader must then stop, refill and parse the record again.
final class CSVReaderFastPathTests: XCTestCase {
    private let dir = try! TempDir()
    private var fileNumber = 0

    /// Reads `bytes` with the real reader (buffer `bufferBytes` to start with) and returns the same shape as the
    /// reference.
    private func read(_ bytes: [UInt8], bufferBytes: Int = 1 << 20, batchRows: Int = 8192,
                      maxFieldBytes: Int = 64 << 20) -> (CSVReferenceParser.Outcome, CSVEncoding?) {
        fileNumber += 1
        do {
            let path = try dir.write("f\(fileNumber).csv", bytes: bytes)
            let reader = try CSVReader(path: path, batchRows: batchRows, maxFieldBytes: maxFieldBytes,
                                       bufferBytes: bufferBytes)
            return (.table(reader.columnNames, try reader.readAllValues()), reader.encoding)
        } catch {
            return (.failure(error.message), nil)
        }
    }

    private func check(_ bytes: [UInt8], bufferSizes: [Int], batchRows: Int = 8192, maxFieldBytes: Int = 64 << 20,
                       file: StaticString = #filePath, line: UInt = #line) {
        for size in bufferSizes {
            let (got, encoding) = read(bytes, bufferBytes: size, batchRows: batchRows, maxFieldBytes: maxFieldBytes)
            let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF]) && encoding != .cp1252 ? 3 : 0
            let expected = CSVReferenceParser.parse(Array(bytes[bom...]), cp1252: encoding == .cp1252,
                                                    maxFieldBytes: maxFieldBytes)
            if got != expected {
                XCTFail("buffer \(size): \(String(decoding: bytes.prefix(300), as: UTF8.self).debugDescription)\n"
                        + "got      \(got)\nexpected \(expected)", file: file, line: line)
                return
            }
        }
    }

    /// Random small files from an alphabet of delimiters, quotes, line ends, ASCII and 2- and 3-byte UTF-8, read with
    /// starting buffers of 1 to 23 bytes (every field crosses a boundary somewhere) and with the default buffer.
    func testRandomFilesMatchTheReferenceAtEveryBufferBoundary() {
        let pieces: [[UInt8]] = [[0x2C], [0x2C], [0x22], [0x22, 0x22], [0x0A], [0x0D], [0x0D, 0x0A], [0x61], [0x62],
                                 Array("long field text".utf8), Array("é".utf8), Array("€".utf8), [0x20], [0x5F]]
        var rng = RoundTripPropertyTests.Random(state: 7)
        for _ in 0..<600 {
            var bytes: [UInt8] = []
            for _ in 0..<rng.int(40) { bytes += pieces[rng.int(pieces.count)] }
            check(bytes, bufferSizes: [1, 2, 3, 5, 8, 9, 16, 23, 1 << 20], batchRows: 1 + rng.int(4))
        }
    }

    /// Well-formed files (so the comparison covers cells, not only the first error) with short batches.
    func testRandomWellFormedFilesMatchTheReference() {
        var rng = RoundTripPropertyTests.Random(state: 11)
        for _ in 0..<300 {
            let width = 1 + rng.int(4)
            var text = (0..<width).map { "c\($0)" }.joined(separator: ",") + "\n"
            for _ in 0..<rng.int(12) {
                let count = rng.int(width) + 1
                text += (0..<count).map { _ in randomField(&rng) }.joined(separator: ",")
                text += ["\n", "\r\n", "\r", "\n\n"][rng.int(4)]
            }
            check(Array(text.utf8), bufferSizes: [1, 4, 7, 13, 1 << 20], batchRows: 1 + rng.int(3))
        }
    }

    /// Every field length from 0 to 17 at every offset within an 8-byte word, plain and quoted, with each line end and
    /// at the end of the file (with and without a final line end).
    func testFieldLengthsAroundTheWordSize() {
        for length in 0...17 {
            for offset in 0..<8 {
                for ending in ["\n", "\r\n", "\r", ",", ""] {
                    let pad = String(repeating: "p", count: offset)
                    let value = String((0..<length).map { Character(Unicode.Scalar(UInt8(0x61 + $0 % 26))) })
                    let quotedValue = "\"" + value.replacingOccurrences(of: "f", with: "\"\"") + "\""
                    for field in [value, quotedValue, value + "\"x", quotedValue + "tail"] {
                        check(Array("a,b\n\(pad),\(field)\(ending)z,\(field)\n".utf8), bufferSizes: [1 << 20, 9])
                        if ending.isEmpty { check(Array("a,b\n\(pad),\(field)".utf8), bufferSizes: [1 << 20, 9]) }
                    }
                }
            }
        }
    }

    /// Fields that cross the first 1 MiB refill of the real buffer: plain and quoted, a `""` pair split by the
    /// boundary, CRLF split by it, a newline inside quotes at it.
    func testFieldsStraddlingTheOneMiBBuffer() {
        let variants = ["abcdefghijklmnopq", "\"quoted, with comma\"", "\"a\"\"b\"\"c\"", "\"x\r\ny\"", "\"\"\"\"",
                        "\"q\"after", "plain\"quote", "é€é€é€"]
        for variant in variants {
            for back in [0, 1, 2, 3, 5, 8, 9, 12] {
                // "a,b\n" + "p," + pad + "\r\n" + "v," is 10 bytes + pad: the variant starts `back` bytes before the
                // end of the first 1 MiB read.
                var bytes = Array("a,b\np,".utf8) + [UInt8](repeating: 0x78, count: (1 << 20) - back - 10)
                bytes += Array("\r\nv,\(variant)\r\nw,z\r\n".utf8)
                check(bytes, bufferSizes: [1 << 20])
            }
        }
    }

    /// A quoted field spanning several buffers (it grows the buffer) and a field over the limit, refused as such.
    func testLongFieldsAndTheFieldLimit() {
        let long = String(repeating: "0123456789\"\"\n", count: 30_000)
        check(Array("a\n\"\(long)\"\nnext\n".utf8), bufferSizes: [1 << 20, 4096])
        let plain = [UInt8](repeating: 0x61, count: 200)
        for size in [100, 101] {
            // `"`, size - 1 letters, `""` (one more byte of text), the closing quote: `size` bytes of text.
            let quoted = [0x22] + [UInt8](repeating: 0x61, count: size - 1) + [0x22, 0x22, 0x22]
            for field in [Array(plain.prefix(size)), quoted] {
                check(Array("h\n".utf8) + field + [0x0A], bufferSizes: [1 << 20, 8], maxFieldBytes: 100)
            }
        }
        let (outcome, _) = read(Array("h\n".utf8) + [UInt8](repeating: 0x61, count: 5000), bufferBytes: 16,
                                maxFieldBytes: 1000)
        XCTAssertEqual(outcome, .failure("limit: A CSV field at line 2 is larger than the 0 MiB limit"))
    }

    /// Windows-1252 files take the transcoding path; same rules, checked at small buffers too.
    func testCP1252FilesMatchTheReference() {
        var rng = RoundTripPropertyTests.Random(state: 5)
        let pieces: [[UInt8]] = [[0x2C], [0x22], [0x0A], [0x0D, 0x0A], [0x63, 0x61, 0x66, 0xE9], [0x80], [0x9F], [0xFF],
                                 [0x41]]
        for _ in 0..<300 {
            var bytes: [UInt8] = [0x78, 0x2C, 0x79, 0x0A, 0xE9, 0x2C, 0x22, 0x80, 0x22, 0x0A]
            for _ in 0..<rng.int(30) { bytes += pieces[rng.int(pieces.count)] }
            XCTAssertEqual(read(bytes).1 ?? .cp1252, .cp1252)
            check(bytes, bufferSizes: [1, 3, 8, 1 << 20], batchRows: 2)
        }
    }

    /// The sniff pass refuses a NUL anywhere, also after the first MiB, after a non-ASCII byte, and in a file that
    /// turned out to be Windows-1252; a multi-byte character split by its 1 MiB chunks is still UTF-8.
    func testSniffAcrossChunks() throws {
        let mib = 1 << 20
        for position in [0, 1, 7, 8, 9, mib - 1, mib, mib + 3, mib + 8 * 1000 + 5] {
            for prefix: [UInt8] in [[], Array("é".utf8), [0xE9]] {
                var bytes = prefix + Array("a,b\n".utf8) + [UInt8](repeating: 0x61, count: mib + 10_000)
                bytes[min(prefix.count + 4 + position, bytes.count - 1)] = 0
                XCTAssertThrowsError(try CSVReader(path: try dir.write("nul.csv", bytes: bytes)), "NUL at \(position)") {
                    XCTAssertTrue($0.message.contains("NUL bytes"), $0.message)
                }
            }
        }
        for split in [mib - 1, mib - 2] {
            var bytes = Array("a\n".utf8) + [UInt8](repeating: 0x62, count: split - 2)
            bytes += Array("€\n".utf8)
            let reader = try CSVReader(path: try dir.write("split.csv", bytes: bytes))
            XCTAssertEqual(reader.encoding, .utf8)
            let rows = try reader.readAllValues()
            XCTAssertEqual(rows.count, 1)
            XCTAssertEqual(rows.first?.first, .text(String(repeating: "b", count: split - 2) + "€"))
        }
        var lateInvalid = Array("a\n".utf8) + [UInt8](repeating: 0x62, count: mib + 100)
        lateInvalid += [0xE9, 0x0A]
        XCTAssertEqual(try CSVReader(path: try dir.write("late.csv", bytes: lateInvalid)).encoding, .cp1252)
    }

    /// The validator's word-at-a-time ASCII skip agrees with byte-by-byte validation on random bytes.
    func testValidatorMatchesByteWiseValidation() {
        var rng = RoundTripPropertyTests.Random(state: 3)
        let pieces: [[UInt8]] = [[0x41], [0x00], Array("é".utf8), Array("€".utf8), Array("𝄞".utf8), [0xC3], [0x80],
                                 [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE0, 0x80, 0x80], [0xC0, 0xAF],
                                 Array("plain ascii text".utf8)]
        for _ in 0..<5000 {
            var bytes: [UInt8] = []
            for _ in 0..<rng.int(12) { bytes += pieces[rng.int(pieces.count)] }
            let chunk = 1 + rng.int(20)
            var v = UTF8Validator()
            var t = UTF8Validator()
            var sawNUL = false
            var s = 0
            while s < bytes.count {
                let n = min(chunk, bytes.count - s)
                bytes.withUnsafeBufferPointer { b in
                    v.feed(b.baseAddress! + s, n)
                    if !sawNUL && !t.feedText(b.baseAddress! + s, n) { sawNUL = true }
                }
                s += n
            }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            XCTAssertEqual(v.complete, expected, "\(bytes)")
            XCTAssertEqual(sawNUL, bytes.contains(0), "\(bytes)")
            if !sawNUL { XCTAssertEqual(t.complete, expected, "\(bytes)") }
        }
    }

    private func randomField(_ rng: inout RoundTripPropertyTests.Random) -> String {
        switch rng.int(6) {
        case 0: return ""
        case 1: return "\"\""
        case 2: return String(repeating: "w", count: rng.int(20))
        case 3: return "\"in, \"\"quotes\"\"\nand lines\""
        case 4: return "Hà Nội \(rng.int(1000))"
        default: return String(rng.int(1_000_000))
        }
    }
}
