import PluginABI
import PluginKit

/// `files/bind` and `files/bind/preview`: copy source columns into target columns **by row position** (no key),
/// as the original's positional binder (§3.5.3). The target sheet is the base of the output; each mapped target
/// column takes the source column's value of the same row; when the source is shorter the rest stays empty.
/// Both files stream side by side, so memory does not grow with either.
enum PositionalBind {
    static let schema = #"{"type":"object","properties":{"column_mapping":{"description":"JSON object {target column: source column}"},"target_file":{"type":"string","description":"Workflows: the name of a file uploaded to the same conversation"}}}"#

    static let operation = PluginDefinition.Operation(
        name: "files/bind",
        summary: "Copy source columns into target columns by row position (column_mapping {target: source})",
        argumentsSchema: schema,
        successMessage: "Files bound successfully",
        twoInputs: true,
        body: run
    )

    static let preview = PluginDefinition.Operation(
        name: "files/bind/preview",
        summary: "Columns and row counts of both files and whether a positional column_mapping is valid",
        argumentsSchema: schema,
        successMessage: "Binding preview generated",
        twoInputs: true,
        body: runPreview
    )

    /// `column_mapping` as ordered (target, source) pairs; nil when it is not an object of strings.
    static func mapping(_ args: JSONValue) -> [(target: String, source: String)]? {
        guard let value = args["column_mapping"] else { return [] }
        guard let members = value.objectValue else { return nil }
        var pairs: [(target: String, source: String)] = []
        for (target, source) in members {
            guard let s = source.stringValue else { return nil }
            pairs.append((target, s))
        }
        return pairs
    }

    /// Both checks per pair, source first, with the original's texts.
    static func issues(_ pairs: [(target: String, source: String)], source: InputTable, target: InputTable) -> [String] {
        var out: [String] = []
        for p in pairs {
            if source.columnIndex(p.source) == nil { out.append("Source column '\(p.source)' not found") }
            if target.columnIndex(p.target) == nil { out.append("Target column '\(p.target)' not found") }
        }
        return out
    }

    static func openBoth(_ call: OperationCall, _ args: JSONValue) throws(OperationFailure) -> (InputTable, InputTable) {
        let source = try call.openInput(0)
        do throws(OperationFailure) {
            let target = try call.openSecondInput(namedBy: "target_file", in: args,
                                                  missingMessage: "target_file is required: the name of a file uploaded to this conversation")
            return (source, target)
        } catch {
            source.close()
            throw error
        }
    }

    @Sendable static func run(_ call: OperationCall) throws(OperationFailure) {
        let args = try call.arguments()
        guard let pairs = mapping(args) else { throw .invalidArgument("column_mapping must be a JSON object of column names") }
        guard !pairs.isEmpty else { throw .invalidArgument("column_mapping is required") }
        let (source, target) = try openBoth(call, args)
        defer { source.close(); target.close() }
        let problems = issues(pairs, source: source, target: target)
        guard problems.isEmpty else {
            throw .badInput("Data binding failed: Column mapping validation failed: " + problems.joined(separator: "; "))
        }
        // For each target column, the source column copied into it (the last pair wins for a repeated target).
        var copyFrom = [Int?](repeating: nil, count: target.columnNames.count)
        for p in pairs { if let t = target.columnIndex(p.target) { copyFrom[t] = source.columnIndex(p.source) } }

        let output = try call.createOutputTable(columns: target.columnNames, suffix: "bound")
        var rows = RowBuffer(columnCount: target.columnNames.count)
        var cursor = SourceCursor(table: source, columns: copyFrom.compactMap { $0 })
        var written: Int64 = 0
        let hint = max(target.rowCountHint, 1)
        while true {
            let batch = try target.nextBatch()
            if batch.rowCount == 0 { break }
            for r in 0..<batch.rowCount {
                let row = batch.row(r)
                let copied = try cursor.next()
                var k = 0
                for (c, from) in copyFrom.enumerated() {
                    if from != nil {
                        rows.append(copied.map { $0[$0.startIndex + k] } ?? .null)
                        k += 1
                    } else {
                        rows.appendBorrowed(row[c])   // flushed below, before the next target batch
                    }
                }
            }
            try rows.flush(to: output)
            written += Int64(batch.rowCount)
            try call.checkCancelled()
            call.progress(min(0.95, Double(written) / Double(hint)), "Binding rows")
        }
        try output.finish()
        call.setResult(.object([
            ("target_rows", .int(written)), ("source_rows_used", .int(cursor.consumed)),
            ("mapped_columns", .int(Int64(pairs.count))),
        ]))
    }

    @Sendable static func runPreview(_ call: OperationCall) throws(OperationFailure) {
        let args = try call.arguments()
        guard let pairs = mapping(args) else { throw .invalidArgument("column_mapping must be a JSON object of column names") }
        let (source, target) = try openBoth(call, args)
        defer { source.close(); target.close() }
        let problems = issues(pairs, source: source, target: target)
        call.setResult(.object([
            ("source_columns", .array(source.columnNames.map { .string($0) })),
            ("target_columns", .array(target.columnNames.map { .string($0) })),
            ("source_rows", .int(try source.countRows(call))),
            ("target_rows", .int(try target.countRows(call))),
            ("mapping_valid", .bool(problems.isEmpty)),
            ("issues", .array(problems.map { .string($0) })),
        ]))
    }
}

/// Walks the source table row by row alongside the target, copying only the mapped cells of the current batch.
struct SourceCursor {
    let table: InputTable
    let columns: [Int]
    private var batch: [CellValue] = []
    private var rowsInBatch = 0
    private var position = 0
    private var finished = false
    private(set) var consumed: Int64 = 0

    init(table: InputTable, columns: [Int]) {
        self.table = table
        self.columns = columns
    }

    /// The mapped values of the next source row, or nil once the source is exhausted.
    mutating func next() throws(OperationFailure) -> ArraySlice<CellValue>? {
        if position == rowsInBatch {
            if finished { return nil }
            let b = try table.nextBatch()
            if b.rowCount == 0 { finished = true; return nil }
            batch.removeAll(keepingCapacity: true)
            for r in 0..<b.rowCount {
                let row = b.row(r)
                for c in columns { batch.append(CellValue(row[c])) }
            }
            rowsInBatch = b.rowCount
            position = 0
        }
        let start = position * columns.count
        position += 1
        consumed += 1
        return batch[start..<(start + columns.count)]
    }
}
