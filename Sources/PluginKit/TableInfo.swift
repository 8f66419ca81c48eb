import PluginABI

/// The body shared by `csv/info` and `excel/info`: rows, columns, column names and the real type of each column of
/// input 0 (first sheet), with the original's field names.
public enum TableInfo {
    /// - Parameter includeSheets: add `sheets` (every sheet name), as `excel/info` does.
    public static func describe(_ call: OperationCall, includeSheets: Bool) throws(OperationFailure) -> JSONValue {
        let sheets = includeSheets ? try call.sheetNames(0) : []
        let input = try call.openInput(0)
        defer { input.close() }
        var tracker = ColumnTypeTracker(columnCount: input.columnNames.count)
        var rows: Int64 = 0
        let hint = input.rowCountHint
        while true {
            let batch = try input.nextBatch()
            if batch.rowCount == 0 { break }
            tracker.observe(batch)
            rows += Int64(batch.rowCount)
            if call.isCancelled { throw OperationFailure(PZ_ERR_CANCELLED, "cancelled") }
            if hint > 0 { call.progress(min(1, Double(rows) / Double(hint)), "Reading rows") }
        }
        let name = call.inputName(0) ?? ""
        var types: [(String, JSONValue)] = []
        for (i, column) in input.columnNames.enumerated() { types.append((column, .string(tracker.typeName(i)))) }
        var members: [(String, JSONValue)] = [
            ("file_path", .string("uploads/" + name)),
            ("file_name", .string(name)),
        ]
        if includeSheets { members.append(("sheets", .array(sheets.map { .string($0) }))) }
        members += [
            ("rows", .int(rows)),
            ("columns", .int(Int64(input.columnNames.count))),
            ("column_names", .array(input.columnNames.map { .string($0) })),
            ("data_types", .object(types)),
        ]
        return .object(members)
    }
}
