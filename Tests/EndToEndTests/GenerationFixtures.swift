import Foundation
import TableIO
import XCTest

/// Input files for the SQL and JSON generation tests: an XLSX with every cell type and the awkward texts
/// (quotes, backslashes, unicode, newlines, SQL-looking text, placeholder-looking text), and small CSVs.
enum GenerationFixtures {
    static let fixedTime = "2026-01-02T03:04:05.123456"

    static func date(_ y: Int, _ m: Int, _ d: Int) -> CellValue {
        .dateTime(Double(DateFormatting.days(year: y, month: m, day: d)) * 86400, flags: 1)  // PZ_DT_DATE_ONLY
    }

    static func dateTime(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int) -> CellValue {
        .dateTime(Double(DateFormatting.days(year: y, month: m, day: d)) * 86400 + Double(h * 3600 + mi * 60 + s), flags: 0)
    }

    static let typedColumns = ["id", "name", "score", "active", "born", "seen", "note"]
    static let typedRows: [[CellValue]] = [
        [.int(1), .text("O'Brien \"the\" \\ back"), .float(95.5), .bool(true), date(2024, 1, 5), dateTime(2024, 1, 5, 10, 30, 0), .text("line1\nline2")],
        [.int(-42), .text("Phở 🍜 naïve — ü"), .float(-3.25), .bool(false), date(1999, 12, 31), dateTime(2000, 2, 29, 23, 59, 59), .null],
        [.int(1234567890123), .text("back\\slash\\' end\\"), .float(0.1), .bool(true), .null, dateTime(2024, 6, 1, 8, 0, 0), .text("tab\there")],
        [.int(0), .text("x'); DROP TABLE people; --"), .float(2.0), .bool(false), date(2024, 2, 29), .null, .text("{name} 100% _done_")],
    ]

    /// The typed workbook as bytes (`typed.xlsx`).
    static let typedXLSX: Data = xlsx(columns: typedColumns, rows: typedRows)

    static func xlsx(columns: [String], rows: [[CellValue]], sheet: String = "Sheet1") -> Data {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gen-\(UUID().uuidString).xlsx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let writer = try TableFiles.createWriter(format: .xlsx, path: path, columnNames: columns,
                                                     xlsxOptions: XLSXWriteOptions(sheetName: sheet))
            for row in rows { try writer.append(values: row) }
            try writer.finish()
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            XCTFail("could not write the fixture: \(error)")
            return Data()
        }
    }

    /// The original's sample file (`sample_users.xlsx` of the transcript): every cell text, as the original read it.
    static let sampleUsers: Data = xlsx(columns: ["Name", "Email", "Age"], rows: [
        [.text("Alice"), .text("alice@example.com"), .text("25")],
        [.text("Bob"), .text("bob@example.com"), .text("30")],
        [.text("Charlie"), .text("charlie@example.com"), .text("35")],
    ])
}

/// A line-by-line comparison that names the first differing line (byte-level expectations read better so).
func XCTAssertSameText(_ actual: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
    guard actual != expected else { return }
    let a = actual.components(separatedBy: "\n"), e = expected.components(separatedBy: "\n")
    for i in 0..<max(a.count, e.count) where (i < a.count ? a[i] : "<none>") != (i < e.count ? e[i] : "<none>") {
        XCTFail("line \(i + 1) differs:\n  actual:   \(i < a.count ? a[i] : "<none>")\n  expected: \(i < e.count ? e[i] : "<none>")\n--- actual ---\n\(actual)",
                file: file, line: line)
        return
    }
}

extension ServerHarness {
    /// A one-shot operation call with an upload (`file`) and form fields.
    func operation(_ name: String, file: (String, Data)? = ("typed.xlsx", GenerationFixtures.typedXLSX),
                   _ fields: [String: String] = [:]) throws -> Reply {
        try postForm("/api/v1/\(name)", files: file.map { ["file": $0] } ?? [:], fields: fields)
    }

    /// The text of the file a reply's `download_url` points at.
    func downloadText(_ reply: Reply, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        XCTAssertEqual(reply.status, 200, reply.message, file: file, line: line)
        let url = try XCTUnwrap(reply.data["download_url"] as? String, file: file, line: line)
        let r = try get(url)
        XCTAssertEqual(r.status, 200, file: file, line: line)
        return String(decoding: r.body, as: UTF8.self)
    }

    /// Files currently in the one-shot output folder (to prove a failed call left nothing behind).
    var outputFiles: Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: dataDir.appendingPathComponent("outputs").path)) ?? [])
    }
}
