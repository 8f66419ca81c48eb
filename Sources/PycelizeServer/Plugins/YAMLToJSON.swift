import Foundation
import PycelizeJSON

/// Converts what `Yams.load` returns (scalars, `[Any]`, `[String: Any]`) into a `JSONValue`, for the `settings`
/// mapping of a plugin's `plugins.d/` file. Keys are sorted, so a plugin sees the same JSON text on every start.
enum YAMLToJSON {
    static func convert(_ node: Any?) throws -> JSONValue {
        switch node {
        case nil, is NSNull: return .null
        case let b as Bool: return .bool(b)
        case let i as Int: return .int(Int64(i))
        case let d as Double: return d.isFinite ? .double(d) : .string(String(d))
        case let s as String: return .string(s)
        case let list as [Any]: return .array(try list.map { try convert($0) })
        case let map as [String: Any]:
            return .object(try map.keys.sorted().map { ($0, try convert(map[$0])) })
        case let map as [AnyHashable: Any]:
            // Non-string keys (`1: x`) are refused rather than guessed at.
            guard let keys = map.keys.map({ $0.base as? String }) as? [String] else {
                throw PluginRefusal("'settings' keys must be strings")
            }
            return .object(try keys.sorted().map { ($0, try convert(map[AnyHashable($0)])) })
        default:
            throw PluginRefusal("'settings' holds a value that is not a string, number, boolean, list or mapping")
        }
    }
}
