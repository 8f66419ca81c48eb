import PluginABI
import PluginKit

/// `json/generate-with-template`: every row poured into a JSON template (§3.9), aggregated as a list, a single
/// object, or `{"items": [...], "count": n}`; streamed.
enum JSONGenerateWithTemplate {
    static let operation = PluginDefinition.Operation(
        name: "json/generate-with-template",
        summary: "JSON built from a template per row ({name}, {name:int}, {name|default}); array, single or nested",
        argumentsSchema: #"{"type":"object","properties":{"template":{"description":"A JSON object (or its text) whose string values hold placeholders"},"column_mapping":{"type":["string","object"],"description":"{placeholder: column} (an object or its JSON text). Required over REST; workflows default to every column under its own name"},"aggregation_mode":{"type":"string","description":"array (default), single or nested"},"pretty_print":{"type":"boolean","description":"Indent by 2 (default true)"}}}"#,
        successMessage: "JSON file generated successfully with template",
        body: run
    )

    @Sendable static func run(_ call: OperationCall) throws(OperationFailure) {
        let args = try call.callArguments()
        let parsed = try parseTemplate(args)
        let mapping = try parseMapping(args)
        let modeText = args.string("aggregation_mode") ?? "array"
        let shape: JSONDocumentWriter.Shape
        switch modeText {
        case "array": shape = .array
        case "single": shape = .singleWhenOne
        case "nested": shape = .nested
        default: throw .invalidArgument("Invalid aggregation_mode: \(modeText). Must be 'array', 'single', or 'nested'")
        }
        let template = try checkShape(parsed)
        let pretty = args.bool("pretty_print", default: true)

        let input = try call.openInput(0)
        defer { input.close() }
        let names = input.columnNames
        let pairs = mapping.isEmpty ? names.map { ($0, $0) } : mapping
        let missing = pairs.map(\.1).filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw .invalidArgument("Columns not found in data: \(missing.joined(separator: ", "))")
        }
        var columnOf: [String: Int] = [:]
        for (placeholder, column) in pairs where columnOf[placeholder] == nil { columnOf[placeholder] = names.firstIndex(of: column) }
        let compiled = JSONTemplate(template) { columnOf[$0] }

        let out = try call.createTextOutput(suffix: args.isWorkflow ? "json_template" : "generated_template",
                                            fileExtension: "json")
        let document = JSONDocumentWriter(out, shape: shape, pretty: pretty)
        var scan = BatchScan(input, call: call, message: "Writing JSON records")
        while let batch = try scan.next() {
            for r in 0..<batch.rowCount {
                let row = batch.row(r)
                try document.append { buffer, level in compiled.write(row, level: level, pretty: pretty, to: &buffer) }
            }
        }
        document.finish()
        try out.finish()
        // nested → its count; a list → its length; a single object → 1; nothing → 0 (an empty list in every mode).
        let records = shape == .singleWhenOne && document.count == 1 ? 1 : document.count
        call.setResult(.object([("total_records", .int(Int64(records))), ("file_size", .int(Int64(out.bytesWritten)))]))
    }

    /// The template: a JSON object, or a text holding JSON (REST form fields), with the original's messages (its
    /// shape is checked after `column_mapping` and `aggregation_mode`, in the original's order).
    static func parseTemplate(_ args: CallArguments) throws(OperationFailure) -> JSONValue {
        guard var template = args["template"] else {
            if args.isWorkflow { throw .invalidArgument("Template cannot be empty") }
            throw .invalidArgument("template is required")
        }
        if case .string(let text) = template {
            if text.isEmpty && !args.isWorkflow { throw .invalidArgument("template is required") }
            do { template = try JSONParser.parse(text) } catch {
                throw .invalidArgument("Invalid template JSON: \(error)")
            }
        }
        return template
    }

    static func checkShape(_ template: JSONValue) throws(OperationFailure) -> JSONValue {
        switch template {
        case .object(let members) where members.isEmpty: throw .invalidArgument("Template cannot be empty")
        case .object, .string: return template
        default: throw .invalidArgument("Template must be a JSON string or dictionary")
        }
    }

    /// `{placeholder: column}`: an object, or its JSON text. Required and non-empty over REST.
    static func parseMapping(_ args: CallArguments) throws(OperationFailure) -> [(String, String)] {
        var value = args["column_mapping"]
        if case .string(let text)? = value {
            if text.isEmpty {
                value = nil
            } else {
                do { value = try JSONParser.parse(text) } catch {
                    throw .invalidArgument("Invalid column_mapping JSON: \(error)")
                }
            }
        }
        guard let v = value else {
            if args.isWorkflow { return [] }
            throw .invalidArgument("column_mapping is required")
        }
        guard let members = v.objectValue else { throw .invalidArgument("column_mapping must be a JSON object") }
        if members.isEmpty && !args.isWorkflow { throw .invalidArgument("column_mapping cannot be empty") }
        return try CallArguments.stringPairs(members, "column_mapping")
    }
}
