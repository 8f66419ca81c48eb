import PluginABI

extension InputTable {
    /// The index of the first column named exactly `name` (case- and whitespace-sensitive, as the original).
    public func columnIndex(_ name: String) -> Int? { columnNames.firstIndex(of: name) }

    /// Counts the data rows by streaming the table once, then rewinds it.
    public func countRows(_ call: OperationCall) throws(OperationFailure) -> Int64 {
        var rows: Int64 = 0
        while true {
            let batch = try nextBatch()
            if batch.rowCount == 0 { break }
            rows += Int64(batch.rowCount)
            try call.checkCancelled()
        }
        try rewind()
        return rows
    }
}

extension OperationCall {
    /// Throws `PZ_ERR_CANCELLED` when the caller gave up; call between batches.
    public func checkCancelled() throws(OperationFailure) {
        if isCancelled { throw OperationFailure(PZ_ERR_CANCELLED, "cancelled") }
    }
}

extension JSONValue {
    /// The value as a list of strings, or nil when it is not an array of strings.
    public var stringArray: [String]? {
        guard let items = arrayValue else { return nil }
        var out: [String] = []
        for item in items {
            guard let s = item.stringValue else { return nil }
            out.append(s)
        }
        return out
    }
}
