import PycelizeJSON

/// The preview routes in the OpenAPI document (see `PreviewRoutes`, `TablePreview`).
enum OpenAPIPreviewRoutes {
    typealias C = OpenAPIComponents

    /// `data` of a preview answer.
    static var preview: JSONValue {
        let cell: JSONValue = ["type": ["string", "number", "boolean", "null"],
                               "description": "A number, a boolean, text (dates as ISO 8601 text), or null for an empty cell"]
        return C.object([
            ("file_name", C.string),
            ("format", ["type": "string", "enum": ["csv", "xlsx"]]),
            ("columns", ["type": "array", "items": C.string]),
            ("column_types", ["type": "array", "items": ["type": "string",
                                                        "enum": ["integer", "number", "boolean", "date", "text", "mixed", "empty"]]]),
            ("rows", ["type": "array", "items": ["type": "array", "items": cell]]),
            ("row_count", C.integer),
            ("limit", C.integer),
            ("truncated", ["type": "boolean", "description": "True when the file has more rows than were returned"]),
            ("total_rows", ["type": ["integer", "null"], "description": "Data rows in the file when known (null: unknown)"]),
        ], required: ["file_name", "format", "columns", "column_types", "rows", "row_count", "limit", "truncated", "total_rows"])
    }

    static let parameters: [JSONValue] = [
        ["name": "limit", "in": "query", "required": false,
         "description": "Rows to return (default 50; above 1000 is read as 1000; not a non-negative integer → 422)",
         "schema": ["type": "integer", "minimum": 0, "default": 50]],
        ["name": "sheet_name", "in": "query", "required": false,
         "description": "The XLSX sheet (default: the first); a CSV has only Sheet1", "schema": C.string],
    ]

    static func add(to paths: inout OpenAPIPaths, prefix: String) {
        let routes = [
            ("\(prefix)/files/preview/{filename}", "Preview a generated file (the first rows of a .csv or .xlsx, typed)", "service"),
            ("\(prefix)/chat/workflows/{chat_id}/files/{filename}/preview",
             "Preview a conversation's file (the first rows of a .csv or .xlsx, typed)", "chat workflows"),
        ]
        for (path, summary, tag) in routes {
            paths.add("get", path, OpenAPIDocument.operation(
                "get", path, summary: summary, tag: tag, parameters: parameters,
                responses: C.responses([(200, C.jsonResponse(summary, data: preview))], errors: [400, 404, 405, 422, 500])))
        }
    }
}
