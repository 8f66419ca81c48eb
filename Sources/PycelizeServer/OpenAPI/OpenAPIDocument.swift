import PycelizeJSON

/// The OpenAPI 3.1 document served at `GET {prefix}/openapi.json`, generated at start-up from the host's own
/// routes and every loaded plugin operation, so a third-party plugin's operation is documented as soon as it loads.
enum OpenAPIDocument {
    /// Builds the document for `config` and the loaded `operations`.
    static func build(config: ServerConfig, operations: [LoadedOperation]) -> JSONValue {
        var paths = OpenAPIPaths()
        OpenAPIHostRoutes.add(to: &paths, prefix: config.apiPrefix)
        OpenAPIChatRoutes.add(to: &paths, prefix: config.apiPrefix)
        OpenAPIPreviewRoutes.add(to: &paths, prefix: config.apiPrefix)
        for op in operations { OpenAPIOperations.add(op, to: &paths, prefix: config.apiPrefix) }
        return .object([
            ("openapi", "3.1.0"),
            ("info", .object([
                ("title", .string("\(config.appName) API")),
                ("version", .string(config.appVersion)),
                ("description", .string("""
                    Excel/CSV processing. Every JSON answer is the envelope {data, message, meta, status_code, total}; \
                    errors use the same envelope with the HTTP status. Operations come from plugins: each is \
                    `POST \(config.apiPrefix)/{operation}` with a multipart body (the input file(s) and one form \
                    field per argument; array/object arguments are JSON text).
                    """)),
            ])),
            ("servers", [["url": "/"]]),
            ("paths", paths.json),
            ("components", OpenAPIComponents.json),
        ])
    }

    /// An Operation Object.
    static func operation(_ method: String, _ path: String, summary: String, tag: String, description: String? = nil,
                          parameters: [JSONValue] = [], requestBody: JSONValue? = nil, responses: JSONValue) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("operationId", .string(OpenAPIPaths.operationID(method, path))),
            ("summary", .string(summary)),
            ("tags", [.string(tag)]),
        ]
        if let description { members.append(("description", .string(description))) }
        if !parameters.isEmpty { members.append(("parameters", .array(parameters))) }
        if let requestBody { members.append(("requestBody", requestBody)) }
        members.append(("responses", responses))
        return .object(members)
    }

    /// A multipart body with the given form fields.
    static func multipartBody(_ properties: [(String, JSONValue)], required: [String], bodyRequired: Bool,
                              encoding: [(String, JSONValue)] = []) -> JSONValue {
        var media: [(String, JSONValue)] = [("schema", OpenAPIComponents.object(properties, required: required))]
        if !encoding.isEmpty { media.append(("encoding", .object(encoding))) }
        return .object([("required", .bool(bodyRequired)), ("content", .object([("multipart/form-data", .object(media))]))])
    }

    /// An uploaded file form field.
    static func fileField(_ description: String) -> JSONValue {
        ["type": "string", "contentMediaType": "application/octet-stream", "description": .string(description)]
    }
}
