import PycelizeJSON

/// The reserved `_envelope` member of an operation's result: `{"message": "...", "total": N}` overrides the REST
/// envelope's `message` and `total` for this call (e.g. `sql/generate` answers differently with and without
/// `return_file`, and reports its statement count in `total`, as the original did). It never reaches `data`.
enum ResultEnvelope {
    struct Overrides {
        var message: String?
        var total: Int64?
    }

    /// The result without `_envelope`, and what `_envelope` asked for.
    static func split(_ result: JSONValue) -> (data: JSONValue, overrides: Overrides) {
        guard let envelope = result["_envelope"] else { return (result, Overrides()) }
        return (result.removing("_envelope"),
                Overrides(message: envelope["message"]?.stringValue, total: envelope["total"]?.intValue))
    }
}
