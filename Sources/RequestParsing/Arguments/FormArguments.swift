import Foundation
import PycelizeJSON

/// Form fields of a one-shot request → the operation's arguments object, converted by the type the operation's schema
/// declares for each field: `boolean` is true only for `true` (any case, as the original), `integer`/`number` are
/// parsed, `array`/`object` are JSON text; empty fields count as absent; undeclared fields that look like JSON are
/// JSON, else strings. Fields in `skipping` (files, `output_filename`) are not arguments.
public enum FormArguments {
    public static func convert(_ fields: [String: String], schema: JSONValue, skipping hostFields: Set<String> = []) throws(RequestError) -> JSONValue {
        var members: [(String, JSONValue)] = []
        for (key, raw) in fields.sorted(by: { $0.key < $1.key }) where !hostFields.contains(key) {
            if raw.isEmpty { continue }
            switch ArgumentValidator.propertyType(schema, key) {
            case "boolean":
                members.append((key, .bool(raw.lowercased() == "true")))
            case "integer":
                guard let v = Int64(raw.trimmingCharacters(in: .whitespaces)) else {
                    throw .validation("Invalid argument '\(key)': expected an integer, got '\(raw)'")
                }
                members.append((key, .int(v)))
            case "number":
                guard let v = Double(raw.trimmingCharacters(in: .whitespaces)), v.isFinite else {
                    throw .validation("Invalid argument '\(key)': expected a number, got '\(raw)'")
                }
                members.append((key, .double(v)))
            case "array", "object":
                do { members.append((key, try JSONParser.parse(raw))) } catch {
                    throw .validation("Invalid argument '\(key)': not valid JSON (\(error))")
                }
            case "string":
                members.append((key, .string(raw)))
            default:
                // Not declared: pass JSON-looking text as JSON, everything else as a string.
                if let v = try? JSONParser.parse(raw), raw.first == "[" || raw.first == "{" {
                    members.append((key, v))
                } else {
                    members.append((key, .string(raw)))
                }
            }
        }
        return .object(members)
    }

}
