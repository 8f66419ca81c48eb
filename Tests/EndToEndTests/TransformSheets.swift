import Foundation
import XCTest
import TableIO

/// Builds small typed input files and reads operation outputs back cell by cell, for the transform tests.
enum TransformSheets {
    /// An `.xlsx` (no Info sheet) with typed cells.
    static func xlsx(_ columns: [String], _ rows: [[CellValue]]) throws -> Data {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("in-\(UUID().uuidString).xlsx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try XLSXWriter(path: path, columnNames: columns, options: XLSXWriteOptions())
        for row in rows { try writer.append(values: row) }
        try writer.finish()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// Downloads the output a reply points to (`download_url`) and reads its first sheet.
    static func output(_ server: ServerHarness, _ reply: ServerHarness.Reply,
                       file: StaticString = #filePath, line: UInt = #line) throws -> (columns: [String], rows: [[CellValue]]) {
        XCTAssertEqual(reply.status, 200, reply.message, file: file, line: line)
        let url = try XCTUnwrap(reply.data["download_url"] as? String, file: file, line: line)
        return try read(server.get(url).body, xlsx: url.hasSuffix(".xlsx"))
    }

    static func read(_ body: Data, xlsx: Bool = true) throws -> (columns: [String], rows: [[CellValue]]) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("out-\(UUID().uuidString).\(xlsx ? "xlsx" : "csv")").path
        try body.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try TableFiles.openReader(path: path, name: (path as NSString).lastPathComponent)
        return (reader.columnNames, try reader.readAllValues())
    }

    /// One column of an output.
    static func column(_ table: (columns: [String], rows: [[CellValue]]), _ name: String) -> [CellValue] {
        guard let i = table.columns.firstIndex(of: name) else { return [] }
        return table.rows.map { i < $0.count ? $0[i] : .null }
    }

    static func json(_ value: Any) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }
}
