import Foundation
import Hummingbird
import PycelizeJSON

/// `/api/v1/chat/...` routes (chat workflows). When `chat_workflows.enabled` is false every route answers
/// 422 `Chat workflows feature is not enabled`, as the original did (its download routes crashed instead).
enum ChatRoutes {
    static func register<Context: RequestContext>(_ table: inout RouteTable<Context>, services: ServerServices, chat: ChatService?) {
        let prefix = services.config.apiPrefix + "/chat/workflows"
        let envelope = services.envelope
        let enabled: @Sendable () throws -> ChatService = {
            guard let chat else { throw APIError.validation("Chat workflows feature is not enabled") }
            return chat
        }
        let fileURL: @Sendable (Request, String, String) -> String = { request, chatID, name in
            "\(services.urls.origin(request))\(services.config.apiPrefix)/chat/workflows/\(chatID)/files/\(DownloadURLs.encode(name))"
        }

        table.add(.post, prefix) { _, _ in
            let chat = try enabled()
            let c = try chat.create()
            // The original answered HTTP 201 with a body status_code of 200 (B2); both say 201 here.
            return envelope.response(data: try chat.json(c), message: "Conversation created successfully", status: .created)
        }
        table.add(.get, prefix) { request, _ in
            let chat = try enabled()
            let q = request.uri.queryParameters
            func number(_ key: String, _ fallback: Int) throws -> Int {
                guard let raw = q[key[...]] else { return fallback }
                guard let v = Int(String(raw)), v >= 0 else { throw APIError.validation("\(key) must be a non-negative integer") }
                return v
            }
            let limit = min(try number("limit", 100), 1000)
            let offset = try number("offset", 0)
            let rows = try chat.store.list(status: q["status"].map(String.init), limit: limit, offset: offset)
            return envelope.response(data: .object([("conversations", .array(rows.map(ChatService.rowJSON))),
                                                    ("count", .int(Int64(rows.count)))]),
                                     message: "Conversations retrieved successfully")
        }
        table.add(.get, "\(prefix)/{chat_id}") { _, context in
            let chat = try enabled()
            let c = try chat.require(context.parameters.get("chat_id") ?? "")
            return envelope.response(data: try chat.json(c), message: "Conversation retrieved successfully")
        }
        table.add(.delete, "\(prefix)/{chat_id}") { _, context in
            let chat = try enabled()
            let id = context.parameters.get("chat_id") ?? ""
            try chat.delete(id)
            return envelope.response(data: .object([("chat_id", .string(id))]), message: "Conversation deleted successfully")
        }
        table.add(.post, "\(prefix)/{chat_id}/upload") { request, context in
            let chat = try enabled()
            let c = try chat.require(context.parameters.get("chat_id") ?? "")
            let config = services.config
            let form = try await MultipartForm.parse(request, into: config.dataPath(config.uploadFolder),
                                                     maxBytes: config.chatMaxUploadMB << 20, missing: "No file provided")
            defer { form.removeFiles() }
            guard let file = form.files["file"] else { throw APIError.validation("No file provided") }
            guard !file.clientName.isEmpty else { throw APIError.validation("Empty filename") }
            let (name, key) = try chat.upload(c, file: file)
            return envelope.response(data: .object([
                ("filename", .string(name)), ("file_path", .string(key)),
                ("download_url", .string(fileURL(request, c.chat_id, name))),
            ]), message: "File uploaded successfully")
        }
        table.add(.post, "\(prefix)/{chat_id}/execute") { request, context in
            let chat = try enabled()
            let c = try chat.require(context.parameters.get("chat_id") ?? "")
            let steps = try await Self.steps(request)
            let run = try await chat.execute(c, steps: steps) { name in fileURL(request, c.chat_id, name) }
            let outputs: [JSONValue] = run.outputKeys.map { key in
                .object([("file_path", .string(key)),
                         ("download_url", .string(fileURL(request, c.chat_id, (key as NSString).lastPathComponent)))])
            }
            return envelope.response(data: .object([("results", .array(run.results)), ("output_files", .array(outputs))]),
                                     message: "Workflow executed successfully")
        }
        table.add(.post, "\(prefix)/{chat_id}/dump") { request, context in
            let chat = try enabled()
            let c = try chat.require(context.parameters.get("chat_id") ?? "")
            let name = try chat.dump(c)
            return envelope.response(data: .object([
                ("dump_file", .string(name)),
                ("download_url", .string("\(services.urls.origin(request))\(services.config.apiPrefix)/chat/downloads/\(DownloadURLs.encode(name))")),
            ]), message: "Conversation dumped successfully")
        }
        table.add(.post, "\(prefix)/restore") { request, _ in
            let chat = try enabled()
            let config = services.config
            let form = try await MultipartForm.parse(request, into: chat.dumpsFolder, maxBytes: config.chatMaxUploadMB << 20,
                                                     missing: "No dump file provided")
            defer { form.removeFiles() }
            guard let file = form.files["dump_file"] else { throw APIError.validation("No dump file provided") }
            guard !file.clientName.isEmpty else { throw APIError.validation("Empty filename") }
            let c = try chat.restore(archive: file.path)
            return envelope.response(data: try chat.json(c), message: "Conversation restored successfully")
        }
        table.add(.get, "\(services.config.apiPrefix)/chat/downloads/{filename}") { request, context in
            let chat = try enabled()
            return try await FileDownload.respond(rawName: context.parameters.get("filename") ?? "", folder: chat.dumpsFolder,
                                                  request: request, context: context)
        }
        table.add(.post, "\(services.config.apiPrefix)/chat/sqlite/backup") { _, _ in
            let chat = try enabled()
            let (name, path) = try chat.backup()
            return envelope.response(data: .object([("backup_file", .string(name)), ("path", .string(path))]),
                                     message: "Database backup created successfully")
        }
        table.add(.get, "\(prefix)/{chat_id}/files/{filename}") { request, context in
            let chat = try enabled()
            let c = try chat.require(context.parameters.get("chat_id") ?? "")
            let path = try chat.file(c, rawName: context.parameters.get("filename") ?? "")
            return try await FileDownload.serve(path: path, context: context)
        }
    }

    /// Parses `{"steps": [{"operation": "...", "arguments": {...}}, ...]}`.
    static func steps(_ request: Request) async throws -> [WorkflowStepRequest] {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            throw APIError(.unsupportedMediaType, "Unsupported Media Type: send the steps as application/json")
        }
        let body = try await request.body.collect(upTo: 4 << 20)
        let value: JSONValue
        do { value = try JSONParser.parse(Array(body.readableBytesView)) } catch {
            throw APIError.badRequest("Failed to decode JSON object: \(error)")
        }
        return try WorkflowStepRequest.steps(from: value)
    }
}
