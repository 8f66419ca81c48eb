import PluginABI
import PluginKit

/// `csv/info`: row and column counts, column names and the type of each column.
enum CSVInfo {
    static let operation = PluginDefinition.Operation(
        name: "csv/info",
        summary: "Rows, columns, column names and column types of a CSV (or any table) file",
        argumentsSchema: #"{"type":"object","properties":{}}"#,
        successMessage: "CSV file information retrieved successfully",
        body: run
    )

    @Sendable static func run(_ call: OperationCall) throws(OperationFailure) {
        let input = try call.openInput(0)
        defer { input.close() }
        var tracker = ColumnTypeTracker(columnCount: input.columnNames.count)
        var rows: Int64 = 0
        while true {
            let batch = try input.nextBatch()
            if batch.rowCount == 0 { break }
            tracker.observe(batch)
            rows += Int64(batch.rowCount)
            if call.isCancelled { throw OperationFailure(PZ_ERR_CANCELLED, "cancelled") }
        }
        let name = call.inputName(0) ?? ""
        var types: [(String, JSONValue)] = []
        for (i, column) in input.columnNames.enumerated() { types.append((column, .string(tracker.typeName(i)))) }
        call.setResult(.object([
            ("file_path", .string("uploads/" + name)),
            ("file_name", .string(name)),
            ("rows", .int(rows)),
            ("columns", .int(Int64(input.columnNames.count))),
            ("column_names", .array(input.columnNames.map { .string($0) })),
            ("data_types", .object(types)),
        ]))
    }
}
