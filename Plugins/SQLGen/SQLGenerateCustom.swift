import PluginKit

/// `sql/generate-custom-to-text`: one statement per row from the custom template language (§3.8.3), written to a
/// text file — the same language over REST and in workflows (the original's workflow used the plain builder, B7).
enum SQLGenerateCustom {
    static let operation = PluginDefinition.Operation(
        name: "sql/generate-custom-to-text",
        summary: "One statement per row from a custom template ({name}, {name:int}, {name|default}, {%name%}, {auto_id}, {current_timestamp})",
        argumentsSchema: #"{"type":"object","properties":{"template":{"type":"string","description":"The statement template; a matching pair of outer quotes is removed (REST)"},"column_mapping":{"type":"object","additionalProperties":{"type":"string"},"description":"{placeholder: data_column}. Required over REST; workflows default to every column under its own name"},"columns":{"type":"array","items":{"type":"string"},"description":"Data columns to keep (default all)"},"sheet_name":{"type":"string","description":"Sheet to read (default: the first)"},"remove_duplicates":{"type":"boolean"},"auto_increment":{"type":"object","description":"{enabled, column_name, start_value}: {auto_id} and {<column_name>} count from start_value"},"database_type":{"type":"string","description":"Escaping of text values: postgresql (default, also right for sqlite) or mysql (escapes backslashes)"},"quote_all_values":{"type":"boolean","description":"Treat every cell as the original's text (default false = typed values)"}}}"#,
        successMessage: "Custom SQL text file generated successfully",
        body: run
    )

    @Sendable static func run(_ call: OperationCall) throws(OperationFailure) {
        let args = try call.callArguments()
        guard var template = args.string("template") else { throw .invalidArgument("template is required") }
        if !args.isWorkflow { template = stripOuterQuotes(template) }
        let mappingPairs = try args.stringMapping("column_mapping")
        if mappingPairs.isEmpty && !args.isWorkflow { throw .invalidArgument("column_mapping is required") }
        let dialect = try SQLDialect.parse(args.string("database_type"))
        let auto = try AutoIncrement.parse(try args.object("auto_increment"))
        let source = try SQLRowSource(call, sheet: args.string("sheet_name"), columns: try args.stringList("columns"),
                                      removeDuplicates: args.bool("remove_duplicates", default: false))
        var mapping: [String: String] = [:]
        for (k, v) in mappingPairs where mapping[k] == nil { mapping[k] = v }
        if mappingPairs.isEmpty { for c in source.frame { mapping[source.input.columnNames[c]] = source.input.columnNames[c] } }
        for (_, column) in mappingPairs { _ = try source.column(column) }

        var names = Set(mapping.keys)
        names.insert("current_timestamp")
        if let a = auto { names.insert("auto_id"); names.insert(a.column) }
        let compiled = CustomTemplate(template, names: names) { name in
            if let a = auto, name == "auto_id" || name == a.column { return .autoID }
            if let column = mapping[name] { return .column(column) }
            if name == "current_timestamp" { return .currentTimestamp }
            return .unmapped
        }
        var columns: [Int?] = []
        for p in compiled.placeholders {
            if case .column(let name) = p.source { columns.append(try source.column(name)) } else { columns.append(nil) }
        }
        let renderer = CustomRenderer(template: compiled, dialect: dialect,
                                      allText: args.bool("quote_all_values", default: false),
                                      columns: columns, autoStart: auto?.start)

        let out = args.isWorkflow ? try call.createTextOutput(suffix: "sql_custom", fileExtension: "sql")
                                  : try call.createTextOutput(suffix: "custom_sql", fileExtension: "txt")
        let now = GenerationClock.localISO()
        let rows = try SQLExport.writeCounted(out, header: { SQLExport.preamble(statements: $0, generatedAt: now) },
                                              writeRows: { () throws(OperationFailure) -> Int in
            var rows = 0
            try source.forEachRow { row, index throws(OperationFailure) in
                rows = index + 1
                renderer.appendRow(row, index: index, to: &out.buffer)
                out.buffer.append(0x0A)
                try out.flushIfFull()
            }
            return rows
        })
        try out.finish()
        call.setResult(.object([("total_rows", .int(Int64(rows))), ("total_statements", .int(Int64(rows)))]))
    }

    /// `"…"` or `'…'` around the whole template: the two quotes are removed, as the original did.
    static func stripOuterQuotes(_ s: String) -> String {
        guard s.count >= 2, let f = s.first, let l = s.last, f == l, f == "\"" || f == "'" else { return s }
        return String(s.dropFirst().dropLast())
    }
}
