import PluginKit

/// Table and column names are written into statements, so they are checked first: a name is letters, digits
/// and underscores, not starting with a digit (Unicode letters allowed, as every target accepts them unquoted);
/// a table may be schema-qualified (`sales.orders`). Anything else (`users; DROP TABLE x`) is a 422 and never
/// reaches the output. `quote_identifiers` then optionally wraps each part in the dialect's quotes, for reserved
/// words (`order`) or to keep letter case on PostgreSQL.
struct SQLIdentifier {
    let dialect: SQLDialect
    let quote: Bool

    /// The rendered identifier, or 422 `Invalid {what} '…': …`.
    func render(_ name: String, what: String, qualified: Bool = false) throws(OperationFailure) -> String {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard !name.isEmpty, parts.count <= (qualified ? 2 : 1), parts.allSatisfy(Self.isPlainName) else {
            let shape = qualified ? " (optionally schema.table)" : ""
            throw .invalidArgument("Invalid \(what) '\(name)': use letters, digits and underscores, not starting with a digit\(shape)")
        }
        return quote ? parts.map { dialect.quoteIdentifier(String($0)) }.joined(separator: ".") : name
    }

    static func isPlainName(_ part: Substring) -> Bool {
        guard let first = part.first, part.count <= 64, first == "_" || first.isLetter else { return false }
        return part.allSatisfy { $0 == "_" || $0.isLetter || ($0.isASCII && $0.isNumber) }
    }
}
