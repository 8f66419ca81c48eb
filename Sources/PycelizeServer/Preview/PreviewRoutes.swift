import Foundation
import Hummingbird

/// `GET {prefix}/files/preview/{filename}` (one-shot outputs, the folder `files/downloads` serves) and
/// `GET {prefix}/chat/workflows/{chat_id}/files/{filename}/preview` (a conversation's file): the header and the first
/// `limit` rows as typed JSON (see `TablePreview`). Names are sanitised and resolved exactly as the download routes do.
enum PreviewRoutes {
    static func register<Context: RequestContext>(_ table: inout RouteTable<Context>, services: ServerServices, chat: ChatService?) {
        let config = services.config
        let envelope = services.envelope
        let limits = PycelizeServer.tableSettings(config).zipLimits
        let answer: @Sendable (Request, String) async throws -> Response = { request, path in
            let query = request.uri.queryParameters
            let limit = try TablePreview.limit(query["limit"])
            let sheet = query["sheet_name"].map(String.init)
            let data = try await TablePreview.json(path: path, name: (path as NSString).lastPathComponent, limit: limit,
                                                   sheetName: sheet, limits: limits)
            return envelope.response(data: data, message: "Preview retrieved successfully")
        }
        table.add(.get, "\(config.apiPrefix)/files/preview/{filename}") { request, context in
            let path = try FileDownload.resolve(rawName: context.parameters.get("filename") ?? "",
                                                folder: config.dataPath(config.outputFolder))
            return try await answer(request, path)
        }
        table.add(.get, "\(config.apiPrefix)/chat/workflows/{chat_id}/files/{filename}/preview") { request, context in
            guard let chat else { throw APIError.validation("Chat workflows feature is not enabled") }
            let c = try chat.require(context.parameters.get("chat_id") ?? "")
            return try await answer(request, try chat.file(c, rawName: context.parameters.get("filename") ?? ""))
        }
    }
}
