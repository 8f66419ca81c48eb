import PycelizeJSON

/// The `paths` object of an OpenAPI document, built route by route in registration order. Path parameters
/// (`{chat_id}`) are declared once per path item, as OpenAPI requires for every templated segment.
struct OpenAPIPaths {
    private var order: [String] = []
    private var methods: [String: [(String, JSONValue)]] = [:]

    /// Adds `operation` (an OpenAPI Operation Object) under `method` (lowercase HTTP method) of `path`.
    mutating func add(_ method: String, _ path: String, _ operation: JSONValue) {
        if methods[path] == nil { order.append(path) }
        methods[path, default: []].append((method, operation))
    }

    /// Every `METHOD path` pair, for tests and for the coverage check.
    var routes: [(method: String, path: String)] {
        order.flatMap { path in (methods[path] ?? []).map { (method: $0.0, path: path) } }
    }

    var json: JSONValue {
        .object(order.map { path in
            var item = methods[path] ?? []
            let parameters = Self.templateNames(path).map { name -> JSONValue in
                .object([("name", .string(name)), ("in", "path"), ("required", true), ("schema", ["type": "string"])])
            }
            if !parameters.isEmpty { item.append(("parameters", .array(parameters))) }
            return (path, .object(item))
        })
    }

    /// The `{name}` segments of a path template.
    static func templateNames(_ path: String) -> [String] {
        path.split(separator: "/").compactMap { segment in
            guard segment.hasPrefix("{"), segment.hasSuffix("}"), segment.count > 2 else { return nil }
            return String(segment.dropFirst().dropLast())
        }
    }

    /// A unique, readable `operationId` from a method and path: `get_api_v1_chat_workflows_chat_id`.
    static func operationID(_ method: String, _ path: String) -> String {
        let words = path.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        return ([method] + words).joined(separator: "_")
    }
}
