/// Typed, lenient access to an operation's (already schema-validated) arguments object.
///
/// REST form fields arrive converted by the schema's declared types, workflow steps as the client's JSON; both
/// end up here. `isWorkflow` tells which surface called (the host's `_call_kind`), for the few arguments whose
/// default the original chose differently in workflows.
public struct CallArguments {
    public let json: JSONValue

    public init(_ json: JSONValue) { self.json = json }

    /// True when the call is a chat-workflow step (host-provided `_call_kind: "workflow"`).
    public var isWorkflow: Bool { json["_call_kind"]?.stringValue == "workflow" }

    public subscript(_ key: String) -> JSONValue? {
        guard let v = json[key], !v.isNull else { return nil }
        return v
    }

    /// A string argument; nil when absent, null or empty.
    public func string(_ key: String) -> String? {
        guard let s = self[key]?.stringValue, !s.isEmpty else { return nil }
        return s
    }

    /// A boolean argument: JSON booleans, or the text `true` (any case) as the original's form fields.
    public func bool(_ key: String, default fallback: Bool) -> Bool {
        switch self[key] {
        case .bool(let b)?: return b
        case .string(let s)?: return s.lowercased() == "true"
        case nil: return fallback
        default: return fallback
        }
    }

    /// A list of strings (`columns`); a JSON text of a list is accepted too. Throws 422 for anything else.
    public func stringList(_ key: String) throws(OperationFailure) -> [String] {
        guard let v = self[key] else { return [] }
        let list = try Self.decodeIfText(v, key)
        guard let items = list.arrayValue else { throw .invalidArgument("\(key) must be a list of column names") }
        var out: [String] = []
        for item in items {
            guard let s = item.stringValue else { throw .invalidArgument("\(key) must be a list of column names") }
            out.append(s)
        }
        return out
    }

    /// An ordered string → string mapping (`column_mapping`); a JSON text of an object is accepted too.
    public func stringMapping(_ key: String) throws(OperationFailure) -> [(String, String)] {
        guard let v = self[key] else { return [] }
        guard let members = try Self.decodeIfText(v, key).objectValue else {
            throw .invalidArgument("\(key) must be a JSON object")
        }
        return try Self.stringPairs(members, key)
    }

    /// The members of a mapping object whose values must be text (column names).
    public static func stringPairs(_ members: [(String, JSONValue)], _ key: String) throws(OperationFailure) -> [(String, String)] {
        var out: [(String, String)] = []
        for (k, value) in members {
            guard let s = value.stringValue else {
                throw .invalidArgument("\(key) values must be column names (text), got \(value.typeName) for '\(k)'")
            }
            out.append((k, s))
        }
        return out
    }

    /// An object argument (`auto_increment`); a JSON text of an object is accepted too.
    public func object(_ key: String) throws(OperationFailure) -> JSONValue? {
        guard let v = self[key] else { return nil }
        let o = try Self.decodeIfText(v, key)
        guard case .object = o else { throw .invalidArgument("\(key) must be a JSON object") }
        return o
    }

    static func decodeIfText(_ v: JSONValue, _ key: String) throws(OperationFailure) -> JSONValue {
        guard let text = v.stringValue else { return v }
        do { return try JSONParser.parse(text) } catch {
            throw .invalidArgument("Invalid argument '\(key)': not valid JSON (\(error))")
        }
    }
}

extension OperationCall {
    /// The arguments as `CallArguments`.
    public func callArguments() throws(OperationFailure) -> CallArguments { CallArguments(try arguments()) }
}
