import Foundation
import XCTest
import TableIO

/// Small typed fixture files for the query-operation tests (built with the engine's own writer, so every cell
/// type is exercised), and helpers to read outputs back.
enum QueryFixtures {
    static let userColumns = ["Name", "Email", "Age", "Phone", "Joined", "Score", "Active", "City"]

    /// Seconds since 1970 of a calendar date (midnight), as date cells store it.
    static func date(_ y: Int, _ m: Int, _ d: Int) -> Double {
        // Days from civil (H. Hinnant's algorithm).
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Double(era * 146097 + doe - 719468) * 86400
    }

    static func day(_ y: Int, _ m: Int, _ d: Int) -> CellValue { .dateTime(date(y, m, d), flags: 1) }

    /// The typed rows of `users.xlsx`; row 5 repeats row 2 exactly.
    static let userRows: [[CellValue]] = [
        [.text("Alice"), .text("alice@example.com"), .int(25), .text("0901234567"), day(2024, 1, 15), .float(88.5), .bool(true), .text("Hà Nội")],
        [.text("Bob"), .text("bob@example.com"), .int(30), .text("0912345678"), day(2024, 3, 1), .float(72), .bool(false), .text("Đà Nẵng")],
        [.text("Charlie"), .text("charlie@example.com"), .int(35), .null, day(2023, 12, 31), .float(95.25), .bool(true), .text("HUẾ")],
        [.text("Dana (a.b)"), .text("dana@example.com"), .int(30), .text("+1 (415) 555-0100"), day(2024, 2, 29), .null, .bool(false), .text("hà nội")],
        [.text("Bob"), .text("bob@example.com"), .int(30), .text("0912345678"), day(2024, 3, 1), .float(72), .bool(false), .text("Đà Nẵng")],
    ]

    static func usersXLSX() throws -> Data {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("users-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        let writer = try XLSXWriter(path: url.path, columnNames: userColumns)
        for row in userRows { try writer.append(values: row) }
        try writer.finish()
        return try Data(contentsOf: url)
    }

    /// The original's recorded `sales.csv` (transcript #8).
    static let salesCSV = Data("""
        customer_id,name,amount,status,date,phone,email,city
        cust001,Alice Nguyen,1500,active,2026-01-15,0901234567,Alice@Example.com,Hanoi
        cust002,Bob Tran,500,inactive,2026-01-16,0912345678,bob@example.com,Da Nang
        cust003,Chi Le,2000,active,2026-01-17,+1 (415) 555-0100,chi@example.com,Hue
        cust004,Dung Pham,800,active,2026-01-18,0934567890,dung@example.com,Hanoi
        cust005,Em Vo,300,inactive,2026-01-19,,em@example.com,Can Tho
        cust006,Phuong Do,2500.50,active,2026-02-01,0945678901,phuong@example.com,Saigon
        cust003,Chi Le,2000,active,2026-01-17,+1 (415) 555-0100,chi@example.com,Hue

        """.utf8)

    /// Writes downloaded bytes to a temporary file and reads every row back with the engine's reader.
    static func rows(_ body: Data, ext: String) throws -> (columns: [String], rows: [[CellValue]]) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("out-\(UUID().uuidString).\(ext)")
        try body.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader: any TableReader = ext == "csv" ? try CSVReader(path: url.path) : try XLSXReader(path: url.path)
        return (reader.columnNames, try reader.readAllValues())
    }

    /// Sheet names of a downloaded workbook.
    static func sheets(_ body: Data) throws -> [String] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wb-\(UUID().uuidString).xlsx")
        try body.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try XLSXWorkbook(path: url.path).sheetNames
    }
}
