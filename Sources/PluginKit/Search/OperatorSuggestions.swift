import PluginABI

/// The body shared by `excel/search/suggest-operators` and `csv/search/suggest-operators`: every column of input 0
/// with its real type (read from every row) and the operators that suit it.
public enum OperatorSuggestions {
    public static func describe(_ call: OperationCall) throws(OperationFailure) -> JSONValue {
        let input = try call.openInput(0)
        defer { input.close() }
        var tracker = ColumnTypeTracker(columnCount: input.columnNames.count)
        var scan = BatchScan(input, call: call, message: "Reading column types")
        while let batch = try scan.next() { tracker.observe(batch) }
        var members: [(String, JSONValue)] = []
        for (i, column) in input.columnNames.enumerated() {
            let type = tracker.typeName(i)
            members.append((column, [
                "type": .string(type),
                "operators": .array(SearchOperator.suggestions(forType: type).map { .string($0.rawValue) }),
            ]))
        }
        return .object(members)
    }
}
