import Foundation
import HTTPTypes
import PluginABI
import RequestParsing
import TableIO

/// An error that knows its HTTP status and renders as the original's error envelope
/// (`data = {"error_type": "Error", "details": null}`).
public struct APIError: Error, Sendable, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let message: String
    /// `data` of the envelope; the original used `{"error_type":"Error","details":null}` for route errors and
    /// `null` for framework errors (404 for unknown routes).
    public let frameworkLevel: Bool

    /// For the server log only (server paths, errno text); never sent to the client.
    public let detail: String?

    public init(_ status: HTTPResponse.Status, _ message: String, frameworkLevel: Bool = false, detail: String? = nil) {
        self.status = status
        self.message = message
        self.frameworkLevel = frameworkLevel
        self.detail = detail
    }

    /// A request parser's error, same status and message.
    public init(_ error: RequestError) {
        self.init(HTTPResponse.Status(code: error.status), error.message, detail: error.detail)
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

    /// Maps engine errors: unreadable files are the client's fault (400), engine misuse is ours (500), a full disk is
    /// 507. File-system failures never show the server's paths to the client: the full text goes to `detail` (logged).
    public static func fromTableIO(_ error: TableIOError) -> APIError {
        switch error {
        case .badInput(let m), .limitExceeded(let m): return .badRequest(m)
        case .sheetNotFound: return .notFound(error.description)
        case .usage(let m): return .internalError(m)
        case .io(let m): return fileSystemFailure(m)
        }
    }

    /// A server-side file failure described by `text` (which may name paths): 507 for a full disk, else 500 with
    /// the system's reason only.
    public static func fileSystemFailure(_ text: String) -> APIError {
        let full = [ENOSPC, EDQUOT].map { String(cString: strerror($0)) }
        if full.contains(where: { text.contains($0) }) {
            return .init(.init(code: 507), "Insufficient storage: the server's disk is full", detail: text)
        }
        let reason = text.range(of: ": ", options: .backwards).map { String(text[$0.upperBound...]) } ?? ""
        let safe = reason.isEmpty || reason.contains("/") ? "" : ": \(reason)"
        return .init(.internalServerError, "A server file operation failed\(safe)", detail: text)
    }

    /// Any error as an envelope error: ours keep their status; engine errors are mapped; anything else is a 500
    /// whose text (which may name paths) is only logged.
    public static func from(_ error: any Error) -> APIError {
        switch error {
        case let e as APIError: return e
        case let e as RequestError: return APIError(e)
        case let e as TableIOError: return fromTableIO(e)
        case let e as CocoaError where e.code == .fileWriteOutOfSpace:
            return .init(.init(code: 507), "Insufficient storage: the server's disk is full", detail: "\(e)")
        default: return .init(.internalServerError, "Internal server error", detail: "\(error)")
        }
    }
}
