import Foundation
import PluginABI
import XCTest
@testable import TableIO

/// Seeded random tables with every cell type survive write → read unchanged.
final class RoundTripPropertyTests: XCTestCase {
    /// SplitMix64: small, fast, reproducible.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let pieces = ["0901234567", "007", "=SUM(A1:B2)", "+84 90", "-5", "@home", "Nguyễn", "Phở 🍜", "日本語", "\"quoted\"",
                         "a,b", "line\nbreak", "tab\tin", " lead", "trail ", "<&>", "_x0041_", "ctl\u{1}\u{1F}", "\r\n", ""]

    static func value(_ r: inout Random) -> CellValue {
        switch r.int(9) {
        case 0: return .null
        case 1: return .int([0, 1, -1, 9_007_199_254_740_992, -9_007_199_254_740_992, Int64(r.int(1_000_000))][r.int(6)])
        case 2:
            let choices: [Double] = [0.1, -2.5, 1e-7, 123456.789, 1.7976931348623157e300, Double(r.int(100_000)) / 100, 3.14159265358979]
            return .float(choices[r.int(choices.count)])
        case 3: return .bool(r.int(2) == 0)
        case 4:
            let days = Double(r.int(60_000) - 20_000)
            return .dateTime(days * 86400, flags: UInt32(PZ_DT_DATE_ONLY))
        case 5:
            return .dateTime(Double(r.int(3_000_000_000) - 1_000_000_000), flags: 0)
        case 6:
            return .dateTime(Double(r.int(86400)), flags: UInt32(PZ_DT_TIME_ONLY))
        case 7:
            return .text(String(repeating: "long text ✓ ", count: 1 + r.int(3000)))
        default:
            var s = ""
            for _ in 0..<(1 + r.int(4)) { s += pieces[r.int(pieces.count)] }
            return s.isEmpty ? .text("x") : .text(s)
        }
    }

    static func short(_ v: CellValue) -> String {
        switch v {
        case .text(let s): return "text(\(s.utf8.count) bytes: \(String(s.prefix(24)).debugDescription))"
        case .float(let d): return "float(\(d))"
        case .dateTime(let s, let f): return "dateTime(\(s), flags: \(f))"
        default: return "\(v)"
        }
    }

    func testRandomTablesRoundTrip() throws {
        let dir = try TempDir()
        var random = Random(state: 20261125)
        for table in 0..<25 {
            let width = 1 + random.int(12)
            let names = (0..<width).map { "col \($0) ✓" }
            var rows: [[CellValue]] = []
            for _ in 0..<random.int(400) {
                var row = (0..<width).map { _ in Self.value(&random) }
                if row.allSatisfy({ $0 == .null }) { row[0] = .int(1) } // all-null rows are blank rows
                rows.append(row)
            }
            let path = dir.path("t\(table).xlsx")
            let writer = try XLSXWriter(path: path, columnNames: names,
                                        options: XLSXWriteOptions(infoSheet: table % 2 == 0 ? .init(fileName: "t", created: "now") : nil))
            for row in rows { try writer.append(values: row) }
            try writer.finish()
            let reader = try XLSXReader(path: path, batchRows: 64)
            XCTAssertEqual(reader.columnNames, names)
            let back = try reader.readAllValues()
            XCTAssertEqual(back.count, rows.count, "table \(table)")
            for (i, (a, b)) in zip(rows, back).enumerated() where a != b {
                let diffs = zip(a, b).enumerated().filter { $0.1.0 != $0.1.1 }.map { c, pair in
                    "col \(c): wrote \(Self.short(pair.0)), read \(Self.short(pair.1))"
                }
                XCTFail("table \(table) row \(i): \(diffs.joined(separator: "; "))")
                break
            }
        }
    }
}
