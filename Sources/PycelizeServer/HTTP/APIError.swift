import HTTPTypes
import PluginABI
import TableIO

/// An error that knows its HTTP status and renders as the original's error envelope
/// (`data = {"error_type": "Error", "details": null}`).
public struct APIError: Error, Sendable, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let message: String
    /// `data` of the envelope; the original used `{"error_type":"Error","details":null}` for route errors and
    /// `null` for framework errors (404 for unknown routes).
    public let frameworkLevel: Bool

    public init(_ status: HTTPResponse.Status, _ message: String, frameworkLevel: Bool = false) {
        self.status = status
        self.message = message
        self.frameworkLevel = frameworkLevel
    }

    public var description: String { "\(status.code) \(message)" }

    public static func validation(_ m: String) -> APIError { .init(.unprocessableContent, m) }
    public static func badRequest(_ m: String) -> APIError { .init(.badRequest, m) }
    public static func notFound(_ m: String) -> APIError { .init(.notFound, m) }
    public static func internalError(_ m: String) -> APIError { .init(.internalServerError, m) }
    public static func tooLarge(_ m: String) -> APIError { .init(.contentTooLarge, m) }

    /// Maps a plugin status code to HTTP (see the ABI header).
    public static func fromPlugin(code: Int32, message: String) -> APIError {
        switch UInt32(code) {
        case PZ_ERR_INVALID_ARGUMENT.rawValue: return .validation(message)
        case PZ_ERR_BAD_INPUT.rawValue: return .badRequest(message)
        case PZ_ERR_NOT_FOUND.rawValue: return .notFound(message)
        case PZ_ERR_LIMIT.rawValue: return .tooLarge(message)
        case PZ_ERR_CANCELLED.rawValue: return .init(.serviceUnavailable, message.isEmpty ? "Operation cancelled" : message)
        default: return .internalError(message)
        }
    }

    /// Maps engine errors: unreadable files are the client's fault (400), engine misuse is ours (500).
    public static func fromTableIO(_ error: TableIOError) -> APIError {
        switch error {
        case .badInput(let m), .limitExceeded(let m): return .badRequest(m)
        case .sheetNotFound: return .notFound(error.description)
        case .usage(let m), .io(let m): return .internalError(m)
        }
    }
}
