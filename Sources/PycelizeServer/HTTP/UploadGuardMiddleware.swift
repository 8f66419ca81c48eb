import Foundation
import Hummingbird
import NIOCore

/// Counts uploads in progress against a cap (thread-safe).
public final class UploadSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var inUse = 0
    public let limit: Int

    /// `limit` 0 means no cap.
    public init(limit: Int) { self.limit = limit }

    func acquire() -> Bool {
        lock.withLock {
            if limit > 0 && inUse >= limit { return false }
            inUse += 1
            return true
        }
    }

    func release() { lock.withLock { inUse -= 1 } }
}

/// Guards multipart uploads, the requests that hold a connection, a temporary file and a task for a long time:
/// - at most `slots.limit` at once; one more is answered **503** (`Server busy: …`, `Retry-After: 5`) without
///   reading its body — 503 rather than 429 because the limit is the server's capacity, not the client's rate;
/// - the whole body must arrive within `readTimeout`, else **408** (`Request Timeout: …`); the form parser removes
///   the partial temporary file. A client that stops sending altogether is closed by the idle timeout instead.
struct UploadGuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let slots: UploadSlots
    let readTimeout: Duration?
    let envelope: Envelope

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.headers[.contentType]?.lowercased().hasPrefix("multipart/") == true else {
            return try await next(request, context)
        }
        guard slots.acquire() else {
            var busy = envelope.errorResponse(APIError(.serviceUnavailable, "Server busy: too many uploads in progress; retry in a few seconds"))
            busy.headers[.retryAfter] = "5"
            return busy
        }
        defer { slots.release() }
        var request = request
        if let readTimeout {
            request.body = RequestBody(asyncSequence: DeadlineBody(base: request.body, timeout: readTimeout))
        }
        return try await next(request, context)
    }
}

/// A request body whose chunks must all arrive before a deadline (checked as each chunk arrives).
struct DeadlineBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let timeout: Duration

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let deadline: ContinuousClock.Instant
        let timeout: Duration

        mutating func next() async throws -> ByteBuffer? {
            let chunk = try await base.next()
            if ContinuousClock.now > deadline {
                throw APIError(.requestTimeout, "Request Timeout: the upload did not arrive within \(timeout.components.seconds) seconds")
            }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), deadline: .now + timeout, timeout: timeout)
    }
}
