#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A client-facing failure of one of the request parsers: an HTTP status code and a message safe to show the client.
/// `detail` is for the server log only (it may name server paths); it is never sent.
/// The HTTP layer turns it into its envelope (`APIError(_:)`), keeping the status.
public struct RequestError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: Int
    public let message: String
    public let detail: String?

    public init(status: Int, _ message: String, detail: String? = nil) {
        self.status = status
        self.message = message
        self.detail = detail
    }

    public var description: String { "\(status) \(message)" }

    public static func badRequest(_ m: String) -> RequestError { .init(status: 400, m) }
    public static func validation(_ m: String) -> RequestError { .init(status: 422, m) }
    public static func tooLarge(_ m: String) -> RequestError { .init(status: 413, m) }
    public static func internalError(_ m: String, detail: String? = nil) -> RequestError { .init(status: 500, m, detail: detail) }

    /// A failed write: ENOSPC/EDQUOT → 507 (the client may retry later), anything else → 500. The message names no
    /// server path; `detail` (logged) does.
    public static func storageFailure(_ what: String, errno code: Int32, detail: String) -> RequestError {
        let reason = String(cString: strerror(code))
        if code == ENOSPC || code == EDQUOT {
            return .init(status: 507, "Insufficient storage: \(what) (the server's disk is full)", detail: "\(detail): \(reason)")
        }
        return .init(status: 500, "\(what): \(reason)", detail: "\(detail): \(reason)")
    }
}
