import PluginKit

/// One configured normalisation of one column, applied to the column's value row by row.
///
/// Single-pass normalisers only implement `apply`. Two-pass ones (`needsFirstPass`) see every value of the column
/// in a first streaming pass (`observe`, then `finishFirstPass`) before any `apply`. Row filters (`keepsRow`) may
/// hold per-pass state that `beginPass` resets, so every pass drops the same rows.
class ColumnNormalizer {
    var needsFirstPass: Bool { false }
    func observe(_ value: CellValue) {}
    func finishFirstPass() {}
    func beginPass() {}
    func keepsRow(_ value: CellValue) -> Bool { true }
    func apply(_ value: CellValue) throws(OperationFailure) -> CellValue { value }
}

/// A parameter problem of one item: recorded in the report as `Error normalizing 'col': …`, never fatal.
struct ItemError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Typed access to an item's `parameters` object, with the original's defaults.
struct Parameters {
    let json: JSONValue

    func string(_ key: String, default value: String) throws(ItemError) -> String {
        guard let v = json[key], !v.isNull else { return value }
        guard let s = v.stringValue else { throw ItemError("parameter '\(key)' must be a string") }
        return s
    }

    func integer(_ key: String, default value: Int) throws(ItemError) -> Int {
        guard let v = json[key], !v.isNull else { return value }
        guard let i = v.intValue, let n = Int(exactly: i) else { throw ItemError("parameter '\(key)' must be an integer") }
        return n
    }

    func number(_ key: String, default value: Double) throws(ItemError) -> Double {
        guard let v = json[key], !v.isNull else { return value }
        guard let d = v.doubleValue, d.isFinite else { throw ItemError("parameter '\(key)' must be a number") }
        return d
    }

    func bool(_ key: String, default value: Bool) throws(ItemError) -> Bool {
        guard let v = json[key], !v.isNull else { return value }
        guard let b = v.boolValue else { throw ItemError("parameter '\(key)' must be true or false") }
        return b
    }

    func strings(_ key: String, default value: [String]) throws(ItemError) -> [String] {
        guard let v = json[key], !v.isNull else { return value }
        guard let list = v.stringArray else { throw ItemError("parameter '\(key)' must be a list of strings") }
        return list
    }
}

extension CellValue {
    /// A JSON parameter value as a cell (`fill_null_values` value, `categorical_mapping` targets).
    init(json: JSONValue) {
        switch json {
        case .string(let s): self = .text(s)
        case .bool(let b): self = .bool(b)
        case .null: self = .null
        default:
            if let i = json.intValue, case .int = json { self = .int(i) } else { self = json.doubleValue.map { .float($0) } ?? .text(JSONSerializer.string(json)) }
        }
    }
}
