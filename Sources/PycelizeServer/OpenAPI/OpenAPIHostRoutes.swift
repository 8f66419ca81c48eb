import PycelizeJSON

/// The host's own routes in the OpenAPI document: health, plugin and operation listings, the document itself and
/// downloads (see `ServerRoutes`).
enum OpenAPIHostRoutes {
    typealias C = OpenAPIComponents

    /// Content types a download may have (see `FileDownload.contentType`).
    static let downloadTypes = [
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv", "application/json",
        "text/plain", "application/gzip", "application/octet-stream",
    ]

    /// A 200 response streaming a generated file as an attachment. A `.json` file holds whatever JSON the operation
    /// wrote (an array of records, an object), so its schema is any value; every other type is bytes.
    static var download: JSONValue {
        let content = JSONValue.object(downloadTypes.map {
            ($0, ["schema": $0 == "application/json" ? .object([]) : ["type": "string"]] as JSONValue)
        })
        return ["description": "The file, as an attachment", "content": content]
    }

    static func add(to paths: inout OpenAPIPaths, prefix: String) {
        func get(_ path: String, _ summary: String, data: JSONValue?, errors: [Int] = [405, 500]) {
            paths.add("get", path, OpenAPIDocument.operation("get", path, summary: summary, tag: "service",
                                                             responses: C.responses([(200, C.jsonResponse(summary, data: data))], errors: errors)))
        }
        get("\(prefix)/health", "Service health",
            data: C.object([("service", C.string), ("status", C.string), ("version", C.string)]))
        get("\(prefix)/health/ready", "Readiness", data: C.object([("ready", ["type": "boolean"])]))
        let plugin = C.object([
            ("name", C.string), ("version", ["type": ["string", "null"]]), ("abi_version", ["type": ["string", "null"]]),
            ("library_path", ["type": ["string", "null"]]), ("manifest_file", C.string),
            ("status", ["type": "string", "enum": ["loaded", "refused", "disabled"]]), ("reason", ["type": ["string", "null"]]),
            ("operations", ["type": "array", "items": C.string]),
        ])
        get("\(prefix)/plugins", "Plugins found in plugins.d, loaded or refused (with the reason)",
            data: C.object([("plugins", ["type": "array", "items": plugin])]))
        let operation = C.object([
            ("name", C.string), ("summary", C.string), ("plugin", C.string), ("arguments_schema", C.anyObject),
            ("inputs", ["type": "array", "items": ["type": "string", "enum": ["file", "source_file", "bind_file"]]]),
            ("success_message", C.string),
        ])
        get("\(prefix)/operations", "Every loaded operation with its arguments schema",
            data: C.object([("operations", ["type": "array", "items": operation])]))

        let spec = "\(prefix)/openapi.json"
        paths.add("get", spec, OpenAPIDocument.operation(
            "get", spec, summary: "This document (OpenAPI 3.1)", tag: "service",
            responses: C.responses([(200, ["description": "The OpenAPI document (not wrapped in the envelope)",
                                           "content": ["application/json": ["schema": C.anyObject]]])], errors: [405, 500])))

        let downloads = "\(prefix)/files/downloads/{filename}"
        paths.add("get", downloads, OpenAPIDocument.operation(
            "get", downloads, summary: "Download a generated file (the download_url of an operation's answer)", tag: "service",
            responses: C.responses([(200, download)], errors: [400, 404, 405, 500])))
    }
}
