import PluginABI
import PluginKit

/// `excel/bind-single-key` and `excel/bind-multi-key`: a left join of the source (input 0, streamed) with the
/// selected columns of the bind file (held in a hash table), as the original's binding service.
///
/// Rules (docs/compatibility.md): source row order and count are kept; the first bind row of a duplicate key
/// wins; appended columns follow `bind_columns` order; keys compare typed values with `CellKey.matching` (an XLSX
/// number `42` matches CSV text `"42"` and `42.0`; other text compares exactly, case- and space-sensitive); empty keys
/// never match. In workflows `bind_file` is the plain name of a file of the same conversation.
enum KeyBinding {
    static let singleKey = PluginDefinition.Operation(
        name: "excel/bind-single-key",
        summary: "Append columns of a bind file to the source rows whose key column matches (left join, first duplicate wins)",
        argumentsSchema: schema(keyProperty: #""comparison_column":{"type":"string","description":"Key column present in both files"}"#),
        successMessage: "Excel binding completed successfully",
        twoInputs: true,
        body: { call throws(OperationFailure) in try run(call, multi: false) }
    )

    static let multiKey = PluginDefinition.Operation(
        name: "excel/bind-multi-key",
        summary: "Append columns of a bind file to the source rows whose key columns all match (left join, first duplicate wins)",
        argumentsSchema: schema(keyProperty: #""comparison_columns":{"description":"JSON array of key columns present in both files"}"#),
        successMessage: "Excel binding completed successfully",
        twoInputs: true,
        body: { call throws(OperationFailure) in try run(call, multi: true) }
    )

    /// List-valued arguments carry no declared type so that a bad value gets the original's message.
    static func schema(keyProperty: String) -> String {
        #"{"type":"object","properties":{"# + keyProperty
            + #","bind_columns":{"description":"JSON array of bind-file columns to append, in this order"},"#
            + #""bind_file":{"type":"string","description":"Workflows: the name of a file uploaded to the same conversation"}}}"#
    }

    struct Request {
        let keys: [String]
        let bindColumns: [String]
        let multi: Bool
    }

    static func parse(_ args: JSONValue, multi: Bool) throws(OperationFailure) -> Request {
        let keys: [String]
        if multi {
            guard let list = stringList(args["comparison_columns"]) else {
                throw .invalidArgument("comparison_columns must be a valid JSON array")
            }
            guard !list.isEmpty else { throw .invalidArgument("At least one comparison column must be specified") }
            keys = list
        } else {
            guard let key = args["comparison_column"]?.stringValue, !key.isEmpty else {
                throw .invalidArgument("comparison_column parameter is required")
            }
            keys = [key]
        }
        guard let bind = stringList(args["bind_columns"]) else {
            throw .invalidArgument("bind_columns must be a valid JSON array")
        }
        guard !bind.isEmpty else { throw .invalidArgument("At least one bind column must be specified") }
        var unique: [String] = []
        for c in bind where !unique.contains(c) { unique.append(c) }
        return Request(keys: keys, bindColumns: unique, multi: multi)
    }

    /// An absent list reads as empty; anything but an array of strings is nil.
    static func stringList(_ value: JSONValue?) -> [String]? {
        guard let value else { return [] }
        return value.stringArray
    }

    @Sendable static func run(_ call: OperationCall, multi: Bool) throws(OperationFailure) {
        let args = try call.arguments()
        let request = try parse(args, multi: multi)
        let source = try call.openInput(0)
        defer { source.close() }
        let bind = try call.openSecondInput(namedBy: "bind_file", in: args,
                                            missingMessage: "bind_file is required: the name of a file uploaded to this conversation")
        defer { bind.close() }
        let plan = try validate(request, source: source, bind: bind)

        call.progress(0.05, "Reading bind file")
        let table = try BindTable.load(bind, keyColumns: plan.bindKeys, valueColumns: plan.bindValues, call: call)
        bind.close()

        let columns = source.columnNames + request.bindColumns
        let output = try call.createOutputTable(columns: columns, suffix: multi ? "bound_multi" : "bound_single")
        var rows = RowBuffer(columnCount: columns.count)
        var key = [CellKey](repeating: CellKey.exact(pz_cell()), count: plan.sourceKeys.count)
        var sourceRows: Int64 = 0, matched: Int64 = 0
        let hint = max(source.rowCountHint, 1)
        while true {
            let batch = try source.nextBatch()
            if batch.rowCount == 0 { break }
            for r in 0..<batch.rowCount {
                let row = batch.row(r)
                rows.appendBorrowed(row: row)   // flushed below, before the next source batch
                if BindTable.fill(&key, from: row, columns: plan.sourceKeys), let values = table.values(for: key) {
                    matched += 1
                    for v in values { rows.append(v) }
                } else {
                    for _ in request.bindColumns { rows.append(CellValue.null) }
                }
            }
            try rows.flush(to: output)
            sourceRows += Int64(batch.rowCount)
            try call.checkCancelled()
            call.progress(0.1 + 0.85 * min(1, Double(sourceRows) / Double(hint)), "Binding rows")
        }
        try output.finish()
        let percentage = sourceRows == 0 ? 0 : (Double(matched) / Double(sourceRows) * 10_000).rounded() / 100
        call.setResult(.object([
            ("statistics", .object([
                ("source_rows", .int(sourceRows)),
                ("bind_rows", .int(table.rowsRead)),
                ("matched_rows", .int(matched)),
                ("unmatched_rows", .int(sourceRows - matched)),
                ("unique_keys_in_bind", .int(Int64(table.uniqueKeys))),
                ("duplicate_keys_removed", .int(table.duplicatesRemoved)),
                ("match_percentage", .double(percentage)),
            ])),
        ]))
    }

    struct Plan {
        let sourceKeys: [Int]
        let bindKeys: [Int]
        let bindValues: [Int]
    }

    /// The original's validation order and messages (§3.5).
    static func validate(_ r: Request, source: InputTable, bind: InputTable) throws(OperationFailure) -> Plan {
        let missingSource = r.keys.filter { source.columnIndex($0) == nil }
        let missingBind = r.keys.filter { bind.columnIndex($0) == nil }
        if r.multi {
            if !missingSource.isEmpty { throw .invalidArgument("Comparison columns not found in source file: \(PythonRepr.list(missingSource))") }
            if !missingBind.isEmpty { throw .invalidArgument("Comparison columns not found in bind file: \(PythonRepr.list(missingBind))") }
        } else {
            if !missingSource.isEmpty { throw .invalidArgument("Comparison column '\(r.keys[0])' not found in source file") }
            if !missingBind.isEmpty { throw .invalidArgument("Comparison column '\(r.keys[0])' not found in bind file") }
        }
        let absent = r.bindColumns.filter { bind.columnIndex($0) == nil }
        if !absent.isEmpty { throw .invalidArgument("Bind columns not found in bind file: \(PythonRepr.list(absent))") }
        // The original let a key column through here and then crashed on the duplicate label; the key is already
        // in the source, so asking for it again is a caller error.
        let keysAsked = r.bindColumns.filter { r.keys.contains($0) }
        if !keysAsked.isEmpty {
            throw .invalidArgument("Bind columns must not include the comparison column(s): \(PythonRepr.list(keysAsked))")
        }
        let conflicts = r.bindColumns.filter { source.columnIndex($0) != nil }
        if !conflicts.isEmpty {
            throw .invalidArgument("Bind columns already exist in source file: \(PythonRepr.list(conflicts)). This would overwrite existing data.")
        }
        return Plan(sourceKeys: r.keys.compactMap(source.columnIndex), bindKeys: r.keys.compactMap(bind.columnIndex),
                    bindValues: r.bindColumns.compactMap(bind.columnIndex))
    }
}
