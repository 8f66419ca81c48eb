import PycelizeJSON

/// A plugin operation in the OpenAPI document: its one-shot endpoint `POST {prefix}/{name}` (and `GET` for
/// operations that read no file), with a multipart body made from the operation's input flags and its arguments'
/// JSON Schema (see `OperationEndpoint` for how the fields are read).
enum OpenAPIOperations {
    typealias C = OpenAPIComponents

    static func add(_ op: LoadedOperation, to paths: inout OpenAPIPaths, prefix: String) {
        let path = "\(prefix)/\(op.name)"
        let description = "Plugin `\(op.pluginName)`. On success: \"\(op.successMessage)\" ({key} filled from the result)."
        let responses = C.responses([(200, C.jsonResponse("The operation's result", data: resultSchema))])
        paths.add("post", path, OpenAPIDocument.operation("post", path, summary: op.summary, tag: op.pluginName,
                                                          description: description, requestBody: requestBody(op),
                                                          responses: responses))
        if !op.needsInput && !op.twoInputs {
            paths.add("get", path, OpenAPIDocument.operation("get", path, summary: op.summary, tag: op.pluginName,
                                                             description: description + " Called without arguments.",
                                                             responses: responses))
        }
    }

    /// The plugin's result object, plus the host's download links.
    static var resultSchema: JSONValue {
        C.object([
            ("download_url", ["type": "string", "format": "uri", "description": "The first output (when there is one)"]),
            ("output_files", ["type": "array", "items": C.schemaRef("OutputFile"), "description": "Every output, in order"]),
        ])
    }

    /// File fields per the input flags, one field per argument (type, enum, default, description from its
    /// schema), and `output_filename`. Arguments named like host fields (`bind_file` names a conversation file in
    /// workflows) are the uploaded files in a one-shot call, so the file field documents them.
    static func requestBody(_ op: LoadedOperation) -> JSONValue {
        var properties: [(String, JSONValue)] = []
        var required: [String] = []
        if op.twoInputs {
            properties.append(("source_file", OpenAPIDocument.fileField("The source table (.csv, .xlsx)")))
            properties.append(("bind_file", OpenAPIDocument.fileField("The table to bind (.csv, .xlsx); also accepted as target_file")))
            required = ["source_file", "bind_file"]
        } else if op.needsInput {
            properties.append(("file", OpenAPIDocument.fileField("The input table (.csv, .xlsx)")))
            required = ["file"]
        }
        var encoding: [(String, JSONValue)] = []
        for (name, schema) in op.schema["properties"]?.objectValue ?? [] where !OperationEndpoint.hostFields.contains(name) {
            properties.append((name, schema))
            if let type = schema["type"]?.stringValue, type == "array" || type == "object" {
                encoding.append((name, ["contentType": "application/json"]))
            }
        }
        for case .string(let name) in op.schema["required"]?.arrayValue ?? []
            where !required.contains(name) && !OperationEndpoint.hostFields.contains(name) {
            required.append(name)
        }
        properties.append(("output_filename", ["type": "string", "description": "Name of the (first) output file; sanitised, extension added"]))
        return OpenAPIDocument.multipartBody(properties, required: required, bodyRequired: !required.isEmpty, encoding: encoding)
    }
}
