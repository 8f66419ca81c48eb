import PycelizeJSON

/// Validates operation arguments against the subset of JSON Schema that operations declare: `type` (one or a
/// list), `properties`, `required`, `additionalProperties: false`, `items`, `enum`, `minItems`, `maxItems`,
/// `minLength`, `maxLength`, `minimum`, `maximum`. Messages name the argument, e.g.
/// `Invalid argument 'columns': expected array, got string`.
public enum ArgumentValidator {
    public static func validate(_ value: JSONValue, schema: JSONValue, path: String = "") throws(RequestError) {
        let label = path.isEmpty ? "arguments" : "argument '\(path)'"
        if let type = schema["type"] {
            let allowed: [String] = type.stringValue.map { [$0] } ?? type.arrayValue?.compactMap(\.stringValue) ?? []
            if !allowed.isEmpty && !allowed.contains(where: { matches(value, type: $0) }) {
                throw .validation("Invalid \(label): expected \(allowed.joined(separator: " or ")), got \(value.typeName)")
            }
        }
        if let options = schema["enum"]?.arrayValue, !options.contains(value) {
            let list = options.map { JSONSerializer.string($0) }.joined(separator: ", ")
            throw .validation("Invalid \(label): must be one of \(list)")
        }
        switch value {
        case .object(let members):
            let props = schema["properties"]?.objectValue ?? []
            for required in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where value[required] == nil {
                throw .validation("Missing required argument '\(join(path, required))'")
            }
            for (key, v) in members {
                if let sub = props.first(where: { $0.0 == key })?.1 {
                    try validate(v, schema: sub, path: join(path, key))
                } else if schema["additionalProperties"] == .bool(false) {
                    throw .validation("Unknown argument '\(join(path, key))'")
                } else if let sub = schema["additionalProperties"], case .object = sub {
                    try validate(v, schema: sub, path: join(path, key))
                }
            }
        case .array(let items):
            if let min = schema["minItems"]?.intValue, items.count < min {
                throw .validation("Invalid \(label): needs at least \(min) item(s)")
            }
            if let max = schema["maxItems"]?.intValue, items.count > max {
                throw .validation("Invalid \(label): at most \(max) item(s)")
            }
            if let itemSchema = schema["items"] {
                for (i, item) in items.enumerated() { try validate(item, schema: itemSchema, path: "\(path)[\(i)]") }
            }
        case .string(let s):
            if let min = schema["minLength"]?.intValue, s.count < min {
                throw .validation("Invalid \(label): must have at least \(min) character(s)")
            }
            if let max = schema["maxLength"]?.intValue, s.count > max {
                throw .validation("Invalid \(label): must have at most \(max) character(s)")
            }
        case .int, .double:
            if let min = schema["minimum"]?.doubleValue, let v = value.doubleValue, v < min {
                throw .validation("Invalid \(label): must be at least \(JSONSerializer.string(schema["minimum"] ?? .null))")
            }
            if let max = schema["maximum"]?.doubleValue, let v = value.doubleValue, v > max {
                throw .validation("Invalid \(label): must be at most \(JSONSerializer.string(schema["maximum"] ?? .null))")
            }
        default: break
        }
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    static func matches(_ v: JSONValue, type: String) -> Bool {
        switch type {
        case "integer": return v.intValue != nil
        case "number": return v.doubleValue != nil
        default: return v.typeName == type
        }
    }

    /// The declared type of property `name` (first type if a list), for converting form fields.
    public static func propertyType(_ schema: JSONValue, _ name: String) -> String? {
        guard let prop = schema["properties"]?[name] else { return nil }
        if let t = prop["type"]?.stringValue { return t }
        return prop["type"]?.arrayValue?.first?.stringValue
    }
}
