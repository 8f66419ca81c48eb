/// Finds requested columns by name in an input's header: exact, case-sensitive names, as the original matched them.
public struct ColumnLookup {
    private var positions: [String: Int] = [:]

    /// - Parameter columns: the header (names are unique: the readers de-duplicate them).
    public init(_ columns: [String]) {
        for (i, name) in columns.enumerated() where positions[name] == nil { positions[name] = i }
    }

    public func index(of name: String) -> Int? { positions[name] }

    /// The position of every requested column, in the requested order. Throws 422
    /// `Columns not found in data: a, b` naming every missing column.
    public func indices(of names: [String]) throws(OperationFailure) -> [Int] {
        var found: [Int] = []
        var missing: [String] = []
        for name in names {
            if let i = positions[name] { found.append(i) } else { missing.append(name) }
        }
        guard missing.isEmpty else {
            throw .invalidArgument("Columns not found in data: \(missing.joined(separator: ", "))")
        }
        return found
    }
}

extension JSONValue {
    /// The strings of an array argument (the schema already checked the item types); `[]` when absent.
    public var stringList: [String] { arrayValue?.compactMap(\.stringValue) ?? [] }
}
