import PluginABI

/// The body shared by `excel/search` and `csv/search`: filters the rows of input 0 and writes the matches, in their
/// original order and with their types, as XLSX, CSV or JSON.
///
/// Arguments (checked in the original's order, before the input is read): `conditions` (non-empty), `logic`
/// (`AND`/`OR`, any case), `output_format` (`xlsx`/`csv`/`json`, any case); then each condition against the header.
/// Streams: one batch of rows at a time, whatever the file's size.
///
/// Result: `total_rows`, `filtered_rows`, `conditions_applied`; as a workflow step, `statistics` with the first
/// two, as the original's workflow returned.
public enum TableSearch {
    /// The arguments schema of both search operations.
    public static func argumentsSchema(defaultFormat: String) -> String {
        #"{"type":"object","properties":{"conditions":{"type":"array","description":"Search conditions: {column, operator, value}","items":{"type":"object","required":["column","operator"],"properties":{"column":{"type":"string"},"operator":{"type":"string","description":"equals, not_equals, contains, not_contains, starts_with, ends_with, is_empty, is_not_empty, greater_than, greater_than_or_equal, less_than, less_than_or_equal, between, before, after, regex"},"value":{"description":"The value compared with (between: [low, high]; is_empty and is_not_empty take none)"}}}},"logic":{"type":"string","description":"AND (default) or OR"},"output_format":{"type":"string","description":"xlsx, csv or json (default \#(defaultFormat))"}}}"#
    }

    public static let successMessage = "Search completed successfully. {filtered_rows} rows matched."

    public static func run(_ call: OperationCall, defaultFormat: String) throws(OperationFailure) {
        let args = try call.arguments()
        let items = args["conditions"]?.arrayValue ?? []
        guard !items.isEmpty else { throw .invalidArgument("At least one search condition is required") }
        guard let logic = SearchFilter.Logic(rawValue: (args["logic"]?.stringValue ?? "AND").uppercased()) else {
            throw .invalidArgument("Logic must be either 'AND' or 'OR'")
        }
        let format: pz_output_format
        switch (args["output_format"]?.stringValue ?? defaultFormat).lowercased() {
        case "xlsx": format = PZ_FORMAT_XLSX
        case "csv": format = PZ_FORMAT_CSV
        case "json": format = PZ_FORMAT_JSON
        default: throw .invalidArgument("Output format must be xlsx, csv, or json")
        }

        let input = try call.openInput(0)
        defer { input.close() }
        let lookup = ColumnLookup(input.columnNames)
        var conditions: [SearchCondition] = []
        for item in items { conditions.append(try SearchCondition(item, lookup: lookup)) }
        let filter = SearchFilter(conditions: conditions, logic: logic)

        // Search results carry no Info sheet, as the original's did.
        let output = try call.createOutputTable(columns: input.columnNames, suffix: "search", format: format,
                                                infoSheet: false)
        var scan = BatchScan(input, call: call, message: "Searching")
        var kept: [pz_cell] = []
        var matched: Int64 = 0
        while let batch = try scan.next() {
            kept.removeAll(keepingCapacity: true)
            var rows = 0
            for r in 0..<batch.rowCount {
                let row = batch.row(r)
                if try filter.matches(row) {
                    kept.append(contentsOf: row)
                    rows += 1
                }
            }
            // The kept cells borrow the batch's text, so they are written before the next batch is read.
            if rows > 0 {
                try kept.withUnsafeBufferPointer { buf throws(OperationFailure) in try output.append(rows: buf, rowCount: rows) }
            }
            matched += Int64(rows)
        }
        try output.finish()
        call.setResult([
            "total_rows": .int(scan.rowsRead),
            "filtered_rows": .int(matched),
            "conditions_applied": .int(Int64(conditions.count)),
            "$workflow": ["statistics": ["total_rows": .int(scan.rowsRead), "filtered_rows": .int(matched)]],
        ])
    }
}
