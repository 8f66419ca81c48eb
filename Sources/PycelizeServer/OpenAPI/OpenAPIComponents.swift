import PycelizeJSON

/// Shared parts of the OpenAPI document: the response envelope every route answers, and one error response per
/// documented status.
enum OpenAPIComponents {
    /// The statuses every API route may answer with the error envelope (see docs/compatibility.md).
    static let errorStatuses = [400, 404, 405, 413, 422, 500, 503]

    static func reason(_ status: Int) -> String {
        switch status {
        case 400: return "Bad request (malformed body, invalid file name)"
        case 404: return "Not found"
        case 405: return "Method not allowed"
        case 413: return "Request entity too large"
        case 409: return "Conflict (a workflow is already running for this conversation)"
        case 415: return "Unsupported media type"
        case 422: return "Validation error (missing file, invalid argument, unreadable input)"
        case 500: return "Internal server error"
        case 503: return "Busy (too many uploads at once); retry after Retry-After seconds"
        default: return "Error"
        }
    }

    static func schemaRef(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }
    static func responseRef(_ status: Int) -> JSONValue { ["$ref": .string("#/components/responses/Error\(status)")] }

    /// The envelope with `data` described by `data` (any JSON when nil).
    static func envelope(data: JSONValue?) -> JSONValue {
        guard let data else { return schemaRef("Envelope") }
        return ["allOf": [schemaRef("Envelope"), ["type": "object", "properties": ["data": data]]]]
    }

    /// A JSON success response carrying the envelope.
    static func jsonResponse(_ description: String, data: JSONValue?) -> JSONValue {
        ["description": .string(description), "content": ["application/json": ["schema": envelope(data: data)]]]
    }

    /// An object schema with the given properties (other members allowed: results grow with new versions).
    static func object(_ properties: [(String, JSONValue)], required: [String] = []) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", "object"), ("properties", .object(properties))]
        if !required.isEmpty { members.append(("required", .array(required.map(JSONValue.string)))) }
        return .object(members)
    }

    static let string: JSONValue = ["type": "string"]
    static let integer: JSONValue = ["type": "integer"]
    static let anyObject: JSONValue = ["type": "object"]
    static let url: JSONValue = ["type": "string", "format": "uri"]

    static var json: JSONValue {
        let meta = object([("api_version", string), ("locale", string), ("request_id", string), ("requested_time", string)],
                          required: ["api_version", "locale", "request_id", "requested_time"])
        let envelope = object([
            ("data", ["description": "The route's result (any JSON value; null on framework-level errors)"]),
            ("message", string), ("meta", meta), ("status_code", integer), ("total", integer),
        ], required: ["data", "message", "meta", "status_code", "total"])
        let errorData: JSONValue = [
            "type": ["object", "null"],
            "properties": ["details": ["description": "Always null (kept for the original's clients)"], "error_type": string],
        ]
        let errorEnvelope: JSONValue = ["allOf": [schemaRef("Envelope"), ["type": "object", "properties": ["data": errorData]]]]
        var responses: [(String, JSONValue)] = []
        for status in errorStatuses + [409, 415] {
            var response: [(String, JSONValue)] = [
                ("description", .string(reason(status))),
                ("content", ["application/json": ["schema": schemaRef("ErrorEnvelope")]]),
            ]
            if status == 503 {
                response.append(("headers", ["Retry-After": ["description": "Seconds to wait", "schema": integer]]))
            }
            responses.append(("Error\(status)", .object(response)))
        }
        return .object([
            ("schemas", .object([("Envelope", envelope), ("ErrorEnvelope", errorEnvelope),
                                 ("OutputFile", object([("file_name", string), ("download_url", url)],
                                                       required: ["file_name", "download_url"]))])),
            ("responses", .object(responses)),
        ])
    }

    /// `responses` of an operation: its successes, then the error statuses (all of them unless `errors` narrows).
    static func responses(_ successes: [(Int, JSONValue)], errors: [Int] = errorStatuses) -> JSONValue {
        .object(successes.map { (String($0.0), $0.1) } + errors.map { (String($0), responseRef($0)) })
    }
}
