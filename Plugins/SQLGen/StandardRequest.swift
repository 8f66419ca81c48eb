import PluginKit

/// The arguments shared by `sql/generate` and `sql/generate-to-text`, validated in the original's order.
struct StandardRequest {
    let args: CallArguments
    let dialect: SQLDialect
    /// `database_type` as sent (the original echoed it unnormalised).
    let databaseTypeText: String
    let table: String
    let mapping: [(sql: String, data: String)]
    let autoIncrement: AutoIncrement?
    let identifiers: SQLIdentifier

    static let properties = """
        "table_name":{"type":"string","description":"Target table (letters, digits, underscores; schema.table allowed). Required over REST; workflows default to data"},\
        "column_mapping":{"type":"object","additionalProperties":{"type":"string"},"description":"{sql_column: data_column}, in column order. Required over REST; workflows default to every column"},\
        "database_type":{"type":"string","description":"postgresql (default), mysql or sqlite (any case)"},\
        "auto_increment":{"type":"object","description":"{enabled, column_name|columnName, increment_type|incrementType, start_value|startValue, sequence_name|sequenceName}"},\
        "include_transaction":{"type":"boolean","description":"Wrap the rows in BEGIN/COMMIT (default true)"},\
        "batch_size":{"type":"integer","minimum":1,"maximum":100000,"description":"Rows per INSERT (multi-row VALUES); absent = one statement per row"},\
        "template":{"type":"string","description":"Statement template per row: {auto_id}, {sql_column}, {current_timestamp}, {current_date}"},\
        "quote_all_values":{"type":"boolean","description":"Quote every value as text, empty cells as '' (the original's output); default false = typed values"},\
        "quote_identifiers":{"type":"boolean","description":"Quote table and column names for the dialect (default false)"}
        """

    init(_ call: OperationCall) throws(OperationFailure) {
        args = try call.callArguments()
        guard let table = args.string("table_name") ?? (args.isWorkflow ? "data" : nil) else {
            throw .invalidArgument("table_name is required")
        }
        let mapping = try args.stringMapping("column_mapping")
        if mapping.isEmpty && !args.isWorkflow { throw .invalidArgument("column_mapping is required") }
        databaseTypeText = args.string("database_type") ?? "postgresql"
        dialect = try SQLDialect.parse(databaseTypeText)
        autoIncrement = try AutoIncrement.parse(try args.object("auto_increment"))
        identifiers = SQLIdentifier(dialect: dialect, quote: args.bool("quote_identifiers", default: false))
        self.table = try identifiers.render(table, what: "table name", qualified: true)
        self.mapping = mapping.map { (sql: $0.0, data: $0.1) }
        if let auto = autoIncrement, mapping.contains(where: { $0.0 == auto.column }) {
            throw .invalidArgument("auto_increment column '\(auto.column)' is also in column_mapping")
        }
    }

    /// The statement builder over `source` (an empty mapping in a workflow means every column of the frame).
    func statements(_ source: SQLRowSource) throws(OperationFailure) -> StandardStatements {
        let pairs = mapping.isEmpty ? source.frame.map { (sql: source.input.columnNames[$0], data: source.input.columnNames[$0]) } : mapping
        var columns: [String] = [], sources: [Int] = []
        for pair in pairs {
            columns.append(try identifiers.render(pair.sql, what: "column name"))
            sources.append(try source.column(pair.data))
        }
        let autoColumn = try autoIncrement.map { a throws(OperationFailure) in try identifiers.render(a.column, what: "auto_increment column name") }
        let template = args.string("template").map {
            BuilderTemplate($0, mappingKeys: pairs.map(\.sql), autoIncrement: autoIncrement != nil, dialect: dialect)
        }
        return StandardStatements(
            dialect: dialect, table: table, columns: columns, sources: sources, autoIncrement: autoIncrement,
            autoColumn: autoColumn, allText: args.bool("quote_all_values", default: false),
            includeTransaction: args.bool("include_transaction", default: true),
            batchSize: Int(args["batch_size"]?.intValue ?? 1), template: template)
    }
}
