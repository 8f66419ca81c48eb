#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PluginABI
import PluginKit

/// `excel/extract-columns`: the values of the requested columns inline, with counts and (numeric columns) statistics.
///
/// Unknown columns are skipped, as in the original. Values keep their types (numbers are JSON numbers, empty cells
/// null); with `remove_duplicates` each column keeps its distinct non-empty values in first-appearance order.
/// As a workflow step the object is returned under `data`, as the original's workflow did.
enum ExcelExtractColumns {
    static let operation = PluginDefinition.Operation(
        name: "excel/extract-columns",
        summary: "The values of the requested columns inline, with counts and statistics",
        argumentsSchema: #"{"type":"object","properties":{"columns":{"type":"array","items":{"type":"string"},"description":"Columns to extract (unknown ones are skipped)"},"remove_duplicates":{"type":"boolean","description":"Distinct values per column (default false)"},"include_statistics":{"type":"boolean","description":"Counts, type and numeric statistics per column (default true)"}}}"#,
        successMessage: "Successfully extracted columns",
        body: run
    )

    @Sendable static func run(_ call: OperationCall) throws(OperationFailure) {
        let args = try call.arguments()
        let requested = args["columns"]?.stringList ?? []
        guard !requested.isEmpty else { throw .invalidArgument("No columns specified for extraction") }
        let dedup = args["remove_duplicates"]?.boolValue ?? false
        let withStatistics = args["include_statistics"]?.boolValue ?? true

        let input = try call.openInput(0)
        defer { input.close() }
        let lookup = ColumnLookup(input.columnNames)
        var found: [(name: String, index: Int)] = []
        for name in requested where !found.contains(where: { $0.name == name }) {
            if let i = lookup.index(of: name) { found.append((name, i)) } else { call.log(PZ_LOG_INFO, "extract-columns: no column '\(name)'") }
        }
        var summaries = found.map { _ in ColumnSummary(removeDuplicates: dedup, countDistinct: withStatistics) }
        var types = ColumnTypeTracker(columnCount: input.columnNames.count)
        var scan = BatchScan(input, call: call, message: "Extracting")
        while let batch = try scan.next() {
            if withStatistics { types.observe(batch) }
            for r in 0..<batch.rowCount {
                let row = batch.row(r)
                for k in found.indices { summaries[k].add(row[found[k].index]) }
            }
        }

        var columns: [(String, JSONValue)] = []
        for (k, column) in found.enumerated() {
            columns.append((column.name, summaries[k].result(typeName: types.typeName(column.index), includeStatistics: withStatistics)))
        }
        let data: JSONValue = [
            "extraction_info": [
                "total_rows": .int(scan.rowsRead), "extracted_columns": .array(requested.map { .string($0) }),
                "remove_duplicates": .bool(dedup), "timestamp": .string(localTimestamp()),
            ],
            "columns": .object(columns),
        ]
        call.setResult(data
            .setting("$message", .string("Successfully extracted \(requested.count) columns"))
            .setting("$workflow", ["data": data]))
    }

    /// Local wall-clock time with microseconds, as the original's `datetime.now().isoformat()`.
    static func localTimestamp() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        var t = tm()
        var seconds = tv.tv_sec
        localtime_r(&seconds, &t)
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(Int(t.tm_year) + 1900, 4))-\(pad(Int(t.tm_mon) + 1, 2))-\(pad(Int(t.tm_mday), 2))T"
            + "\(pad(Int(t.tm_hour), 2)):\(pad(Int(t.tm_min), 2)):\(pad(Int(t.tm_sec), 2)).\(pad(Int(tv.tv_usec), 6))"
    }
}
