import XCTest
import PluginABI
@testable import TableIO

/// Reads workbooks shaped like other writers make them (shared strings with rich-text runs, cells and rows without
/// `r`, sparse rows, formula string results, booleans, errors, built-in and custom date formats, the 1904 system,
/// `x:` prefixes), built part by part with the engine's zip writer.
final class XLSXForeignFileTests: XCTestCase {
    static let ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

    func makeWorkbook(_ dir: TempDir, sheet: String, sharedStrings: String, date1904: Bool = false,
                      sheetName: String = "Data", prefix: String = "") throws -> String {
        try Self.makeWorkbook(dir, sheet: sheet, sharedStrings: sharedStrings, date1904: date1904, sheetName: sheetName, prefix: prefix)
    }

    /// A workbook with sheets "Other" and `sheetName` (whose sheet XML is `sheet`), styles with date formats at
    /// indexes 1, 2 and 4, and the given shared strings.
    static func makeWorkbook(_ dir: TempDir, sheet: String, sharedStrings: String, date1904: Bool = false,
                             sheetName: String = "Data", prefix: String = "") throws -> String {
        let path = dir.path("foreign.xlsx")
        let zip = try ZipWriter(path: path, level: 6)
        try zip.addEntry("[Content_Types].xml", Array("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".utf8))
        try zip.addEntry("_rels/.rels", Array("""
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
        """.utf8))
        try zip.addEntry("xl/workbook.xml", Array("""
        <?xml version="1.0" encoding="UTF-8"?><workbook \(ns)><workbookPr date1904="\(date1904 ? 1 : 0)"/><sheets><sheet name="Other" sheetId="1" r:id="rId2"/><sheet name="\(sheetName)" sheetId="2" r:id="rId1"/></sheets></workbook>
        """.utf8))
        try zip.addEntry("xl/_rels/workbook.xml.rels", Array("""
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/other.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
        """.utf8))
        try zip.addEntry("xl/styles.xml", Array("""
        <styleSheet \(ns)><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy\\ hh:mm"/><numFmt numFmtId="165" formatCode="&quot;Total: &quot;#,##0.00"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="21"/></cellXfs></styleSheet>
        """.utf8))
        try zip.addEntry("xl/sharedStrings.xml", Array("<sst \(ns)>\(sharedStrings)</sst>".utf8))
        try zip.addEntry("xl/worksheets/other.xml", Array("<worksheet \(ns)><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row></sheetData></worksheet>".utf8))
        try zip.addEntry("xl/worksheets/data.xml", Array("<\(prefix)worksheet \(ns.replacingOccurrences(of: "xmlns=", with: prefix.isEmpty ? "xmlns=" : "xmlns:x="))>\(sheet)</\(prefix)worksheet>".utf8))
        try zip.finish()
        return path
    }

    func testForeignWorkbook() throws {
        let dir = try TempDir()
        let shared = """
        <si><t>id</t></si><si><t>name</t></si><si><r><rPr><b/></rPr><t>Ri</t></r><r><t xml:space="preserve">ch &amp; bold</t></r><rPh><t>IGNORED</t></rPh></si><si><t>0901234567</t></si><si><t>when</t></si><si><t>flag</t></si><si><t>amount</t></si>
        """
        let sheet = """
        <dimension ref="A1:F1048576"/><sheetData>
        <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c t="s"><v>4</v></c><c t="s"><v>5</v></c><c t="s"><v>6</v></c></row>
        <row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>2</v></c><c r="C2" s="1"><v>46037</v></c><c r="D2" t="b"><v>1</v></c><c r="E2" s="3"><v>1500.5</v></c></row>
        <row r="4"><c r="A4"><v>2</v></c><c r="B4" t="inlineStr"><is><t>inline &lt;x&gt; &#233;</t></is></c><c r="C4" s="2"><v>46037.5</v></c><c r="D4" t="e"><v>#N/A</v></c><c r="E4" t="str"><f>A4*2</f><v>4</v></c></row>
        <row><c><v>3</v></c><c t="s"><v>3</v></c><c s="4"><v>0.75</v></c><c r="D5" t="b"><v>0</v></c><c r="E5"><v>-2.5E-3</v></c><c r="H5"><v>99</v></c></row>
        <row r="6"/><row r="9"><c r="A9" s="0"/></row>
        </sheetData>
        """
        let path = try makeWorkbook(dir, sheet: sheet, sharedStrings: shared)
        let wb = try XLSXWorkbook(path: path)
        XCTAssertEqual(wb.sheetNames, ["Other", "Data"])
        let reader = try XLSXReader(workbook: wb, sheetName: "Data")
        XCTAssertEqual(reader.columnNames, ["id", "name", "when", "flag", "amount"])
        XCTAssertEqual(reader.totalRowsHint, 1_048_575, "the dimension is only a hint")
        let rows = try reader.readAllValues()
        let jan15 = Double(DateFormatting.days(year: 2026, month: 1, day: 15)) * 86400
        XCTAssertEqual(rows.count, 4, "blank row 3 kept, trailing blank rows dropped")
        XCTAssertEqual(rows[0], [.int(1), .text("Rich & bold"), .dateTime(jan15, flags: UInt32(PZ_DT_DATE_ONLY)), .bool(true), .float(1500.5)])
        XCTAssertEqual(rows[1], [.null, .null, .null, .null, .null])
        XCTAssertEqual(rows[2], [.int(2), .text("inline <x> é"), .dateTime(jan15 + 43200, flags: 0), .null, .text("4")])
        XCTAssertEqual(rows[3], [.int(3), .text("0901234567"), .dateTime(64800, flags: UInt32(PZ_DT_TIME_ONLY)), .bool(false), .float(-0.0025)])
        XCTAssertEqual(reader.droppedCells, 1, "H5 is right of the header")
        // The first sheet by default.
        XCTAssertEqual(try XLSXReader(workbook: wb).columnNames, ["1"])
    }

    func test1904DatesAndPrefixedElements() throws {
        let dir = try TempDir()
        let sheet = "<x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>d</x:t></x:is></x:c></x:row><x:row r=\"2\"><x:c r=\"A2\" s=\"1\"><x:v>0</x:v></x:c></x:row></x:sheetData>"
        let path = try makeWorkbook(dir, sheet: sheet, sharedStrings: "", date1904: true, prefix: "x:")
        let rows = try XLSXReader(path: path, sheetName: "Data").readAllValues()
        XCTAssertEqual(rows, [[.dateTime(Double(DateFormatting.days(year: 1904, month: 1, day: 1)) * 86400, flags: UInt32(PZ_DT_DATE_ONLY))]])
    }

    func testHostileXMLIsRefused() throws {
        let dir = try TempDir()
        let doctype = try makeWorkbook(dir, sheet: "<sheetData/>", sharedStrings: "<!DOCTYPE x [<!ENTITY a \"b\">]><si><t>&a;</t></si>")
        XCTAssertThrowsError(try XLSXWorkbook(path: doctype)) { error in
            guard case TableIOError.badInput(let m) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(m.contains("DOCTYPE"), m)
        }
        let dir2 = try TempDir()
        let deep = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
        let nested = try makeWorkbook(dir2, sheet: "<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\(deep)</sheetData>", sharedStrings: "")
        XCTAssertThrowsError(try XLSXReader(path: nested, sheetName: "Data").readAllValues())
        let dir3 = try TempDir()
        let entity = try makeWorkbook(dir3, sheet: "<sheetData/>", sharedStrings: "<si><t>&unknown;</t></si>")
        XCTAssertThrowsError(try XLSXWorkbook(path: entity))
    }

    func testDateFormatDetection() {
        XCTAssertEqual(DateFormatDetector.kind(ofFormatCode: "yyyy-mm-dd") & 0x3, 0x1)
        XCTAssertEqual(DateFormatDetector.kind(ofFormatCode: "[h]:mm:ss") & 0x3, 0x2)
        XCTAssertEqual(DateFormatDetector.kind(ofFormatCode: "m/d/yy h:mm"), 0x100)
        XCTAssertEqual(DateFormatDetector.kind(ofFormatCode: "#,##0.00"), 0)
        XCTAssertEqual(DateFormatDetector.kind(ofFormatCode: "\"Day\" 0"), 0)
        XCTAssertEqual(DateFormatDetector.kind(ofFormatCode: "[Red]0.00;[Blue]-0.00"), 0)
        XCTAssertEqual(DateFormatDetector.kind(ofFormatCode: "General"), 0)
    }
}
