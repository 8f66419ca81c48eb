import PluginKit

/// `sql/generate`: INSERT statements for every row, returned inline as a JSON list — or, with `return_file` (and
/// always in workflows, as the original), written to a `.sql` file.
enum SQLGenerate {
    static let operation = PluginDefinition.Operation(
        name: "sql/generate",
        summary: "INSERT statements for every row (inline JSON list, or a .sql file with return_file)",
        argumentsSchema: #"{"type":"object","properties":{"# + StandardRequest.properties
            + #","return_file":{"type":"boolean","description":"Write a .sql file instead of returning the statements (default false; workflows always write the file)"}}}"#,
        successMessage: "SQL generated successfully",
        body: run
    )

    @Sendable static func run(_ call: OperationCall) throws(OperationFailure) {
        let request = try StandardRequest(call)
        let source = try SQLRowSource(call, columns: [], removeDuplicates: false)
        if request.args.isWorkflow || request.args.bool("return_file", default: false) {
            let out = try call.createTextOutput(suffix: "sql", fileExtension: "sql")
            let (rows, total) = try StandardFileGenerator.write(request, source: source, to: out)
            try out.finish()
            call.setResult(.object([
                ("total_rows", .int(Int64(rows))), ("total_statements", .int(Int64(total))),
                ("$message", "Generate Standard SQL file successfully"),
            ]))
            return
        }
        // Inline: the list is the answer, so it is held; one pass, the row count patched into the header after.
        let builder = try request.statements(source)
        var body: [JSONValue] = []
        var current: [UInt8] = []
        var rows = 0
        try source.forEachRow { row, index throws(OperationFailure) in
            rows = index + 1
            if builder.appendRow(row, index: index, to: &current) {
                body.append(.string(String(decoding: current, as: UTF8.self)))
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty {
            current.append(0x3B)
            body.append(.string(String(decoding: current, as: UTF8.self)))
        }
        let now = GenerationClock.localISO()
        let statements = builder.header(rows: rows, generatedAt: now).map(JSONValue.string) + body
            + builder.footer.map(JSONValue.string)
        call.setResult(.object([
            ("success", .bool(true)),
            ("table_name", .string(request.args.string("table_name") ?? "data")),
            ("database_type", .string(request.databaseTypeText)),
            ("total_rows", .int(Int64(rows))),
            ("total_statements", .int(Int64(statements.count))),
            ("statements", .array(statements)),
            ("generated_at", .string(now)),
            ("$total", .int(Int64(statements.count))),
        ]))
    }
}
