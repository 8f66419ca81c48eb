import PluginABI
import PluginKit

/// `normalization/apply`: applies the requested normalisations in order to the first sheet of the input and writes
/// the result (`{input}_normalized_{ts}.xlsx`, with the Info sheet). Per-item problems (unknown column, unknown
/// type, bad parameter) are recorded in the report and never fail the request; request-level problems (no items,
/// `custom_function`, a regular expression that does not compile) are 422.
///
/// `backup_original` (per item, else the top-level argument, else the plugin setting, default false) adds `{column}_original` with the
/// input's value — only for items that are applied. Rows stream; two-pass types add statistics passes (rewind).
enum NormalizeApply {
    static let operation = PluginDefinition.Operation(
        name: "normalization/apply",
        summary: "Normalise column values (text case, patterns, numbers, statistics, dates, booleans, categories)",
        argumentsSchema: #"{"type":"object","properties":{"normalizations":{"description":"JSON array of {column_name, normalization_type, parameters, backup_original} (also {column, type})"},"return_report":{"type":"boolean","description":"Return the normalisation report (default false over REST, true in workflows, as the original)"},"backup_original":{"type":"boolean","description":"Default of every item's backup_original (default false)"}}}"#,
        successMessage: "Normalization completed successfully",
        body: run
    )

    @Sendable static func run(_ call: OperationCall) throws(OperationFailure) {
        let args = try call.arguments()
        let requested = try NormalizationItem.list(args)
        // The original's defaults differ by surface: no report over REST, a report in workflows.
        let inWorkflow = args["_call_kind"]?.stringValue == "workflow"
        let returnReport = args["return_report"]?.boolValue ?? inWorkflow
        // The admin's default (plugins.d/25-normalize.yml `settings: backup_original`), else false.
        let backupDefault = args["backup_original"]?.boolValue
            ?? call.pluginSettings()["backup_original"]?.boolValue ?? false

        let input = try call.openInput(0)
        defer { input.close() }
        var report = NormalizationReport()
        report.requested = requested.map(\.requestedJSON)
        let pipeline = try prepareItems(requested, columns: input.columnNames, report: &report)
        let backups = BackupColumns(items: pipeline.items, columns: input.columnNames, backupDefault: backupDefault)

        let statisticsPasses = Double(pipeline.items.filter { !$0.prepared }.count)
        try pipeline.prepare(input, call: call) { n in call.progress(min(0.5, Double(n) / (statisticsPasses + 1)), "Gathering statistics") }
        try input.rewind()
        pipeline.items.forEach { $0.normalizer.beginPass() }

        let columns = input.columnNames + backups.appended.map(\.name)
        let output = try call.createOutputTable(columns: columns, suffix: "normalized")
        var rows = RowBuffer(columnCount: columns.count)
        var slotOf = [Int?](repeating: nil, count: input.columnNames.count)
        for (s, c) in pipeline.slotColumns.enumerated() { slotOf[c] = s }
        var work = [CellValue](repeating: .null, count: pipeline.slotColumns.count)
        var total: Int64 = 0
        let hint = max(input.rowCountHint, 1)
        let startFraction = statisticsPasses > 0 ? 0.5 : 0.0
        while true {
            let batch = try input.nextBatch()
            if batch.rowCount == 0 { break }
            for r in 0..<batch.rowCount {
                let row = batch.row(r)
                for (s, c) in pipeline.slotColumns.enumerated() { work[s] = CellValue(row[c]) }
                guard try pipeline.run(&work, stats: returnReport) else { continue }
                // Untouched cells pass through uncopied; `rows` is flushed before the next batch.
                for c in 0..<row.count {
                    if let source = backups.overwrite[c] { rows.appendBorrowed(row[source]) } else if let s = slotOf[c] { rows.append(work[s]) } else { rows.appendBorrowed(row[c]) }
                }
                for b in backups.appended { rows.appendBorrowed(row[b.source]) }
            }
            try rows.flush(to: output)
            total += Int64(batch.rowCount)
            try call.checkCancelled()
            call.progress(startFraction + (1 - startFraction) * min(0.99, Double(total) / Double(hint)), "Normalizing rows")
        }
        try output.finish()

        guard returnReport else {
            // REST answers `{download_url}` as the original; a workflow step keeps `report: null`.
            call.setResult(.object(inWorkflow ? [("report", .null)] : []))
            return
        }
        report.totalRows = total
        for item in pipeline.items {
            report.processed(column: item.request.column, type: item.type.rawValue, parameters: item.request.parameters,
                             before: item.before, after: item.after)
        }
        call.setResult(.object([("report", report.json), ("$output_file", .bool(true))]))
    }

    /// Resolves columns and types and builds each normaliser; what cannot run goes to the report.
    static func prepareItems(_ requested: [NormalizationItem], columns: [String],
                             report: inout NormalizationReport) throws(OperationFailure) -> NormalizationPipeline {
        var items: [PreparedItem] = []
        var slotColumns: [Int] = []
        for request in requested {
            guard let column = columns.firstIndex(of: request.column) else {
                report.warn("Column '\(request.column)' not found")
                continue
            }
            guard let type = NormalizationType(name: request.typeName) else {
                report.fail("Error normalizing '\(request.column)': \(NormalizationType.invalidTypeMessage(request.typeName))")
                continue
            }
            let normalizer: ColumnNormalizer
            do throws(NormalizerFactory.Failure) {
                normalizer = try NormalizerFactory.make(type, request.parameters)
            } catch {
                switch error {
                case .item(let message):
                    report.fail("Error normalizing '\(request.column)': \(message)")
                    continue
                case .request(let failure):
                    throw failure
                }
            }
            if !slotColumns.contains(column) { slotColumns.append(column) }
            let slot = slotColumns.firstIndex(of: column) ?? 0
            items.append(PreparedItem(request: request, type: type, column: column, slot: slot, normalizer: normalizer))
        }
        return NormalizationPipeline(items: items, slotColumns: slotColumns)
    }
}

/// The `{column}_original` columns: an existing column of that name is overwritten in place, otherwise the backup
/// is appended (in the order the items first ask for it). Each holds the input's value, whatever the chain did.
struct BackupColumns {
    struct Appended {
        let name: String
        let source: Int
    }

    private(set) var appended: [Appended] = []
    /// For each input column: the input column whose value overwrites it, if it is a backup.
    private(set) var overwrite: [Int?]

    init(items: [PreparedItem], columns: [String], backupDefault: Bool) {
        overwrite = [Int?](repeating: nil, count: columns.count)
        for item in items where item.request.backup ?? backupDefault {
            let name = columns[item.column] + "_original"
            if let existing = columns.firstIndex(of: name) {
                if existing != item.column { overwrite[existing] = item.column }
            } else if !appended.contains(where: { $0.name == name }) {
                appended.append(Appended(name: name, source: item.column))
            }
        }
    }
}
