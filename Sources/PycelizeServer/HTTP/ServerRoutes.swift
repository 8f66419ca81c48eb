import Foundation
import Hummingbird
import PycelizeJSON
import RequestParsing

/// The routes that do not belong to an operation: health, plugin and operation listings, the OpenAPI document,
/// downloads.
enum ServerRoutes {
    static func register<Context: RequestContext>(_ table: inout RouteTable<Context>, services: ServerServices) {
        let prefix = services.config.apiPrefix
        let envelope = services.envelope
        let config = services.config

        let health: @Sendable (Request, Context) async throws -> Response = { _, _ in
            envelope.response(data: .object([("service", .string(config.appName)), ("status", "healthy"),
                                             ("version", .string(config.appVersion))]),
                              message: "Service is healthy")
        }
        table.add(.get, "\(prefix)/health", health)
        table.add(.get, "\(prefix)/health/ready") { _, _ in
            envelope.response(data: .object([("ready", .bool(true))]), message: "Service is ready")
        }

        table.add(.get, "\(prefix)/plugins") { _, _ in
            let list = services.plugins.map(pluginJSON)
            return envelope.response(data: .object([("plugins", .array(list))]), message: "Plugins retrieved successfully",
                                     total: Int64(list.count))
        }
        table.add(.get, "\(prefix)/operations") { _, _ in
            let list = services.operations.map(operationJSON)
            return envelope.response(data: .object([("operations", .array(list))]),
                                     message: "Operations retrieved successfully", total: Int64(list.count))
        }

        // Built once: the routes and the loaded operations do not change while the server runs.
        var document = JSONSerializer.bytes(OpenAPIDocument.build(config: config, operations: services.operations),
                                            options: .init(sortKeys: false, indent: 2))
        document.append(0x0A)
        table.add(.get, "\(prefix)/openapi.json") { [document] _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: document)))
        }

        table.add(.get, "\(prefix)/files/downloads/{filename}") { request, context in
            let raw = context.parameters.get("filename") ?? ""
            let folder = config.dataPath(config.outputFolder)
            return try await FileDownload.respond(rawName: raw, folder: folder, request: request, context: context)
        }
    }

    static func pluginJSON(_ p: PluginRecord) -> JSONValue {
        .object([
            ("name", .string(p.name)),
            ("version", p.version.map(JSONValue.string) ?? .null),
            ("abi_version", p.abiVersion.map(JSONValue.string) ?? .null),
            ("library_path", p.libraryPath.map(JSONValue.string) ?? .null),
            ("manifest_file", .string(p.manifestFile)),
            ("status", .string(p.status.rawValue)),
            ("reason", p.reason.map(JSONValue.string) ?? .null),
            ("operations", .array(p.operations.map(JSONValue.string))),
        ])
    }

    static func operationJSON(_ op: LoadedOperation) -> JSONValue {
        var inputs: [JSONValue] = []
        if op.twoInputs { inputs = ["source_file", "bind_file"] } else if op.needsInput { inputs = ["file"] }
        return .object([
            ("name", .string(op.name)),
            ("summary", .string(op.summary)),
            ("plugin", .string(op.pluginName)),
            ("arguments_schema", op.schema),
            ("inputs", .array(inputs)),
            ("success_message", .string(op.successMessage)),
        ])
    }
}

/// Serves a generated file as an attachment. The name is sanitised like the original's (`secure_filename`), must
/// stay inside the folder, and must be a regular file.
enum FileDownload {
    static func contentType(for name: String) -> String {
        let lower = name.lowercased()
        if lower.hasSuffix(".xlsx") { return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }
        if lower.hasSuffix(".csv") { return "text/csv; charset=utf-8" }
        if lower.hasSuffix(".json") { return "application/json" }
        if lower.hasSuffix(".txt") || lower.hasSuffix(".sql") { return "text/plain; charset=utf-8" }
        if lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz") { return "application/gzip" }
        return "application/octet-stream"
    }

    static func respond(rawName: String, folder: String, request: Request, context: some RequestContext) async throws -> Response {
        try await serve(path: resolve(rawName: rawName, folder: folder), context: context)
    }

    /// The path of the regular file `rawName` (a URL path segment) names inside `folder`: 400 for a name that is not
    /// a plain file name, 404 when there is no such file.
    static func resolve(rawName: String, folder: String) throws -> String {
        let name = try SecureFilename.downloadName(rawName)
        let base = URL(fileURLWithPath: folder).standardizedFileURL.path
        let path = URL(fileURLWithPath: (base as NSString).appendingPathComponent(name)).standardizedFileURL.path
        guard path.hasPrefix(base + "/") else { throw APIError.badRequest("Invalid file path") }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
            throw APIError.notFound("File not found")
        }
        return path
    }

    /// Streams a regular file as an attachment named after its last path component.
    static func serve(path: String, context: some RequestContext) async throws -> Response {
        guard let attrs = try? FileManager.default.attributesOfItem(atPath: path),
              (attrs[.type] as? FileAttributeType) == .typeRegular else { throw APIError.notFound("File not found") }
        let name = (path as NSString).lastPathComponent
        let size = (attrs[.size] as? NSNumber)?.intValue ?? 0
        let body = try await FileIO().loadFile(path: path, context: context)
        return Response(status: .ok, headers: [
            .contentType: contentType(for: name),
            .contentDisposition: "attachment; filename=\(name)",
            .contentLength: String(size),
        ], body: body)
    }
}
