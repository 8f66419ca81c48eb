import PycelizeJSON

/// Host directives in an operation's result: members whose names start with `$` steer the host and never reach
/// clients. `"$message"` replaces the REST envelope's message for this call, `"$total"` sets its `total` (e.g.
/// `sql/generate` answers differently with and without `return_file`, and reports its statement count in `total`,
/// as the original did).
enum ResultDirectives {
    struct Overrides {
        var message: String?
        var total: Int64?
    }

    /// The result without `$` members, and what they asked for.
    static func split(_ result: JSONValue) -> (data: JSONValue, overrides: Overrides) {
        guard case .object(let members) = result, members.contains(where: { $0.0.hasPrefix("$") }) else {
            return (result, Overrides())
        }
        return (.object(members.filter { !$0.0.hasPrefix("$") }),
                Overrides(message: result["$message"]?.stringValue, total: result["$total"]?.intValue))
    }
}
