import PluginABI
import PluginKit

/// `json/generate`: one JSON object per row, keys renamed by `column_mapping`, typed values, streamed.
enum JSONGenerate {
    static let operation = PluginDefinition.Operation(
        name: "json/generate",
        summary: "A JSON array of one object per row (column selection, key mapping, null handling)",
        argumentsSchema: #"{"type":"object","properties":{"columns":{"type":"array","items":{"type":"string"},"description":"Columns to include (default all)"},"column_mapping":{"type":"object","additionalProperties":{"type":"string"},"description":"{column: json_key}; absent or empty = every selected column under its own name"},"pretty_print":{"type":"boolean","description":"Indent by 2 (default true)"},"null_handling":{"type":"string","description":"include (default): null; exclude: drop the key; default: empty string"},"array_wrapper":{"type":"boolean","description":"Always a list (default true); false = a bare object when there is one row"}}}"#,
        successMessage: "JSON file generated successfully",
        body: run
    )

    enum NullHandling: String { case include, exclude, `default` }

    @Sendable static func run(_ call: OperationCall) throws(OperationFailure) {
        let args = try call.callArguments()
        let nullText = args.string("null_handling") ?? "include"
        guard let nulls = NullHandling(rawValue: nullText) else {
            throw .invalidArgument("Invalid null_handling: \(nullText). Must be 'include', 'exclude', or 'default'")
        }
        let pretty = args.bool("pretty_print", default: true)
        let wrapper = args.bool("array_wrapper", default: true)
        let columns = try args.stringList("columns")
        let mapping = try args.stringMapping("column_mapping")

        let input = try call.openInput(0)
        defer { input.close() }
        let names = input.columnNames
        let missing = columns.filter { !names.contains($0) }
        guard missing.isEmpty else { throw .invalidArgument("Columns not found: \(missing.joined(separator: ", "))") }
        let frame = columns.isEmpty ? names : columns
        let notInData = mapping.map(\.0).filter { !frame.contains($0) }
        guard notInData.isEmpty else {
            throw .invalidArgument("Columns not found in data: \(notInData.joined(separator: ", "))")
        }
        let pairs = mapping.isEmpty ? frame.map { ($0, $0) } : mapping
        // Pre-escaped `"key": ` per field, and the input column it reads.
        let fields: [(key: [UInt8], column: Int)] = pairs.compactMap { pair in
            guard let c = names.firstIndex(of: pair.0) else { return nil }
            var key: [UInt8] = []
            JSONCellWriter.appendString(pair.1, to: &key)
            key.append(contentsOf: ": ".utf8)
            return (key, c)
        }

        let out = try call.createTextOutput(suffix: args.isWorkflow ? "json" : "generated", fileExtension: "json")
        let document = JSONDocumentWriter(out, shape: wrapper ? .array : .singleWhenOne, pretty: pretty)
        var scan = BatchScan(input, call: call, message: "Writing JSON records")
        while let batch = try scan.next() {
            for r in 0..<batch.rowCount {
                let row = batch.row(r)
                try document.append { buffer, level in
                    appendObject(row, fields, nulls: nulls, pretty: pretty, level: level, to: &buffer)
                }
            }
        }
        document.finish(emptyDocument: wrapper ? "[]" : "{}")
        try out.finish()
        let records = !wrapper && document.count <= 1 ? 1 : document.count  // a bare object counts as one
        call.setResult(.object([("total_records", .int(Int64(records))), ("file_size", .int(Int64(out.bytesWritten)))]))
    }

    static func appendObject(_ row: UnsafeBufferPointer<pz_cell>, _ fields: [(key: [UInt8], column: Int)],
                             nulls: NullHandling, pretty: Bool, level: Int, to out: inout [UInt8]) {
        out.append(0x7B)
        var first = true
        for field in fields {
            let cell = row[field.column]
            let empty = JSONCellWriter.isEmpty(cell)
            if empty && nulls == .exclude { continue }
            if !first { out.append(0x2C); if !pretty { out.append(0x20) } }
            if pretty { JSONValueWriter.newline(level + 1, &out) }
            first = false
            out.append(contentsOf: field.key)
            if !empty { JSONCellWriter.append(cell, to: &out) }
            else if nulls == .default { out.append(0x22); out.append(0x22) }
            else { out.append(contentsOf: "null".utf8) }
        }
        if pretty && !first { JSONValueWriter.newline(level, &out) }
        out.append(0x7D)
    }
}
