import PluginKit

/// `sql/generate-to-text`: the standard statements (optionally over a `columns` subset, without duplicate rows)
/// written to a text file, streamed.
enum SQLGenerateToText {
    static let operation = PluginDefinition.Operation(
        name: "sql/generate-to-text",
        summary: "INSERT statements for every row written to a text file (column subset, duplicate removal)",
        argumentsSchema: #"{"type":"object","properties":{"# + StandardRequest.properties
            + #","columns":{"type":"array","items":{"type":"string"},"description":"Data columns to keep (default all)"},"remove_duplicates":{"type":"boolean","description":"Drop repeated rows of the kept columns (default false)"}}}"#,
        successMessage: "SQL text file generated successfully",
        body: run
    )

    @Sendable static func run(_ call: OperationCall) throws(OperationFailure) {
        let request = try StandardRequest(call)
        let args = request.args
        let source = try SQLRowSource(call, columns: try args.stringList("columns"),
                                      removeDuplicates: args.bool("remove_duplicates", default: false))
        // The original named REST outputs sql_statements_{ts}.txt and workflow outputs {input}_sql_text_{ts}.sql.
        let out = args.isWorkflow ? try call.createTextOutput(suffix: "sql_text", fileExtension: "sql")
                                  : try call.createTextOutput(suffix: "sql_statements", fileExtension: "txt")
        let (rows, total) = try StandardFileGenerator.write(request, source: source, to: out)
        try out.finish()
        call.setResult(.object([("total_rows", .int(Int64(rows))), ("total_statements", .int(Int64(total)))]))
    }
}
