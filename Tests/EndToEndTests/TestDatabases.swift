import Foundation
import XCTest

/// The databases the SQL generation tests run scripts against, through their command-line clients.
///
/// SQLite always runs (the `sqlite3` CLI on a temporary file). PostgreSQL and MariaDB are the servers
/// `scripts/start-test-databases.sh` starts; tests find them through `PYCELIZE_TEST_PG` / `PYCELIZE_TEST_MYSQL`
/// (URLs; the script's defaults when unset). A server that cannot be reached skips the test with a message saying
/// how to start it — or, when `CI=true`, fails it: in CI these tests must run.
struct TestDatabase {
    enum Kind: String { case sqlite, postgresql, mysql }

    let kind: Kind
    /// Runs SQL text and returns the client's standard output; throws with the client's error text.
    let execute: (String) throws -> String

    static let pgDefault = "postgresql://pycelize@127.0.0.1:55432/pycelize_test"
    static let mysqlDefault = "mysql://pycelize:pycelize@127.0.0.1:53306/pycelize_test"

    struct ClientError: Error, CustomStringConvertible {
        let description: String
    }

    static func sqlite(_ file: URL) throws -> TestDatabase {
        guard which("sqlite3") else { throw unavailable("the sqlite3 command-line client", hint: "install the Debian package sqlite3") }
        return TestDatabase(kind: .sqlite) { sql in try run("sqlite3", ["-bail", "-batch", file.path], stdin: sql) }
    }

    static func postgres() throws -> TestDatabase {
        let url = ProcessInfo.processInfo.environment["PYCELIZE_TEST_PG"] ?? pgDefault
        guard which("psql") else { throw unavailable("psql", hint: "install postgresql-client") }
        let db = TestDatabase(kind: .postgresql) { sql in
            try run("psql", ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", "-"], stdin: sql)
        }
        do { _ = try db.execute("SELECT 1;") } catch {
            throw unavailable("PostgreSQL at \(url) (PYCELIZE_TEST_PG): \(error)", hint: startHint)
        }
        return db
    }

    static func mysql() throws -> TestDatabase {
        let raw = ProcessInfo.processInfo.environment["PYCELIZE_TEST_MYSQL"] ?? mysqlDefault
        guard let url = URLComponents(string: raw), let host = url.host else {
            throw ClientError(description: "PYCELIZE_TEST_MYSQL is not a mysql://user:password@host:port/database URL: \(raw)")
        }
        let client = which("mariadb") ? "mariadb" : "mysql"
        guard which(client) else { throw unavailable("the mariadb client", hint: "install mariadb-client") }
        var args = ["--no-defaults", "--default-character-set=utf8mb4", "-N", "-B", "-r", "-h", host, "-P", String(url.port ?? 3306),
                    "-u", url.user ?? "root"]
        if let p = url.password { args.append("-p\(p)") }
        args.append(String(url.path.dropFirst()))
        let db = TestDatabase(kind: .mysql) { sql in try run(client, args, stdin: sql) }
        do { _ = try db.execute("SELECT 1;") } catch {
            throw unavailable("MariaDB/MySQL at \(raw) (PYCELIZE_TEST_MYSQL): \(error)", hint: startHint)
        }
        return db
    }

    static let startHint = #"start it with `eval "$(scripts/start-test-databases.sh)"`"#

    /// Skips locally; fails (by throwing a non-skip error after recording a failure) when CI=true.
    static func unavailable(_ what: String, hint: String) -> Error {
        let message = "\(what) is not available; \(hint)"
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail("CI=true, so this database test must run: \(message)")
            return ClientError(description: message)
        }
        return XCTSkip(message)
    }

    static func which(_ exe: String) -> Bool {
        (try? run("sh", ["-c", "command -v \(exe)"], stdin: "")) != nil
    }

    static func run(_ exe: String, _ args: [String], stdin: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [exe] + args
        let input = Pipe(), output = Pipe(), errors = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = errors
        try p.run()
        // Feed stdin on another thread so a large script cannot dead-lock against a full stdout pipe.
        let writer = Thread {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw ClientError(description: "\(exe) exited with \(p.terminationStatus): \(String(decoding: err, as: UTF8.self))")
        }
        return String(decoding: out, as: UTF8.self)
    }
}
