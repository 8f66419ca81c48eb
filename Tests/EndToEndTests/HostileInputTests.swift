import Foundation
import XCTest
import TableIO

/// Every hostile file gets a clear 400 with the envelope, in the engine (unit level) and over HTTP
/// (`POST /api/v1/excel/info`), and the server keeps serving.
final class HostileInputTests: XCTestCase {
    nonisolated(unsafe) static var server: ServerHarness?
    nonisolated(unsafe) static var dir: URL?

    override class func setUp() {
        super.setUp()
        do {
            server = try ServerHarness(environment: ["PYCELIZE_MAX_FILE_SIZE_MB": "20"])
            let d = FileManager.default.temporaryDirectory.appendingPathComponent("pz-hostile-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
            dir = d
        } catch {
            XCTFail("could not start the server: \(error)")
        }
    }

    override class func tearDown() {
        server?.stop()
        if let d = dir { try? FileManager.default.removeItem(at: d) }
        super.tearDown()
    }

    var server: ServerHarness { get throws { try XCTUnwrap(Self.server) } }
    func path(_ name: String) throws -> String { try XCTUnwrap(Self.dir).appendingPathComponent(name).path }

    /// Asserts the file is refused by the reader and by `/excel/info` with a 400 whose message contains `fragment`.
    func assertRefused(_ file: String, _ fragment: String, line: UInt = #line) throws {
        XCTAssertThrowsError(try XLSXReader(path: file).readAllValues(), line: line) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(fragment), "engine: \(text)", line: line)
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        let reply = try server.postForm("/api/v1/excel/info", files: ["file": ("hostile.xlsx", bytes)])
        XCTAssertEqual(reply.status, 400, reply.message, line: line)
        XCTAssertEqual(reply.json["status_code"] as? Int, 400, line: line)
        XCTAssertTrue(reply.message.contains(fragment), "http: \(reply.message)", line: line)
        XCTAssertEqual(try server.get("/api/v1/health").status, 200, "server still up", line: line)
    }

    func testNotAZipAndTruncated() throws {
        let notZip = try path("not.xlsx")
        try Data("id,name\n1,An\n".utf8).write(to: URL(fileURLWithPath: notZip))
        try assertRefused(notZip, "Not a valid XLSX file")

        let good = try path("good.xlsx")
        try HostileFixtures.workbook(at: good, sheet: HostileFixtures.sheet("<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row></sheetData>"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        let truncated = try path("truncated.xlsx")
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        try assertRefused(truncated, "Not a valid XLSX file")
    }

    func testZipBombIsStopped() throws {
        let bomb = try path("bomb.xlsx")
        var sheet = Array("<worksheet \(HostileFixtures.ns)><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>".utf8)
        sheet += [UInt8](repeating: 0x61, count: 60 << 20)
        sheet += Array("</t></is></c></row></sheetData></worksheet>".utf8)
        try HostileFixtures.workbook(at: bomb, sheet: sheet, level: 9)
        try assertRefused(bomb, "zip bomb")
    }

    func testOverlappingAndTraversalEntries() throws {
        let overlap = try path("overlap.xlsx")
        let parts: [(String, [UInt8])] = [("xl/workbook.xml", Array("<workbook/>".utf8))]
        try Data(HostileFixtures.rawZip(parts, overlapping: true)).write(to: URL(fileURLWithPath: overlap))
        try assertRefused(overlap, "overlap")
        let traversal = try path("traversal.xlsx")
        try Data(HostileFixtures.rawZip([("../../evil.xml", Array("x".utf8))])).write(to: URL(fileURLWithPath: traversal))
        try assertRefused(traversal, "not allowed")
        let absolute = try path("absolute.xlsx")
        try Data(HostileFixtures.rawZip([("/etc/evil.xml", Array("x".utf8))])).write(to: URL(fileURLWithPath: absolute))
        try assertRefused(absolute, "not allowed")
    }

    func testDoctypeAndEntitiesAreRefused() throws {
        let doctype = try path("doctype.xlsx")
        try HostileFixtures.workbook(at: doctype, sheet: HostileFixtures.sheet("<sheetData/>"),
                                     workbookPrefix: "<!DOCTYPE lol [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>")
        try assertRefused(doctype, "DOCTYPE")
        let inSheet = try path("doctype-sheet.xlsx")
        try HostileFixtures.workbook(at: inSheet, sheet: Array("<!DOCTYPE x [<!ENTITY a \"b\">]><worksheet><sheetData/></worksheet>".utf8))
        try assertRefused(inSheet, "DOCTYPE")
    }

    func testHugeDeclaredDimensionIsOnlyAHint() throws {
        let file = try path("dimension.xlsx")
        var rows = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c></row>"
        for i in 2...4 { rows += "<row r=\"\(i)\"><c r=\"A\(i)\"><v>\(i)</v></c></row>" }
        try HostileFixtures.workbook(at: file, sheet: HostileFixtures.sheet("<dimension ref=\"A1:XFD1048576\"/><sheetData>\(rows)</sheetData>"))
        let reply = try server.postForm("/api/v1/excel/info", files: ["file": ("d.xlsx", try Data(contentsOf: URL(fileURLWithPath: file)))])
        XCTAssertEqual(reply.status, 200, reply.message)
        XCTAssertEqual(reply.data["rows"] as? Int, 3)
        XCTAssertEqual(reply.data["sheets"] as? [String], ["Sheet1"])
        XCTAssertEqual(reply.data["data_types"] as? [String: String], ["id": "int64"])
    }

    func testDeepNestingHugeCellAndInvalidUTF8() throws {
        let nested = try path("nested.xlsx")
        let deep = String(repeating: "<x>", count: 10_000) + String(repeating: "</x>", count: 10_000)
        try HostileFixtures.workbook(at: nested, sheet: HostileFixtures.sheet("<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\(deep)</sheetData>"))
        try assertRefused(nested, "nested deeper")

        let huge = try path("hugecell.xlsx")
        var sheet = Array("<worksheet \(HostileFixtures.ns)><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>".utf8)
        for i in 0..<(100 << 20) { sheet.append(UInt8(0x61 + i % 26)) }
        sheet += Array("</t></is></c></row></sheetData></worksheet>".utf8)
        try HostileFixtures.workbook(at: huge, sheet: sheet, level: 1)
        try assertRefused(huge, "larger than")

        let invalid = try path("invalid-utf8.xlsx")
        var raw: [(String, [UInt8])] = [
            ("_rels/.rels", Array("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".utf8)),
            ("xl/workbook.xml", Array("<workbook \(HostileFixtures.ns)><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".utf8)),
            ("xl/_rels/workbook.xml.rels", Array("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>".utf8)),
        ]
        raw.append(("xl/worksheets/sheet1.xml", Array("<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>bad ".utf8) + [0xC3, 0x28, 0xFF] + Array("</t></is></c></row></sheetData></worksheet>".utf8)))
        try Data(HostileFixtures.rawZip(raw)).write(to: URL(fileURLWithPath: invalid))
        try assertRefused(invalid, "not valid UTF-8")
    }

    func testHostileCSVs() throws {
        let unbalanced = try server.postForm("/api/v1/csv/info", files: ["file": ("u.csv", Data("a,b\n1,\"never closed\n2,3\n".utf8))])
        XCTAssertEqual(unbalanced.status, 400)
        XCTAssertTrue(unbalanced.message.contains("Unbalanced quotes: a quoted field opened at line 2"), unbalanced.message)
        let utf16 = try server.postForm("/api/v1/csv/info", files: ["file": ("w.csv", Data([0xFF, 0xFE] + Array("a,b".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })))])
        XCTAssertEqual(utf16.status, 400)
        XCTAssertTrue(utf16.message.contains("Unsupported CSV encoding"), utf16.message)
        let binary = try server.postForm("/api/v1/csv/info", files: ["file": ("b.csv", Data([0x00, 0x01, 0x02, 0x03]))])
        XCTAssertEqual(binary.status, 400)
    }
}
