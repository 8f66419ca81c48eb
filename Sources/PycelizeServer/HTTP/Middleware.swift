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

/// CORS as the original (flask-cors on `/api/*`): any origin, echoed back with `Vary: Origin`; preflight → 200.
struct CORSHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    let prefix: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], request.uri.path.hasPrefix("/api/") || request.uri.path.hasPrefix(prefix) else {
            return try await next(request, context)
        }
        if request.method == .options {
            var headers: HTTPFields = [
                .accessControlAllowOrigin: origin,
                .accessControlAllowMethods: "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT",
                .vary: "Origin",
                .contentType: "text/html; charset=utf-8",
            ]
            if let h = request.headers[.accessControlRequestHeaders] { headers[.accessControlAllowHeaders] = h }
            return Response(status: .ok, headers: headers, body: .init())
        }
        var response = try await next(request, context)
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[values: .vary].append("Origin")
        return response
    }
}
