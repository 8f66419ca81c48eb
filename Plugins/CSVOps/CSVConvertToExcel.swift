import PluginABI
import PluginKit

/// `csv/convert-to-excel`: writes the input as an `.xlsx` (data sheet + Info sheet).
///
/// Typing rule (docs/compatibility.md): a column is written as numbers only when every non-empty value in it is a
/// plain decimal number without leading zeros and with at most 15 significant digits (so phone numbers like
/// `0901234567`, codes like `007`, and long identifiers stay text). Everything else stays text. This needs two
/// passes over the input: one to decide, one to write.
enum CSVConvertToExcel {
    static let operation = PluginDefinition.Operation(
        name: "csv/convert-to-excel",
        summary: "Convert a CSV file to an Excel workbook (numeric columns become numbers, everything else stays text)",
        argumentsSchema: #"{"type":"object","properties":{"sheet_name":{"type":"string","maxLength":31,"description":"Name of the data sheet (default: the configured default, Sheet1)"}}}"#,
        successMessage: "Converted to Excel file successfully",
        body: run
    )

    @Sendable static func run(_ call: OperationCall) throws(OperationFailure) {
        let args = try call.arguments()
        let sheetName = args["sheet_name"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let input = try call.openInput(0)
        defer { input.close() }
        let width = input.columnNames.count

        // Pass 1: which columns are numeric?
        var numeric = [Bool](repeating: true, count: width)
        var total: Int64 = 0
        while true {
            let batch = try input.nextBatch()
            if batch.rowCount == 0 { break }
            for r in 0..<batch.rowCount {
                let row = batch.row(r)
                for c in 0..<width where numeric[c] {
                    let cell = row[c]
                    if cell.isNull { continue }
                    if cell.isText {
                        if cell.text_len > 0 && !NumericText.isPlainDecimal(cell.utf8) { numeric[c] = false }
                    } else if cell.type != UInt32(PZ_CELL_INT.rawValue) && cell.type != UInt32(PZ_CELL_FLOAT.rawValue) {
                        numeric[c] = false
                    }
                }
            }
            total += Int64(batch.rowCount)
            if call.isCancelled { throw OperationFailure(PZ_ERR_CANCELLED, "cancelled") }
            call.progress(0.1, "Scanning column types")
        }

        // Pass 2: write. Batches with numeric columns are copied once and only those columns' cells converted.
        try input.rewind()
        let output = try call.createOutputTable(columns: input.columnNames, suffix: "converted", sheetName: sheetName)
        let numericColumns = numeric.indices.filter { numeric[$0] }
        var converted: [pz_cell] = []
        var done: Int64 = 0
        while true {
            let batch = try input.nextBatch()
            if batch.rowCount == 0 { break }
            if numericColumns.isEmpty {
                try output.append(rows: batch.cells, rowCount: batch.rowCount)
            } else {
                converted.removeAll(keepingCapacity: true)
                converted.append(contentsOf: batch.cells)
                converted.withUnsafeMutableBufferPointer { cells in
                    for rowStart in stride(from: 0, to: cells.count, by: width) {
                        for c in numericColumns where cells[rowStart + c].isText {
                            let cell = cells[rowStart + c]
                            cells[rowStart + c] = cell.text_len == 0 ? pz_cell() : NumericText.cell(cell.utf8)
                        }
                    }
                }
                try converted.withUnsafeBufferPointer { buf throws(OperationFailure) in
                    try output.append(rows: buf, rowCount: batch.rowCount)
                }
            }
            done += Int64(batch.rowCount)
            if call.isCancelled { throw OperationFailure(PZ_ERR_CANCELLED, "cancelled") }
            call.progress(0.1 + 0.9 * Double(done) / Double(max(total, 1)), "Converting rows \(done)/\(total)")
        }
        try output.finish()
    }
}
