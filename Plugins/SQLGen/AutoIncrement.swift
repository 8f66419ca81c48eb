import PluginKit

/// The `auto_increment` argument (§3.8.1): snake_case keys win over camelCase; an absent or empty object, or
/// `enabled` false, means disabled.
struct AutoIncrement {
    enum Kind: String {
        case none, postgresql_serial, mysql_auto_increment, sqlite_autoincrement, manual_sequence, uuid_generate
    }

    let column: String
    let kind: Kind
    let start: Int64
    let sequence: String

    /// nil when disabled. Errors: unknown `increment_type` → 400 with the original's message; `start_value` that
    /// is not an integer → 422.
    static func parse(_ value: JSONValue?) throws(OperationFailure) -> AutoIncrement? {
        guard let v = value, case .object(let members) = v, !members.isEmpty, isTruthy(v["enabled"]) else { return nil }
        func pick(_ snake: String, _ camel: String) -> JSONValue? {
            if let s = v[snake], !s.isNull { return s }
            if let c = v[camel], !c.isNull { return c }
            return nil
        }
        let column = pick("column_name", "columnName")?.stringValue ?? "id"
        let typeText = pick("increment_type", "incrementType")?.stringValue ?? "postgresql_serial"
        guard let kind = Kind(rawValue: typeText) else {
            throw .badInput("Failed to generate SQL: '\(typeText)' is not a valid SQLAutoIncrementType")
        }
        var start: Int64 = 1
        if let s = pick("start_value", "startValue") {
            if let i = s.intValue {
                start = i
            } else if let text = s.stringValue, let i = Int64(text.trimmingSpaces) {
                start = i
            } else {
                throw .invalidArgument("auto_increment start_value must be an integer, got \(JSONSerializer.string(s))")
            }
        }
        let sequence = pick("sequence_name", "sequenceName")?.stringValue ?? "seq_\(column)"
        return AutoIncrement(column: column, kind: kind, start: start, sequence: sequence)
    }

    /// Python truthiness of `enabled`, except that the texts `false`/`0`/`no`/`off` are false.
    static func isTruthy(_ v: JSONValue?) -> Bool {
        switch v {
        case .bool(let b)?: return b
        case .int(let i)?: return i != 0
        case .double(let d)?: return d != 0
        case .string(let s)?: return !["", "false", "0", "no", "off"].contains(s.lowercased())
        case .array(let a)?: return !a.isEmpty
        case .object(let o)?: return !o.isEmpty
        default: return false
        }
    }

    /// The value of the id column for row `index` (0-based) of the standard generator, or nil when the column is
    /// left to the database (serial types): `nextval('seq')` on PostgreSQL / a counter elsewhere for
    /// `manual_sequence`; the dialect's UUID expression for `uuid_generate`.
    func expression(row index: Int64, dialect: SQLDialect) -> String? {
        switch kind {
        case .none, .postgresql_serial, .mysql_auto_increment, .sqlite_autoincrement: return nil
        case .manual_sequence:
            if dialect == .postgresql {
                var out: [UInt8] = Array("nextval(".utf8)
                dialect.appendQuoted(sequence, to: &out)
                out.append(0x29)
                return String(decoding: out, as: UTF8.self)
            }
            return String(counter(index))
        case .uuid_generate: return dialect.uuidExpression
        }
    }

    /// `start_value + index`, saturating instead of trapping at the ends of Int64.
    func counter(_ index: Int64) -> Int64 {
        let (v, overflow) = start.addingReportingOverflow(index)
        return overflow ? (start < 0 ? .min : .max) : v
    }
}
