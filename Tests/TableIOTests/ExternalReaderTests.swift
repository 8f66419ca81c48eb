import Foundation
import PluginABI
import XCTest
@testable import TableIO

/// Files we write open in other readers: openpyxl (PyPI) and LibreOffice (Debian's `libreoffice-calc-nogui`).
/// Each test skips when its reader is not installed; `.ci/run` installs both.
final class ExternalReaderTests: XCTestCase {
    static let date = Double(DateFormatting.days(year: 2026, month: 1, day: 15)) * 86400

    func writeSample(_ dir: TempDir) throws -> String {
        let path = dir.path("ours.xlsx")
        let w = try XLSXWriter(path: path, columnNames: ["text", "int", "float", "bool", "date", "datetime", "empty"],
                               options: XLSXWriteOptions(sheetName: "Data", infoSheet: .init(fileName: "ours.xlsx", created: "2026-11-25 10:00:00")))
        try w.append(values: [.text("0901234567"), .int(9_007_199_254_740_992), .float(2500.5), .bool(true),
                              .dateTime(Self.date, flags: UInt32(PZ_DT_DATE_ONLY)), .dateTime(Self.date + 3723, flags: 0), .null])
        try w.append(values: [.text("Phở, \"q\"\nx=1 _x0041_ <&>"), .int(-7), .float(633.0), .bool(false), .null, .null, .text("")])
        try w.append(values: [.text("=SUM(A1:A2)"), .int(0), .float(0.1), .null, .null, .null, .null])
        try w.finish()
        return path
    }

    func run(_ tool: String, _ args: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testOpenpyxlReadsOurFiles() throws {
        let (probe, _) = try run("python3", ["-c", "import openpyxl"])
        guard probe == 0 else { throw Self.unavailable("openpyxl is not installed (pip install openpyxl)") }
        let dir = try TempDir()
        let path = try writeSample(dir)
        let script = """
        import json, sys, openpyxl
        wb = openpyxl.load_workbook(sys.argv[1])
        ws = wb["Data"]
        rows = [[None if v is None else (v.isoformat() if hasattr(v, "isoformat") else v) for v in r] for r in ws.iter_rows(values_only=True)]
        print(json.dumps({"sheets": wb.sheetnames, "rows": rows, "info": [list(r) for r in wb["Info"].iter_rows(values_only=True)]}))
        """
        let (status, output) = try run("python3", ["-c", script, path])
        XCTAssertEqual(status, 0, output)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], output)
        XCTAssertEqual(json["sheets"] as? [String], ["Data", "Info"])
        let rows = try XCTUnwrap(json["rows"] as? [[Any]])
        XCTAssertEqual(rows.count, 4)
        XCTAssertEqual(rows[1][0] as? String, "0901234567")
        XCTAssertEqual((rows[1][1] as? NSNumber)?.int64Value, 9_007_199_254_740_992)
        XCTAssertEqual(rows[1][2] as? Double, 2500.5)
        XCTAssertEqual(rows[1][3] as? Bool, true)
        XCTAssertEqual(rows[1][4] as? String, "2026-01-15T00:00:00")
        XCTAssertEqual(rows[1][5] as? String, "2026-01-15T01:02:03")
        // openpyxl does not decode OOXML's _xHHHH_ escapes (Excel and LibreOffice do), so the literal "_x0041_"
        // we protect as "_x005F_x0041_" shows escaped there; everything else is exact.
        XCTAssertEqual(rows[2][0] as? String, "Phở, \"q\"\nx=1 _x005F_x0041_ <&>")
        XCTAssertEqual(rows[3][0] as? String, "=SUM(A1:A2)", "text, never a formula")
    }

    func testLibreOfficeReadsOurFiles() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/soffice") else {
            throw Self.unavailable("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
        }
        let dir = try TempDir()
        let path = try writeSample(dir)
        let (status, output) = try run("soffice", ["-env:UserInstallation=file://\(dir.path("lo-profile"))", "--headless",
                                                   "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1",
                                                   "--outdir", dir.url.path, path])
        XCTAssertEqual(status, 0, output)
        let csv = try String(contentsOfFile: dir.path("ours-Data.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.first.map(String.init), "text,int,float,bool,date,datetime,empty")
        // LibreOffice exports numbers as displayed: 2^53 in General format shows in scientific notation.
        XCTAssertTrue(csv.contains("0901234567,9.00719925474099E+015,2500.5,TRUE,2026-01-15,2026-01-15 01:02:03,"), csv)
        XCTAssertTrue(csv.contains("\"Phở, \"\"q\"\"\nx=1 _x0041_ <&>\",-7,633,FALSE"), csv)
        XCTAssertTrue(csv.contains("=SUM(A1:A2),0,0.1"), csv)
    }
}

extension ExternalReaderTests {
    /// Skips locally; fails when CI=true, where `scripts/test.sh` installs both readers.
    static func unavailable(_ message: String) -> Error {
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail("CI=true, so this fidelity test must run: \(message)")
        }
        return XCTSkip(message)
    }
}
