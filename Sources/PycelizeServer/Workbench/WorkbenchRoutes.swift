import Foundation
import Hummingbird
import Logging

/// The web workbench: `GET /` is the page (`index.html`), `GET /ui/{path}` its assets (see `WebAssets`).
/// `index.html` and the assets are revalidated on every load (`no-cache` with a content-hash ETag, answered 304 when
/// unchanged): the files carry no version in their names, so a cached module must never outlive a server upgrade.
enum WorkbenchRoutes {
    static let assetPrefix = "/ui/"

    /// Same-origin only: the page talks to this server's REST routes and its WebSocket path, nothing else.
    static let contentSecurityPolicy = "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; "
        + "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    static func register<Context: RequestContext>(_ table: inout RouteTable<Context>, config: ServerConfig, logger: Logger) {
        guard config.webEnabled else { return }
        let assets = WebAssets(config: config)
        if assets.root == nil {
            logger.warning("web workbench: no folder at \(config.webRoot.isEmpty ? WebAssets.defaultRoot : config.webRoot); / answers 404 (set web.root)")
        }
        // The page learns the API prefix from a <meta> tag filled in here (the files themselves stay static).
        let prefix = config.apiPrefix.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        let serve: @Sendable (Request, [Substring]) throws -> Response = { request, relative in
            guard var asset = assets.asset(relative) else {
                if assets.root == nil { throw APIError.notFound("The web workbench is not installed: set web.root to its folder") }
                throw APIError.notFound("Resource not found")
            }
            if relative == ["index.html"] { asset = assets.substituting("%API_PREFIX%", with: prefix, in: asset) }
            var headers: HTTPFields = [
                .contentType: asset.contentType, .cacheControl: "no-cache", .eTag: asset.etag,
                .init("X-Content-Type-Options")!: "nosniff", .init("Referrer-Policy")!: "no-referrer",
            ]
            if asset.contentType.hasPrefix("text/html") {
                headers[.contentSecurityPolicy] = contentSecurityPolicy
            }
            if let tags = request.headers[.ifNoneMatch], tags.split(separator: ",").contains(where: {
                $0.trimmingCharacters(in: .whitespaces) == asset.etag || $0.trimmingCharacters(in: .whitespaces) == "*"
            }) {
                return Response(status: .notModified, headers: headers)
            }
            headers[.contentLength] = String(asset.bytes.count)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
        }
        table.add(.get, "/") { request, _ in try serve(request, ["index.html"]) }
        table.add(.get, "\(assetPrefix)**") { request, _ in
            // The raw (still percent-encoded) path: a `%` is not a plain segment character, so encoded dots and
            // slashes are refused rather than decoded.
            let rest = request.uri.path.dropFirst(assetPrefix.count)
            return try serve(request, rest.split(separator: "/", omittingEmptySubsequences: false))
        }
    }
}
