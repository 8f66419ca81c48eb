import PluginABI
import PluginKit

/// `excel/extract-columns-to-file`: the requested columns, in the requested order, as a new workbook; with
/// `remove_duplicates`, only the first of identical rows (compared on typed values: `"42"` text ≠ `42`).
///
/// Streams: without de-duplication one batch is held at a time; with it, a hash set of each kept row's typed key
/// as well, and nothing else.
enum ExcelExtractColumnsToFile {
    static let operation = PluginDefinition.Operation(
        name: "excel/extract-columns-to-file",
        summary: "Write the requested columns (in the requested order) to a new workbook, optionally dropping duplicate rows",
        argumentsSchema: #"{"type":"object","properties":{"columns":{"type":"array","items":{"type":"string"},"description":"Columns to extract, in output order"},"remove_duplicates":{"type":"boolean","description":"Keep only the first of identical rows (default false)"}}}"#,
        successMessage: "Extracted Excel file generated successfully",
        body: run
    )

    @Sendable static func run(_ call: OperationCall) throws(OperationFailure) {
        let args = try call.arguments()
        let columns = args["columns"]?.stringList ?? []
        guard !columns.isEmpty else { throw .invalidArgument("No columns specified for extraction") }
        let dedup = args["remove_duplicates"]?.boolValue ?? false

        let input = try call.openInput(0)
        defer { input.close() }
        let picked = try ColumnLookup(input.columnNames).indices(of: columns)
        let output = try call.createOutputTable(columns: columns, suffix: "extracted")
        var scan = BatchScan(input, call: call, message: "Extracting")
        var seen = Set<[CellKey]>()
        var cells: [pz_cell] = []
        cells.reserveCapacity(picked.count * 1024)
        while let batch = try scan.next() {
            cells.removeAll(keepingCapacity: true)
            var rows = 0
            for r in 0..<batch.rowCount {
                let row = batch.row(r)
                if dedup && !seen.insert(picked.map { CellKey.exact(row[$0]) }).inserted { continue }
                for c in picked { cells.append(row[c]) }
                rows += 1
            }
            // The cells borrow the batch's text: written before the next batch is read.
            if rows > 0 {
                try cells.withUnsafeBufferPointer { buf throws(OperationFailure) in try output.append(rows: buf, rowCount: rows) }
            }
        }
        try output.finish()
    }
}
