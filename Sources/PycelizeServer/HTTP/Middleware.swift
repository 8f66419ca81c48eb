import Hummingbird
import Logging
import RequestParsing

/// Turns every error into the standard envelope: `APIError`s keep their status; the router's own 404 becomes
/// `Resource not found`; anything else is logged and becomes a 500 `Internal server error` (never an empty 500).
struct EnvelopeErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let envelope: Envelope

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            if let detail = error.detail { context.logger.error("\(request.method) \(request.uri.path): \(error.message) [\(detail)]") }
            return envelope.errorResponse(error)
        } catch let error as RequestError {
            if let detail = error.detail { context.logger.error("\(request.method) \(request.uri.path): \(error.message) [\(detail)]") }
            return envelope.errorResponse(APIError(error))
        } catch let error as HTTPError {
            switch error.status {
            case .notFound: return envelope.errorResponse(.init(.notFound, "Resource not found", frameworkLevel: true))
            case .contentTooLarge: return envelope.errorResponse(.tooLarge(error.body ?? "Request Entity Too Large"))
            case .badRequest: return envelope.errorResponse(.init(.badRequest, error.body ?? "Bad Request", frameworkLevel: true))
            default:
                return envelope.errorResponse(.init(error.status, error.body ?? error.status.reasonPhrase, frameworkLevel: true))
            }
        } catch {
            // Engine and Foundation errors may name server paths: the client gets the status and a safe message.
            context.logger.error("unhandled error on \(request.method) \(request.uri.path): \(error)")
            let mapped = APIError.from(error)
            return envelope.errorResponse(mapped.status == .internalServerError && mapped.message == "Internal server error"
                ? .init(.internalServerError, "Internal server error", frameworkLevel: true) : mapped)
        }
    }
}

/// CORS as the original (flask-cors on `/api/*`, `always_send`): a request with an `Origin` gets it echoed back with
/// `Vary: Origin`; one without gets `Access-Control-Allow-Origin: *`; a preflight answers 200. When the admin lists
/// allowed origins (`api.cors_allowed_origins` without `*`), only those are echoed and no wildcard is sent.
struct CORSHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    let prefix: String
    let allowedOrigins: [String]

    init(prefix: String, allowedOrigins: [String] = ["*"]) {
        self.prefix = prefix
        self.allowedOrigins = allowedOrigins
    }

    private var allowsAny: Bool { allowedOrigins.contains("*") }

    /// The `Access-Control-Allow-Origin` value for a request's `Origin` (nil: send none).
    func allowOrigin(for origin: String?) -> String? {
        guard let origin else { return allowsAny ? "*" : nil }
        return allowsAny || allowedOrigins.contains(origin) ? origin : nil
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/") || request.uri.path.hasPrefix(prefix) else {
            return try await next(request, context)
        }
        let origin = request.headers[.origin]
        let allow = allowOrigin(for: origin)
        if request.method == .options, origin != nil {
            var headers: HTTPFields = [.vary: "Origin", .contentType: "text/html; charset=utf-8"]
            if let allow {
                headers[.accessControlAllowOrigin] = allow
                headers[.accessControlAllowMethods] = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"
                if let h = request.headers[.accessControlRequestHeaders] { headers[.accessControlAllowHeaders] = h }
            }
            return Response(status: .ok, headers: headers, body: .init())
        }
        var response = try await next(request, context)
        if let allow { response.headers[.accessControlAllowOrigin] = allow }
        if origin != nil { response.headers[values: .vary].append("Origin") }
        return response
    }
}
