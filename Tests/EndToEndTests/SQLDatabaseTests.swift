import Foundation
import XCTest

/// The generated scripts, run against real databases: a table is created, the script executed, and the rows read
/// back equal to the input for every value type (quotes, backslashes, unicode, newlines, tabs, integers, floats,
/// booleans, dates, date-times, nulls) — for the standard, batched and custom-template forms, plus identifier
/// quoting and the auto-increment expressions. See `TestDatabase` for how the servers are found.
final class SQLDatabaseTests: SharedServerTestCase {
    static let mapping = #"{"id": "id", "name": "name", "score": "score", "active": "active", "born": "born", "seen": "seen", "note": "note"}"#

    /// What reading the typed fixture back must give, ordered by id (dates as `YYYY-MM-DD[ HH:MM:SS]`, booleans 1/0).
    static let expected: [[String?]] = [
        ["-42", "Phở 🍜 naïve — ü", "-3.25", "0", "1999-12-31", "2000-02-29 23:59:59", nil],
        ["0", "x'); DROP TABLE people; --", "2", "0", "2024-02-29", nil, "{name} 100% _done_"],
        ["1", "O'Brien \"the\" \\ back", "95.5", "1", "2024-01-05", "2024-01-05 10:30:00", "line1\nline2"],
        ["1234567890123", "back\\slash\\' end\\", "0.1", "1", nil, "2024-06-01 08:00:00", "tab\there"],
    ]

    func createTable(_ db: TestDatabase, _ name: String) throws {
        switch db.kind {
        case .postgresql:
            _ = try db.execute("DROP TABLE IF EXISTS \(name); CREATE TABLE \(name) (id BIGINT, name TEXT, score DOUBLE PRECISION, active BOOLEAN, born DATE, seen TIMESTAMP, note TEXT);")
        case .mysql:
            _ = try db.execute("DROP TABLE IF EXISTS \(name); CREATE TABLE \(name) (id BIGINT, name TEXT, score DOUBLE, active BOOLEAN, born DATE, seen DATETIME, note TEXT) CHARACTER SET utf8mb4;")
        case .sqlite:
            _ = try db.execute("DROP TABLE IF EXISTS \(name); CREATE TABLE \(name) (id INTEGER, name TEXT, score REAL, active INTEGER, born TEXT, seen TEXT, note TEXT);")
        }
    }

    func readBack(_ db: TestDatabase, _ name: String) throws -> [[String?]] {
        let cols = "id, name, score, active, born, seen, note"
        let query: String
        switch db.kind {
        case .postgresql: query = "SELECT json_agg(json_build_array(\(cols)) ORDER BY id) FROM \(name);"
        case .mysql: query = "SELECT JSON_ARRAYAGG(JSON_ARRAY(\(cols)) ORDER BY id) FROM \(name);"
        case .sqlite: query = "SELECT json_group_array(json_array(\(cols))) FROM (SELECT * FROM \(name) ORDER BY id);"
        }
        let text = try db.execute(query).trimmingCharacters(in: .whitespacesAndNewlines)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? [[Any]], text)
        return rows.map { $0.map(Self.normalise) }
    }

    static func normalise(_ v: Any) -> String? {
        if v is NSNull { return nil }
        if let s = v as? String {
            return s.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$"#, options: .regularExpression) != nil
                ? s.replacingOccurrences(of: "T", with: " ") : s
        }
        if let n = v as? NSNumber {
            let d = n.doubleValue
            return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        }
        return "\(v)"
    }

    func generate(_ op: String, _ fields: [String: String]) throws -> String {
        try server.downloadText(try server.operation(op, fields))
    }

    /// Standard, batched and custom-template scripts into three tables; each reads back equal to the input.
    func roundTrip(_ db: TestDatabase) throws {
        let stem = "pz_\(db.kind.rawValue)_\(UInt32.random(in: 0...UInt32.max))"
        let dialect = db.kind.rawValue
        let cases: [(String, String, [String: String])] = [
            ("std", "sql/generate-to-text", ["column_mapping": Self.mapping, "database_type": dialect]),
            ("batch", "sql/generate-to-text", ["column_mapping": Self.mapping, "database_type": dialect, "batch_size": "3"]),
            ("inline", "sql/generate", ["column_mapping": Self.mapping, "database_type": dialect, "return_file": "true", "include_transaction": "false"]),
            ("custom", "sql/generate-custom-to-text", ["column_mapping": Self.mapping, "database_type": dialect, "template":
                "INSERT INTO {table} (id, name, score, active, born, seen, note) VALUES ({id:int}, {name:string}, {score:float}, {active:bool}, {born}, {seen}, {note});"]),
        ]
        for (suffix, op, fields) in cases {
            let table = "\(stem)_\(suffix)"
            try createTable(db, table)
            defer { _ = try? db.execute("DROP TABLE IF EXISTS \(table);") }
            var f = fields
            f["table_name"] = table
            if let template = f["template"] { f["template"] = template.replacingOccurrences(of: "{table}", with: table) }
            let script = try generate(op, f)
            do { _ = try db.execute(script) } catch { XCTFail("\(dialect) \(suffix) rejected the script: \(error)\n\(script)"); continue }
            XCTAssertEqual(try readBack(db, table), Self.expected, "\(dialect) \(suffix)")
        }
    }

    /// Quoted reserved-word identifiers, the auto-increment expressions and the all-text form, accepted by the database.
    func identifiersAndAutoIncrement(_ db: TestDatabase) throws {
        let table = "Order_\(UInt32.random(in: 0...UInt32.max))"
        let q = db.kind == .mysql ? "`" : "\""
        let idType = db.kind == .postgresql ? "UUID" : db.kind == .mysql ? "CHAR(36)" : "TEXT"
        if db.kind == .postgresql { _ = try db.execute(#"CREATE EXTENSION IF NOT EXISTS "uuid-ossp";"#) }
        _ = try db.execute("CREATE TABLE \(q)\(table)\(q) (\(q)group\(q) \(idType), \(q)order\(q) TEXT);")
        defer { _ = try? db.execute("DROP TABLE IF EXISTS \(q)\(table)\(q);") }
        let script = try generate("sql/generate-to-text", ["table_name": table, "database_type": db.kind.rawValue, "quote_identifiers": "true",
            "column_mapping": #"{"order": "name"}"#, "auto_increment": #"{"enabled": true, "column_name": "group", "increment_type": "uuid_generate"}"#])
        _ = try db.execute(script)
        let ids = try db.execute("SELECT \(q)group\(q) FROM \(q)\(table)\(q);").split(separator: "\n").map(String.init)
        XCTAssertEqual(ids.count, 4)
        XCTAssertEqual(Set(ids).count, 4, "distinct UUIDs")
        // MySQL's UUID() is version 1; PostgreSQL's uuid_generate_v4() and the SQLite expression are version 4.
        let shape = db.kind == .mysql ? "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
                                      : "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
        for id in ids { XCTAssertNotNil(id.range(of: shape, options: .regularExpression), id) }

        let seqTable = "pz_seq_\(UInt32.random(in: 0...UInt32.max))"
        _ = try db.execute("CREATE TABLE \(seqTable) (id BIGINT, n TEXT, s TEXT);")
        defer { _ = try? db.execute("DROP TABLE IF EXISTS \(seqTable);" + (db.kind == .postgresql ? " DROP SEQUENCE IF EXISTS \(seqTable)_seq;" : "")) }
        if db.kind == .postgresql { _ = try db.execute("CREATE SEQUENCE \(seqTable)_seq START 100;") }
        _ = try db.execute(try generate("sql/generate-to-text", ["table_name": seqTable, "database_type": db.kind.rawValue,
            "column_mapping": #"{"n": "name", "s": "score"}"#, "quote_all_values": "true",
            "auto_increment": #"{"enabled": true, "increment_type": "manual_sequence", "sequence_name": "\#(seqTable)_seq", "start_value": 100}"#]))
        XCTAssertEqual(try db.execute("SELECT id, s FROM \(seqTable) ORDER BY id;").split(separator: "\n").map { $0.replacingOccurrences(of: "\t", with: "|") },
                       ["100|95.5", "101|-3.25", "102|0.1", "103|2"])
    }

    func testSQLite() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pz-\(UUID().uuidString).sqlite")
        defer { try? FileManager.default.removeItem(at: file) }
        let db = try TestDatabase.sqlite(file)
        try roundTrip(db)
        try identifiersAndAutoIncrement(db)
    }

    func testPostgreSQL() throws {
        let db = try TestDatabase.postgres()
        try roundTrip(db)
        try identifiersAndAutoIncrement(db)
    }

    func testMariaDB() throws {
        let db = try TestDatabase.mysql()
        try roundTrip(db)
        try identifiersAndAutoIncrement(db)
    }
}
