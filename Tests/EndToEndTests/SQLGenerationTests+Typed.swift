import Foundation
import XCTest
import TableIO

/// Typed values per dialect, the original's all-text quoting, batching, auto-increment and identifiers.
extension SQLGenerationTests {
    /// The VALUES tuple of each row of `GenerationFixtures.typedRows`, per dialect, typed.
    static let typedTuples: [String: [String]] = [
        "postgresql": [
            #"(1, 'O''Brien "the" \ back', 95.5, TRUE, '2024-01-05'::date, '2024-01-05 10:30:00'::timestamp, 'line1"# + "\n" + #"line2')"#,
            #"(-42, 'Phở 🍜 naïve — ü', -3.25, FALSE, '1999-12-31'::date, '2000-02-29 23:59:59'::timestamp, NULL)"#,
            #"(1234567890123, 'back\slash\'' end\', 0.1, TRUE, NULL, '2024-06-01 08:00:00'::timestamp, 'tab"# + "\t" + #"here')"#,
            #"(0, 'x''); DROP TABLE people; --', 2.0, FALSE, '2024-02-29'::date, NULL, '{name} 100% _done_')"#,
        ],
        "mysql": [
            #"(1, 'O\'Brien \"the\" \\ back', 95.5, 1, '2024-01-05', '2024-01-05 10:30:00', 'line1"# + "\n" + #"line2')"#,
            #"(-42, 'Phở 🍜 naïve — ü', -3.25, 0, '1999-12-31', '2000-02-29 23:59:59', NULL)"#,
            #"(1234567890123, 'back\\slash\\\' end\\', 0.1, 1, NULL, '2024-06-01 08:00:00', 'tab"# + "\t" + #"here')"#,
            #"(0, 'x\'); DROP TABLE people; --', 2.0, 0, '2024-02-29', NULL, '{name} 100% _done_')"#,
        ],
        "sqlite": [
            #"(1, 'O''Brien "the" \ back', 95.5, 1, '2024-01-05', '2024-01-05 10:30:00', 'line1"# + "\n" + #"line2')"#,
            #"(-42, 'Phở 🍜 naïve — ü', -3.25, 0, '1999-12-31', '2000-02-29 23:59:59', NULL)"#,
            #"(1234567890123, 'back\slash\'' end\', 0.1, 1, NULL, '2024-06-01 08:00:00', 'tab"# + "\t" + #"here')"#,
            #"(0, 'x''); DROP TABLE people; --', 2.0, 0, '2024-02-29', NULL, '{name} 100% _done_')"#,
        ],
    ]
    static let begin = ["postgresql": "BEGIN;", "mysql": "START TRANSACTION;", "sqlite": "BEGIN TRANSACTION;"]
    static let insert = "INSERT INTO people (id, name, score, active, born, seen, note) VALUES "

    func testTypedValuesPerDialect() throws {
        for db in ["postgresql", "mysql", "sqlite"] {
            let r = try server.operation("sql/generate-to-text", ["table_name": "people", "column_mapping": allColumns, "database_type": db])
            let rows = try XCTUnwrap(Self.typedTuples[db]).map { Self.insert + $0 + ";\n" }.joined()
            XCTAssertSameText(try server.downloadText(r), header(db, rows: 4, statements: 12, begin: Self.begin[db]) + rows + "COMMIT;\n")
        }
    }

    func testAllTextQuotingRestoresTheOriginalsOutput() throws {
        let r = try server.operation("sql/generate-to-text", ["table_name": "people", "column_mapping": allColumns, "quote_all_values": "true"])
        XCTAssertSameText(try server.downloadText(r), header("postgresql", rows: 4, statements: 12, begin: "BEGIN;") + Self.insert
            + #"('1', 'O''Brien "the" \ back', '95.5', 'True', '2024-01-05 00:00:00', '2024-01-05 10:30:00', 'line1"# + "\n" + #"line2');"# + "\n"
            + Self.insert + #"('-42', 'Phở 🍜 naïve — ü', '-3.25', 'False', '1999-12-31 00:00:00', '2000-02-29 23:59:59', '');"# + "\n"
            + Self.insert + #"('1234567890123', 'back\slash\'' end\', '0.1', 'True', '', '2024-06-01 08:00:00', 'tab"# + "\t" + #"here');"# + "\n"
            + Self.insert + #"('0', 'x''); DROP TABLE people; --', '2', 'False', '2024-02-29 00:00:00', '', '{name} 100% _done_');"# + "\n"
            + "COMMIT;\n")
    }

    func testBatchSizeBatchesRows() throws {
        let r = try server.operation("sql/generate-to-text", ["table_name": "people", "column_mapping": allColumns,
                                                               "database_type": "sqlite", "batch_size": "3"])
        XCTAssertEqual(r.data["total_statements"] as? Int, 10)
        let t = try XCTUnwrap(Self.typedTuples["sqlite"])
        XCTAssertSameText(try server.downloadText(r), header("sqlite", rows: 4, statements: 10, begin: "BEGIN TRANSACTION;")
            + Self.insert + t[0...2].joined(separator: ", ") + ";\n" + Self.insert + t[3] + ";\nCOMMIT;\n")
        // Inline too; an exact multiple closes the last batch once.
        let inline = try server.operation("sql/generate", ["table_name": "people", "column_mapping": #"{"id": "id"}"#, "batch_size": "2"])
        XCTAssertEqual(inline.json["total"] as? Int, 10)
        XCTAssertEqual((inline.data["statements"] as? [String])?[7...8], [
            "INSERT INTO people (id) VALUES (1), (-42);", "INSERT INTO people (id) VALUES (1234567890123), (0);"])
    }

    func testAutoIncrementTypes() throws {
        func statements(_ db: String, _ auto: String) throws -> [String] {
            let r = try server.operation("sql/generate", ["table_name": "people", "column_mapping": #"{"n": "name"}"#,
                                                          "database_type": db, "auto_increment": auto, "include_transaction": "false"])
            XCTAssertEqual(r.status, 200, r.message)
            return Array((r.data["statements"] as? [String] ?? []).dropFirst(6).prefix(2))
        }
        XCTAssertEqual(try statements("postgresql", #"{"enabled": true, "increment_type": "manual_sequence", "sequence_name": "people_id_seq"}"#), [
            "INSERT INTO people (id, n) VALUES (nextval('people_id_seq'), 'O''Brien \"the\" \\ back');",
            "INSERT INTO people (id, n) VALUES (nextval('people_id_seq'), 'Phở 🍜 naïve — ü');"])
        let counted = try statements("mysql", #"{"enabled": true, "columnName": "pk", "incrementType": "manual_sequence", "startValue": 100}"#)
        XCTAssertTrue(counted[0].hasPrefix("INSERT INTO people (pk, n) VALUES (100, 'O\\'Brien"), counted[0])
        XCTAssertTrue(counted[1].hasPrefix("INSERT INTO people (pk, n) VALUES (101, "), counted[1])
        XCTAssertTrue(try statements("mysql", #"{"enabled": true, "increment_type": "manual_sequence", "start_value": "100"}"#)[1].contains("VALUES (101, "))
        XCTAssertTrue(try statements("postgresql", #"{"enabled": true, "increment_type": "manual_sequence"}"#)[0].contains("nextval('seq_id')"))
        XCTAssertTrue(try statements("postgresql", #"{"enabled": true, "increment_type": "uuid_generate"}"#)[0].hasPrefix("INSERT INTO people (id, n) VALUES (uuid_generate_v4(), "))
        XCTAssertTrue(try statements("mysql", #"{"enabled": true, "increment_type": "uuid_generate"}"#)[0].hasPrefix("INSERT INTO people (id, n) VALUES (UUID(), "))
        for type in ["none", "postgresql_serial", "mysql_auto_increment", "sqlite_autoincrement"] {
            XCTAssertTrue(try statements("sqlite", #"{"enabled": true, "increment_type": "\#(type)"}"#)[0].hasPrefix("INSERT INTO people (n) VALUES ("), type)
        }
        XCTAssertTrue(try statements("mysql", #"{"enabled": false, "increment_type": "manual_sequence"}"#)[0].hasPrefix("INSERT INTO people (n) "))
        // snake_case wins over camelCase
        XCTAssertTrue(try statements("mysql", #"{"enabled": true, "column_name": "a", "columnName": "b", "increment_type": "manual_sequence", "incrementType": "uuid_generate", "start_value": 7, "startValue": 9}"#)[0]
            .hasPrefix("INSERT INTO people (a, n) VALUES (7, "))
        assertError(try server.operation("sql/generate", ["table_name": "people", "column_mapping": #"{"n": "name"}"#,
                                                          "auto_increment": #"{"enabled": true, "increment_type": "Serial"}"#]),
                    400, "Failed to generate SQL: 'Serial' is not a valid SQLAutoIncrementType")
        assertError(try server.operation("sql/generate", ["table_name": "people", "column_mapping": #"{"n": "name"}"#,
                                                          "auto_increment": #"{"enabled": true, "increment_type": "manual_sequence", "start_value": "ten"}"#]),
                    422, #"auto_increment start_value must be an integer, got "ten""#)
        assertError(try server.operation("sql/generate", ["table_name": "people", "column_mapping": #"{"n": "name"}"#,
                                                          "auto_increment": #"{"enabled": true, "start_value": 1.5}"#]),
                    422, "auto_increment start_value must be an integer, got 1.5")
        assertError(try server.operation("sql/generate", ["table_name": "people", "column_mapping": #"{"id": "name"}"#,
                                                          "auto_increment": #"{"enabled": true}"#]),
                    422, "auto_increment column 'id' is also in column_mapping")
    }

    func testIdentifiersAreValidatedOrQuoted() throws {
        let before = try server.outputFiles
        assertError(try server.operation("sql/generate-to-text", ["table_name": "users; DROP TABLE x", "column_mapping": #"{"n": "name"}"#]),
                    422, "Invalid table name 'users; DROP TABLE x': use letters, digits and underscores, not starting with a digit (optionally schema.table)")
        assertError(try server.operation("sql/generate", ["table_name": "people", "column_mapping": #"{"n) VALUES (1); --": "name"}"#]),
                    422, "Invalid column name 'n) VALUES (1); --': use letters, digits and underscores, not starting with a digit")
        assertError(try server.operation("sql/generate", ["table_name": "1people", "column_mapping": #"{"n": "name"}"#]),
                    422, "Invalid table name '1people': use letters, digits and underscores, not starting with a digit (optionally schema.table)")
        assertError(try server.operation("sql/generate", ["table_name": "people", "column_mapping": #"{"n": "name"}"#,
                                                          "auto_increment": #"{"enabled": true, "column_name": "id`x", "increment_type": "uuid_generate"}"#]),
                    422, "Invalid auto_increment column name 'id`x': use letters, digits and underscores, not starting with a digit")
        XCTAssertEqual(try server.outputFiles, before)

        func first(_ fields: [String: String]) throws -> String {
            let r = try server.operation("sql/generate", fields.merging(["include_transaction": "false"]) { a, _ in a })
            XCTAssertEqual(r.status, 200, r.message)
            return (r.data["statements"] as? [String])?[6] ?? ""
        }
        XCTAssertEqual(try first(["table_name": "sales.Order", "column_mapping": #"{"Größe": "id", "_x1": "score"}"#]),
                       "INSERT INTO sales.Order (Größe, _x1) VALUES (1, 95.5);")
        XCTAssertEqual(try first(["table_name": "sales.Order", "column_mapping": #"{"order": "id"}"#, "quote_identifiers": "true"]),
                       #"INSERT INTO "sales"."Order" ("order") VALUES (1);"#)
        XCTAssertEqual(try first(["table_name": "Order", "column_mapping": #"{"order": "id"}"#, "quote_identifiers": "true", "database_type": "mysql"]),
                       "INSERT INTO `Order` (`order`) VALUES (1);")
    }

    func testBuilderTemplate() throws {
        for (db, now, today) in [("postgresql", "NOW()", "CURRENT_DATE"), ("mysql", "NOW()", "CURDATE()"), ("sqlite", "datetime('now')", "date('now')")] {
            let r = try server.operation("sql/generate", ["table_name": "people", "database_type": db,
                "column_mapping": #"{"n": "name", "s": "score"}"#, "auto_increment": #"{"enabled": true, "start_value": 10}"#,
                "template": "INSERT INTO x VALUES ({auto_id}, {n}, {s}, {current_timestamp}, {current_date}, {other}, {n});"])
            XCTAssertEqual(r.status, 200, r.message)
            let s = try XCTUnwrap(r.data["statements"] as? [String])
            XCTAssertEqual(s.count, 12)
            let name = "'Phở 🍜 naïve — ü'"
            XCTAssertEqual(s[8], "INSERT INTO x VALUES (11, \(name), -3.25, \(now), \(today), {other}, \(name));", db)
        }
        // A value that looks like a placeholder is never substituted again.
        let r = try server.operation("sql/generate", ["table_name": "people", "column_mapping": #"{"name": "note", "n": "name"}"#,
                                                      "template": "SELECT {name}, {n};", "include_transaction": "false"])
        XCTAssertEqual((r.data["statements"] as? [String])?[9], "SELECT '{name} 100% _done_', 'x''); DROP TABLE people; --';")
    }

    func testStandardArgumentErrors() throws {
        let before = try server.outputFiles
        assertError(try server.operation("sql/generate", ["table_name": "people"]), 422, "column_mapping is required")
        assertError(try server.operation("sql/generate", ["table_name": "people", "column_mapping": "{}"]), 422, "column_mapping is required")
        assertError(try server.operation("sql/generate", ["table_name": "people", "column_mapping": #"{"n": "Nope"}"#]), 422, "Column 'Nope' not found in data")
        assertError(try server.operation("sql/generate-to-text", ["table_name": "people", "column_mapping": #"{"n": "name"}"#, "columns": #"["name", "x", "y"]"#]),
                    422, "Columns not found: x, y")
        assertError(try server.operation("sql/generate-to-text", ["table_name": "people", "column_mapping": #"{"n": "score"}"#, "columns": #"["name"]"#]),
                    422, "Column 'score' not found in data")
        let batch = try server.operation("sql/generate", ["table_name": "people", "column_mapping": #"{"n": "name"}"#, "batch_size": "0"])
        XCTAssertEqual(batch.status, 422, batch.message)
        let notInt = try server.operation("sql/generate", ["table_name": "people", "column_mapping": #"{"n": "name"}"#, "batch_size": "many"])
        XCTAssertEqual(notInt.status, 422, notInt.message)
        let badJSON = try server.operation("sql/generate", ["table_name": "people", "column_mapping": "{oops"])
        XCTAssertEqual(badJSON.status, 422, badJSON.message)
        let noFile = try server.operation("sql/generate", file: nil, ["table_name": "people", "column_mapping": #"{"n": "name"}"#])
        assertError(noFile, 422, "No file uploaded")
        let corrupt = try server.operation("sql/generate-to-text", file: ("bad.xlsx", Data("not a zip".utf8)),
                                           ["table_name": "people", "column_mapping": #"{"n": "name"}"#])
        XCTAssertEqual(corrupt.status, 400, corrupt.message)
        XCTAssertEqual(try server.outputFiles, before)
    }

    func testRemoveDuplicatesAndColumns() throws {
        let csv = Data("a,b,c\n1,x,p\n1,x,q\n2,y,r\n1,x,s\n".utf8)
        let r = try server.operation("sql/generate-to-text", file: ("d.csv", csv), ["table_name": "t", "columns": #"["b", "a"]"#,
            "column_mapping": #"{"a": "a", "b": "b"}"#, "remove_duplicates": "true", "include_transaction": "false"])
        XCTAssertEqual(r.data["total_rows"] as? Int, 2)
        XCTAssertSameText(try server.downloadText(r), """
            -- Generated by Pycelize
            -- Generated at: \(t)
            -- Total statements: 8

            -- Generated SQL statements
            -- Database: postgresql
            -- Table: t
            -- Generated at: \(t)
            -- Total rows: 2

            INSERT INTO t (a, b) VALUES ('1', 'x');
            INSERT INTO t (a, b) VALUES ('2', 'y');

            """)
    }
}

extension SQLGenerationTests {
    func testTimesAndFractionsOfSeconds() throws {
        let file = ("times.xlsx", GenerationFixtures.xlsx(columns: ["t", "d"], rows: [
            [.dateTime(37800, flags: 2), .dateTime(Double(DateFormatting.days(year: 2024, month: 3, day: 1)) * 86400 + 1.5, flags: 0)]]))
        func row(_ db: String) throws -> String {
            let r = try server.operation("sql/generate", file: file, ["table_name": "t", "column_mapping": #"{"t": "t", "d": "d"}"#,
                                                                    "database_type": db, "include_transaction": "false"])
            return (r.data["statements"] as? [String])?.last ?? r.message
        }
        XCTAssertEqual(try row("postgresql"), "INSERT INTO t (t, d) VALUES ('10:30:00'::time, '2024-03-01 00:00:01.500000'::timestamp);")
        XCTAssertEqual(try row("mysql"), "INSERT INTO t (t, d) VALUES ('10:30:00', '2024-03-01 00:00:01.500000');")
        let json = try server.operation("json/generate", file: file, ["pretty_print": "false"])
        XCTAssertEqual(try server.downloadText(json), #"[{"t": "10:30:00", "d": "2024-03-01T00:00:01.500000"}]"#)
    }
}
