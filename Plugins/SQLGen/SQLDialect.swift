import PluginABI
import PluginKit

/// The three target databases and everything that differs between them: transaction statements, literals,
/// escaping, identifier quoting and the "now" functions.
enum SQLDialect: String, CaseIterable {
    case postgresql, mysql, sqlite

    /// Parses `database_type` case-insensitively, with the original's message (HTTP 400, as recorded).
    static func parse(_ raw: String?) throws(OperationFailure) -> SQLDialect {
        let text = raw ?? "postgresql"
        guard let d = SQLDialect(rawValue: text.lowercased()) else {
            throw .badInput("Failed to generate SQL: Invalid database type: '\(text)'. Valid types are: ['postgresql', 'mysql', 'sqlite']")
        }
        return d
    }

    var beginTransaction: String {
        switch self {
        case .postgresql: return "BEGIN;"
        case .mysql: return "START TRANSACTION;"
        case .sqlite: return "BEGIN TRANSACTION;"
        }
    }

    var trueLiteral: String { self == .postgresql ? "TRUE" : "1" }
    var falseLiteral: String { self == .postgresql ? "FALSE" : "0" }

    /// `{current_timestamp}` of the builder template.
    var now: String { self == .sqlite ? "datetime('now')" : "NOW()" }
    /// `{current_date}` of the builder template.
    var currentDate: String {
        switch self {
        case .postgresql: return "CURRENT_DATE"
        case .mysql: return "CURDATE()"
        case .sqlite: return "date('now')"
        }
    }

    /// A UUID-generating expression (`uuid_generate`). SQLite has no UUID function: a version-4 UUID is built
    /// from `randomblob` (the original emitted `UUID()`, which SQLite rejects).
    var uuidExpression: String {
        switch self {
        case .postgresql: return "uuid_generate_v4()"
        case .mysql: return "UUID()"
        case .sqlite:
            return "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || "
                + "substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
        }
    }

    /// Appends the body of a string literal (no surrounding quotes): `'` doubled for PostgreSQL and SQLite
    /// (standard SQL; backslashes are ordinary characters there); for MySQL, backslash escapes for `\`, `'`, `"`,
    /// NUL and Ctrl-Z, so the text reads back unchanged under MySQL's default `sql_mode`.
    @inline(__always)
    func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        if self == .mysql {
            for b in bytes {
                switch b {
                case 0x5C: out.append(0x5C); out.append(0x5C)
                case 0x27: out.append(0x5C); out.append(0x27)
                case 0x22: out.append(0x5C); out.append(0x22)
                case 0x00: out.append(0x5C); out.append(0x30)
                case 0x1A: out.append(0x5C); out.append(0x5A)
                default: out.append(b)
                }
            }
        } else {
            var start = 0
            for (i, b) in bytes.enumerated() where b == 0x27 {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...i]))
                out.append(0x27)
                start = i + 1
            }
            if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
    }

    func appendEscaped(_ text: String, to out: inout [UInt8]) {
        var s = text
        s.withUTF8 { appendEscaped($0, to: &out) }
    }

    /// Appends `'…'` with the body escaped.
    @inline(__always)
    func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x27)
        appendEscaped(bytes, to: &out)
        out.append(0x27)
    }

    func appendQuoted(_ text: String, to out: inout [UInt8]) {
        var s = text
        s.withUTF8 { appendQuoted($0, to: &out) }
    }

    /// A date/time literal: `'2024-01-05 10:30:00'`, with a `::timestamp`/`::date`/`::time` cast on PostgreSQL.
    func appendDateTime(seconds: Double, flags: UInt32, to out: inout [UInt8]) {
        out.append(0x27)
        CellText.appendDateTime(seconds: seconds, flags: flags, to: &out)
        out.append(0x27)
        if self == .postgresql {
            let cast = flags & PZ_DT_DATE_ONLY != 0 ? "::date" : flags & PZ_DT_TIME_ONLY != 0 ? "::time" : "::timestamp"
            out.append(contentsOf: cast.utf8)
        }
    }

    /// Quotes a (validated) identifier: `"name"` (PostgreSQL, SQLite) or `` `name` `` (MySQL).
    func quoteIdentifier(_ name: String) -> String {
        let q = self == .mysql ? "`" : "\""
        return q + name + q
    }
}
