import XCTest
import PluginABI
@testable import TableIO

/// The sheet parser's literal fast paths (`SheetDataParser+FastCell.swift`) against its general path: the same cells
/// written in the shape the fast path matches and in shapes that force the general path must read the same, across
/// frame boundaries (sheets over the parser's 1 MiB buffer), gaps between rows and tiny batches.
final class SheetFastPathTests: XCTestCase {
    func testLiteralWordsMatchTheirText() {
        func word(_ s: String) -> UInt64 { s.utf8.reversed().reduce(0) { $0 << 8 | UInt64($1) } }
        XCTAssertEqual(SheetDataParser.Literal.closeValueCell, word("</v></c>"))
        XCTAssertEqual(SheetDataParser.Literal.closeInlineHead, word("</t></is"))
        XCTAssertEqual(SheetDataParser.Literal.closeInlineTail, word("/is></c>"))
        XCTAssertEqual(SheetDataParser.Literal.openInline, word("<is><t>"))
        XCTAssertEqual(UInt64(SheetDataParser.Literal.openValue), word("<v>"))
        XCTAssertEqual(UInt64(SheetDataParser.Literal.attributeR), word(" r=\""))
        XCTAssertEqual(UInt64(SheetDataParser.Literal.attributeT), word(" t=\""))
        XCTAssertEqual(UInt64(SheetDataParser.Literal.attributeS), word(" s=\""))
        XCTAssertEqual(SheetDataParser.Literal.openRow, word("<row r=\""))
        XCTAssertEqual(SheetDataParser.Literal.inlineStr, word("inlineSt"))
    }

    /// One cell in both shapes, and what it reads as.
    struct Sample {
        var fast: String
        var general: String
        var value: CellValue
    }

    static func sample(_ r: inout RoundTripPropertyTests.Random, ref: String) -> Sample {
        let n = r.int(1_000_000)
        let text = ["Hung Tran", "a", "", "0932181960", "hung.tran1@example.com", String(repeating: "long text ", count: 40)][r.int(6)]
        switch r.int(10) {
        case 0: return Sample(fast: "<c r=\"\(ref)\" t=\"n\"><v>\(n)</v></c>", general: "<c r=\"\(ref)\" t=\"n\" ><v>\(n)</v></c>", value: .int(Int64(n)))
        case 1: return Sample(fast: "<c r=\"\(ref)\"><v>\(n).25</v></c>", general: "<c r=\"\(ref.lowercased())\"><v>\(n).25</v></c>", value: .float(Double(n) + 0.25))
        case 2: return Sample(fast: "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(text)</t></is></c>",
                              general: "<c r=\"\(ref)\" t=\"inlineStr\" cm=\"1\"><is><t>\(text)</t></is></c>", value: .text(text))
        case 3: return Sample(fast: "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>caf\u{E9} _x0041_</t></is></c>",
                              general: "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>caf&#233; _x0041_</t></is></c>", value: .text("café A"))
        case 4: return Sample(fast: "<c r=\"\(ref)\" s=\"1\"><v>46037</v></c>", general: "<c r=\"\(ref)\" s=\"01\"  ><v>46037</v></c>",
                              value: .dateTime(Double(DateFormatting.days(year: 2026, month: 1, day: 15)) * 86400, flags: UInt32(PZ_DT_DATE_ONLY)))
        case 5: return Sample(fast: "<c r=\"\(ref)\" t=\"b\"><v>1</v></c>", general: "<c r=\"\(ref)\" t=\"b\"><v>true</v></c>", value: .bool(true))
        case 6: return Sample(fast: "<c r=\"\(ref)\"/>", general: "<c r=\"\(ref)\"></c>", value: .null)
        case 7: return Sample(fast: "<c r=\"\(ref)\" t=\"str\"><v>\(n)</v></c>", general: "<c r=\"\(ref)\" t=\"str\"><f>X</f><v>\(n)</v></c>", value: .text("\(n)"))
        case 8: return Sample(fast: "<c r=\"\(ref)\" t=\"e\"><v>#N/A</v></c>", general: "<c r=\"\(ref)\" t='e'><v>#N/A</v></c>", value: .null)
        default: return Sample(fast: "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>a &lt; b</t></is></c>",
                               general: "<c r=\"\(ref)\" t=\"inlineStr\"><is><t><![CDATA[a < b]]></t></is></c>", value: .text("a < b"))
        }
    }

    func testFastAndGeneralShapesReadTheSameAcrossFramesAndBatches() throws {
        var random = RoundTripPropertyTests.Random(state: 12)
        let columns = ["A", "B", "C", "D", "E"]
        let header = columns.map { "<c r=\"\($0)1\" t=\"inlineStr\"><is><t>h\($0)</t></is></c>" }.joined()
        var fast = "<sheetData><row r=\"1\">\(header)</row>"
        var general = "<sheetData><row r=\"1\" spans=\"1:5\">\(header)</row>"
        var expected: [[CellValue]] = []
        var rowNumber = 1
        while fast.utf8.count < 3 << 20 { // three parser buffers
            let gap = random.int(12) == 0 ? 1 + random.int(5) : 0
            for _ in 0..<gap { expected.append(Array(repeating: .null, count: columns.count)) }
            rowNumber += 1 + gap
            var values: [CellValue] = []
            fast += "<row r=\"\(rowNumber)\">"
            general += random.int(2) == 0 ? "<row spans=\"1:5\" r=\"\(rowNumber)\">" : "<row r='\(rowNumber)'>"
            for column in columns {
                let s = SheetFastPathTests.sample(&random, ref: "\(column)\(rowNumber)")
                fast += s.fast
                general += s.general
                values.append(s.value)
            }
            fast += "</row>"
            general += "</row>"
            // A row whose cells are all empty reads as a blank row, like a gap.
            expected.append(values)
        }
        while let last = expected.last, last.allSatisfy({ $0 == .null }) { expected.removeLast() } // trailing blanks dropped
        fast += "</sheetData>"
        general += "</sheetData>"
        for (name, sheet) in [("fast", fast), ("general", general)] {
            for batchRows in [3, 8192] {
                let dir = try TempDir()
                let path = try XLSXForeignFileTests.makeWorkbook(dir, sheet: sheet, sharedStrings: "")
                let reader = try XLSXReader(path: path, sheetName: "Data", batchRows: batchRows)
                XCTAssertEqual(reader.columnNames, columns.map { "h\($0)" })
                let rows = try reader.readAllValues()
                XCTAssertEqual(rows.count, expected.count, "\(name), batches of \(batchRows)")
                if let bad = rows.indices.first(where: { $0 < expected.count && rows[$0] != expected[$0] }) {
                    XCTFail("\(name), batches of \(batchRows): data row \(bad) is \(rows[bad]), expected \(expected[bad])")
                }
            }
        }
    }

    /// Shapes the fast path must hand to the general path, and what each of them reads as (or that it is refused).
    func testNearMissesTakeTheGeneralPath() throws {
        let cases: [(String, [CellValue]?)] = [
            ("<c r=\"A2\" t=\"n\"><v>1</v></c><c r=\"AAAA2\"><v>2</v></c>", nil),      // a reference with four letters
            ("<c r=\"\(String(repeating: "S", count: 40))2\"><v>2</v></c>", nil),       // forty (overflowed, found by FuzzXLSX)
            ("<c r=\"B2\"><v>1</v></c><c r=\"A2\"><v>2</v></c>", nil),                 // cells out of order
            ("<c r=\"A2\" s=\"1234567890\"><v>5</v></c>", [.int(5)]),                  // a style index with ten digits
            ("<c r=\"A2\" t=\"inlineStr\"><is><t>x</t></is><extra/></c>", [.text("x")]),
            ("<c r=\"A2\"><v>7</v> </c>", [.int(7)]),
            ("<c r=\"A2\"><v>7</v></c ><c r=\"B2\"><v>8</v></c>", [.int(7), .int(8)]),
            ("<c r=\"A2\" t=\"inlineStr\"><is><t>a</t><t>b</t></is></c>", [.text("ab")]), // runs are joined
        ]
        for (cells, expected) in cases {
            let dir = try TempDir()
            let sheet = "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>b</t></is></c></row><row r=\"2\">\(cells)</row></sheetData>"
            let path = try XLSXForeignFileTests.makeWorkbook(dir, sheet: sheet, sharedStrings: "")
            let read = Result { try XLSXReader(path: path, sheetName: "Data").readAllValues() }
            switch (read, expected) {
            case (.success(let rows), .some(let want)):
                XCTAssertEqual(rows.first.map { Array($0.prefix(want.count)) }, want, cells)
            case (.failure, .none): break
            case (.success(let rows), .none): XCTFail("\(cells) should be refused, read \(rows)")
            case (.failure(let error), .some): XCTFail("\(cells): \(error)")
            }
        }
    }

    /// A row held back because the blank rows before it did not fit, when those blank rows then exactly fill the next
    /// batch: the row must wait for the batch after (it used to be written one row past the batch's storage).
    func testHeldRowAfterBlankRowsThatFillABatch() throws {
        func row(_ n: Int) -> String { "<row r=\"\(n)\"><c r=\"A\(n)\" t=\"n\"><v>\(n)</v></c></row>" }
        let dir = try TempDir()
        let sheet = "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>n</t></is></c></row>\(row(2))\(row(3))\(row(10))</sheetData>"
        let path = try XLSXForeignFileTests.makeWorkbook(dir, sheet: sheet, sharedStrings: "")
        let reader = try XLSXReader(path: path, sheetName: "Data", batchRows: 4)
        var sizes: [Int] = []
        var values: [CellValue] = []
        while true {
            let batch = try reader.nextBatch(maxRows: 0)
            if batch.rowCount == 0 { break }
            sizes.append(batch.rowCount)
            for r in 0..<batch.rowCount { values.append(CellValue(batch[r, 0])) }
        }
        XCTAssertEqual(sizes, [4, 4, 1], "2, 3, two blank rows | four blank rows | 10")
        XCTAssertEqual(values, [.int(2), .int(3)] + Array(repeating: .null, count: 6) + [.int(10)])
    }
}
