import Foundation
import Hummingbird
import RequestParsing

/// A parsed `multipart/form-data` request. File parts are written to disk as they arrive (never held in memory);
/// text fields are kept (up to 1 MiB each). The parsing itself is `RequestParsing.MultipartParser` (hand-written,
/// see docs/multipart.md); this type only feeds it the request body. The whole body is limited to `maxBytes`:
/// beyond it the upload is abandoned, its temporary files removed, and a 413 returned.
public struct MultipartForm: Sendable {
    public var fields: [String: String] = [:]
    public var files: [String: UploadedFile] = [:]

    /// Removes every temporary file of this form.
    public func removeFiles() {
        for f in files.values { unlink(f.path) }
    }

    public static func parse(_ request: Request, into directory: String, maxBytes: Int,
                             missing: String = "No file uploaded") async throws -> MultipartForm {
        guard let contentType = request.headers[.contentType],
              contentType.lowercased().hasPrefix("multipart/form-data") else {
            throw APIError.validation(missing)
        }
        guard let boundary = MultipartFormBuilder.boundary(fromContentType: contentType) else {
            throw APIError.badRequest("Malformed multipart body: no boundary in Content-Type")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw APIError.tooLarge(tooLargeMessage(maxBytes))
        }
        let builder = try MultipartFormBuilder(boundary: boundary, directory: directory)
        var received = 0
        do {
            for try await chunk in request.body {
                received += chunk.readableBytes
                if received > maxBytes { throw APIError.tooLarge(tooLargeMessage(maxBytes)) }
                try chunk.withUnsafeReadableBytes { bytes throws(RequestError) in try builder.feed(bytes) }
            }
            let (fields, files) = try builder.finish()
            return MultipartForm(fields: fields, files: files)
        } catch {
            builder.abandon()
            throw error
        }
    }

    static func tooLargeMessage(_ max: Int) -> String {
        "Request Entity Too Large: the upload exceeds the \(max >> 20) MiB limit"
    }
}
