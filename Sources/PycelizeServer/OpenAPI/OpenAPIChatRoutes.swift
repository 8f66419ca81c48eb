import PycelizeJSON

/// The chat workflow routes in the OpenAPI document (see `ChatRoutes`). When `chat_workflows.enabled` is false
/// they all answer 422, which every one of them documents.
enum OpenAPIChatRoutes {
    typealias C = OpenAPIComponents

    static func add(to paths: inout OpenAPIPaths, prefix: String) {
        let base = "\(prefix)/chat/workflows"
        func route(_ method: String, _ path: String, _ summary: String, status: Int = 200, data: JSONValue?,
                   parameters: [JSONValue] = [], body: JSONValue? = nil, errors: [Int] = [400, 404, 405, 422, 500]) {
            paths.add(method, path, OpenAPIDocument.operation(
                method, path, summary: summary, tag: "chat workflows", parameters: parameters, requestBody: body,
                responses: C.responses([(status, C.jsonResponse(summary, data: data))], errors: errors)))
        }
        let conversation = C.object([("chat_id", C.string), ("participant_name", C.string), ("status", C.string),
                                     ("partition_key", C.string), ("metadata", C.anyObject),
                                     ("created_at", C.string), ("updated_at", C.string)])
        route("post", base, "Create a conversation", status: 201, data: conversation)
        let query: [JSONValue] = [
            ["name": "status", "in": "query", "required": false, "schema": C.string],
            ["name": "limit", "in": "query", "required": false, "schema": ["type": "integer", "minimum": 0, "default": 100]],
            ["name": "offset", "in": "query", "required": false, "schema": ["type": "integer", "minimum": 0, "default": 0]],
        ]
        route("get", base, "List conversations (newest first; limit at most 1000)",
              data: C.object([("conversations", ["type": "array", "items": conversation]), ("count", C.integer)]),
              parameters: query)
        route("get", "\(base)/{chat_id}", "A conversation with its messages, steps and files", data: conversation)
        route("delete", "\(base)/{chat_id}", "Delete a conversation and its files", data: C.object([("chat_id", C.string)]))
        route("post", "\(base)/{chat_id}/upload", "Upload a file into a conversation",
              data: C.object([("filename", C.string), ("file_path", C.string), ("download_url", C.url)]),
              body: OpenAPIDocument.multipartBody([("file", OpenAPIDocument.fileField("The file (.csv, .xlsx, .xls, .json)"))],
                                                  required: ["file"], bodyRequired: true),
              errors: [400, 404, 405, 413, 422, 500, 503])
        route("post", "\(base)/{chat_id}/execute", "Run steps in order; each step reads the previous step's output",
              data: C.object([("results", ["type": "array", "items": C.anyObject]),
                              ("output_files", ["type": "array", "items": C.object([("file_path", C.string), ("download_url", C.url)])])]),
              body: ["required": true, "content": ["application/json": ["schema": stepsSchema]]],
              errors: [400, 404, 405, 409, 413, 415, 422, 500, 503])
        route("post", "\(base)/{chat_id}/dump", "Archive a conversation (.tar.gz)",
              data: C.object([("dump_file", C.string), ("download_url", C.url)]))
        route("post", "\(base)/restore", "Restore a conversation from a dump archive", data: conversation,
              body: OpenAPIDocument.multipartBody([("dump_file", OpenAPIDocument.fileField("A dump archive (.tar.gz)"))],
                                                  required: ["dump_file"], bodyRequired: true),
              errors: [400, 404, 405, 413, 422, 500, 503])
        let dumps = "\(prefix)/chat/downloads/{filename}"
        paths.add("get", dumps, OpenAPIDocument.operation("get", dumps, summary: "Download a dump archive", tag: "chat workflows",
                                                          responses: C.responses([(200, OpenAPIHostRoutes.download)], errors: [400, 404, 405, 422, 500])))
        route("post", "\(prefix)/chat/sqlite/backup", "Back up the conversation database",
              data: C.object([("backup_file", C.string), ("path", C.string)]))
        let files = "\(base)/{chat_id}/files/{filename}"
        paths.add("get", files, OpenAPIDocument.operation("get", files, summary: "Download a conversation's file", tag: "chat workflows",
                                                          responses: C.responses([(200, OpenAPIHostRoutes.download)], errors: [400, 404, 405, 422, 500])))
    }

    /// The body of `execute` (and of `pycelize workflow run`).
    static var stepsSchema: JSONValue {
        C.object([("steps", ["type": "array", "items": C.object([("operation", C.string), ("arguments", C.anyObject)],
                                                                  required: ["operation"])])],
                 required: ["steps"])
    }
}
