import Foundation
import Hummingbird
import PycelizeJSON

/// Builds the original's response envelope:
/// `{"data", "message", "meta": {"api_version", "locale", "request_id", "requested_time"}, "status_code", "total"}`.
public struct Envelope: Sendable {
    public let apiVersion: String
    public let locale: String

    public init(apiVersion: String, locale: String) {
        self.apiVersion = apiVersion
        self.locale = locale
    }

    /// `requested_time`: local time with offset and microseconds, e.g. `2026-11-25T02:40:18.829501+00:00`.
    static func requestedTime(_ date: Date = Date()) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone.current
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        let seconds = f.string(from: date)
        let micros = Int((date.timeIntervalSince1970 - floor(date.timeIntervalSince1970)) * 1_000_000)
        let offset = TimeZone.current.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let h = abs(offset) / 3600, m = abs(offset) / 60 % 60
        return String(format: "%@.%06d%@%02d:%02d", seconds, micros, sign, h, m)
    }

    public func body(data: JSONValue, message: String, statusCode: Int, total: Int64 = 0) -> JSONValue {
        let requestID = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return .object([
            ("data", data),
            ("message", .string(message)),
            ("meta", .object([
                ("api_version", .string(apiVersion)),
                ("locale", .string(locale)),
                ("request_id", .string(requestID)),
                ("requested_time", .string(Envelope.requestedTime())),
            ])),
            ("status_code", .int(Int64(statusCode))),
            ("total", .int(total)),
        ])
    }

    /// A JSON response; `httpStatus` may differ from the body's `status_code` where the original did so (201).
    public func response(data: JSONValue, message: String, status: HTTPResponse.Status = .ok,
                         bodyStatus: Int? = nil, total: Int64 = 0) -> Response {
        let json = body(data: data, message: message, statusCode: bodyStatus ?? status.code, total: total)
        var bytes = JSONSerializer.bytes(json, options: .init(sortKeys: true))
        bytes.append(0x0A)
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    public func errorResponse(_ error: APIError) -> Response {
        let data: JSONValue = error.frameworkLevel ? .null : .object([("details", .null), ("error_type", .string("Error"))])
        return response(data: data, message: error.message, status: error.status)
    }
}
