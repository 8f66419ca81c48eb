import XCTest
@testable import TableIO

/// The framed shared-strings parser: its fast path and general path must give what the generic scanner gave
/// (rich runs joined, phonetic runs dropped, entities, CDATA, prefixes, `_xHHHH_` escapes), however the input is
/// split into reads, and refuse what the scanner refused.
final class SharedStringsParserTests: XCTestCase {
    /// Hands out at most `step` bytes per read, so items straddle every kind of boundary.
    final class SteppedSource: ByteSource {
        private let bytes: [UInt8]
        private let step: Int
        private var position = 0
        init(_ bytes: [UInt8], step: Int) { self.bytes = bytes; self.step = step }
        func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
            let n = min(count, step, bytes.count - position)
            if n > 0 { bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress! + position, byteCount: n) } }
            position += n
            return n
        }
    }

    private func load(_ items: String, step: Int = 1 << 30) throws -> [String] {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"9\">\(items)</sst>"
        let table = SharedStrings()
        try table.load(from: SteppedSource(Array(xml.utf8), step: step), partName: "xl/sharedStrings.xml")
        return (0..<table.count).map { table.string($0) ?? "?" }
    }

    func testShapesWritersUse() throws {
        let items = """
        <si><t>plain</t></si><si><t xml:space="preserve"> padded </t></si><si><t/></si><si/><si></si>\
        <si><r><rPr><b/><sz val="11"/></rPr><t>Ri</t></r><r><t xml:space="preserve">ch &amp; bold</t></r><rPh sb="0" eb="1"><t>IGNORED</t></rPh><phoneticPr fontId="1"/></si>\
        <si><t>&lt;x&gt; &#233;&#x4E2D;</t></si><si><t><![CDATA[<raw> & ]]></t></si><si><!-- note --><t>after comment</t></si>\
        <x:si><x:t>prefixed</x:t></x:si><si><t>line_x000D_break _x005F_x0041_</t></si>
        <si><t>naïve ☃ 中文</t></si>
        """
        let expected = ["plain", " padded ", "", "", "", "Rich & bold", "<x> é中", "<raw> & ", "after comment", "prefixed",
                        "line\rbreak _x0041_", "naïve ☃ 中文"]
        XCTAssertEqual(try load(items), expected)
        for step in [1, 2, 3, 7, 64, 1000] {
            XCTAssertEqual(try load(items, step: step), expected, "read in steps of \(step)")
        }
    }

    func testManyItemsAcrossFrames() throws {
        var items = ""
        var expected: [String] = []
        for i in 0..<30_000 {
            let s = i % 5 == 0 ? "rich \(i) & more" : "item-\(i)-\(String(repeating: "x", count: i % 40))"
            expected.append(s)
            let escaped = s.replacingOccurrences(of: "&", with: "&amp;")
            items += i % 5 == 0 ? "<si><r><t>\(escaped.prefix(4))</t></r><r><t xml:space=\"preserve\">\(escaped.dropFirst(4))</t></r></si>" : "<si><t>\(escaped)</t></si>"
        }
        XCTAssertEqual(try load(items), expected)
        XCTAssertEqual(try load(items, step: 4093), expected)
    }

    func testRefusals() {
        let cases: [(String, String)] = [
            ("<!DOCTYPE x [<!ENTITY a \"b\">]><si><t>&a;</t></si>", "DOCTYPE"),
            ("<si><t>&a;</t></si><si><r><t>&unknown;</t></r></si>", "undefined entity"),
            ("<si><t>bad \u{FFFD}</t></si><si><t>open", "unterminated"),
            ("<si><t>unterminated</t>", "unterminated"),
            ("<si><t><![CDATA[never closed</t></si>", "unterminated"),
        ]
        for (items, fragment) in cases {
            XCTAssertThrowsError(try load(items), items) { error in
                guard case TableIOError.badInput(let m) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(m.contains(fragment), "\(items): \(m)")
            }
        }
        // Invalid UTF-8 in an item, whole or split.
        var bytes = Array("<sst><si><t>ok</t></si><si><t>bad ".utf8) + [0xC3, 0x28] + Array("</t></si></sst>".utf8)
        for step in [1, 1 << 20] {
            XCTAssertThrowsError(try SharedStrings().load(from: SteppedSource(bytes, step: step), partName: "s")) { error in
                XCTAssertEqual(error as? TableIOError, .badInput("Not a valid XLSX file: s: shared strings are not valid UTF-8"))
            }
        }
        // A sequence cut at the very end.
        bytes = Array("<sst><si><t>cut ".utf8) + [0xE4, 0xB8] + Array("</t></si></sst>".utf8)
        XCTAssertThrowsError(try SharedStrings().load(from: SteppedSource(bytes, step: 5), partName: "s"))
    }

    func testItemAndTableLimits() {
        let big = "<sst><si><t>" + String(repeating: "a", count: 3 << 20) + "</t></si></sst>"
        XCTAssertThrowsError(try SharedStringsParser(source: SteppedSource(Array(big.utf8), step: 1 << 18), partName: "s",
                                                     maxItemBytes: 2 << 20).parse(into: &scratchBytes, offsets: &scratchOffsets)) { error in
            guard case TableIOError.limitExceeded(let m) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(m.contains("larger than 2 MiB"), m)
        }
        let many = "<sst>" + String(repeating: "<si><t>0123456789</t></si>", count: 200_000) + "</sst>"
        XCTAssertThrowsError(try SharedStrings().load(from: SteppedSource(Array(many.utf8), step: 1 << 16), partName: "s",
                                                      maxBytes: 1 << 20)) { error in
            guard case TableIOError.limitExceeded(let m) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(m.contains("exceed 1 MiB"), m)
        }
    }

    private var scratchBytes: [UInt8] = []
    private var scratchOffsets: [UInt32] = [0]
}

/// The ASCII fast path of text cells must say "plain" exactly when no byte is non-ASCII or `_`.
final class PlainASCIITests: XCTestCase {
    func testAgreesWithAByteLoop() {
        var rng: UInt64 = 12345
        for length in 0..<40 {
            for _ in 0..<200 {
                var bytes: [UInt8] = []
                for _ in 0..<length {
                    rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    let r = UInt8(truncatingIfNeeded: rng >> 33)
                    // Mostly plain letters, sometimes '_', '^' (0x5E), '`' (0x60), 0x7F, 0x80, 0xDF, 0xFF, 0x00.
                    let special: [UInt8] = [0x5F, 0x5E, 0x60, 0x7F, 0x80, 0xDF, 0xFF, 0x00, 0x1F]
                    bytes.append(r % 13 == 0 ? special[Int(r / 13) % special.count] : 0x61 + r % 26)
                }
                let expected = bytes.allSatisfy { $0 < 0x80 && $0 != 0x5F }
                XCTAssertEqual(bytes.withUnsafeBufferPointer { XLSXReader.isPlainASCII($0) }, expected, "\(bytes)")
            }
        }
    }
}
