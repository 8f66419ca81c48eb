import Foundation
import Hummingbird
import MultipartKit
import TableIO

/// A file part of a multipart request, already streamed to disk.
public struct UploadedFile: Sendable {
    /// The file name the client sent, unsanitised (may be empty).
    public let clientName: String
    /// Where the bytes are (a unique temporary file the caller must remove or move).
    public let path: String
    public let size: Int
}

/// A parsed `multipart/form-data` request. File parts are written to disk as they arrive (never held in memory);
/// text fields are kept (up to 1 MiB each). The whole body is limited to `maxBytes`: beyond it the upload is
/// abandoned, its temporary files removed, and a 413 returned.
public struct MultipartForm: Sendable {
    public var fields: [String: String] = [:]
    public var files: [String: UploadedFile] = [:]

    static let maxFieldBytes = 1 << 20

    /// Removes every temporary file of this form.
    public func removeFiles() {
        for f in files.values { unlink(f.path) }
    }

    public static func parse(_ request: Request, into directory: String, maxBytes: Int,
                             missing: String = "No file uploaded") async throws -> MultipartForm {
        guard let contentType = request.headers[.contentType],
              contentType.lowercased().hasPrefix("multipart/form-data"),
              let boundary = boundary(from: contentType) else {
            throw APIError.validation(missing)
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw APIError.tooLarge(tooLargeMessage(maxBytes))
        }
        let state = ParseState(directory: directory)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in state.header(name, value) }
        parser.onBody = { buffer in state.body(&buffer) }
        parser.onPartComplete = { state.partComplete() }
        var received = 0
        do {
            for try await chunk in request.body {
                received += chunk.readableBytes
                if received > maxBytes { throw APIError.tooLarge(tooLargeMessage(maxBytes)) }
                try parser.execute(chunk)
                if let error = state.error { throw error }
            }
            guard state.sawFinalPart, !state.partInProgress else { throw APIError.badRequest("Malformed multipart body (truncated upload?)") }
        } catch let error as APIError {
            state.abandon()
            throw error
        } catch {
            state.abandon()
            throw APIError.badRequest("Malformed multipart body: \(error)")
        }
        return state.form
    }

    static func tooLargeMessage(_ max: Int) -> String {
        "Request Entity Too Large: the upload exceeds the \(max >> 20) MiB limit"
    }

    static func boundary(from contentType: String) -> String? {
        for part in contentType.split(separator: ";") {
            let kv = part.trimmingCharacters(in: .whitespaces)
            if kv.lowercased().hasPrefix("boundary=") {
                var b = String(kv.dropFirst("boundary=".count))
                if b.hasPrefix("\""), b.hasSuffix("\""), b.count >= 2 { b = String(b.dropFirst().dropLast()) }
                return b.isEmpty || b.count > 200 ? nil : b
            }
        }
        return nil
    }

    /// Content-Disposition parameters (`name`, `filename`), handling quoted values.
    static func dispositionParameters(_ value: String) -> [String: String] {
        var out: [String: String] = [:]
        var i = value.startIndex
        while i < value.endIndex {
            while i < value.endIndex, value[i] == ";" || value[i] == " " { i = value.index(after: i) }
            let keyStart = i
            while i < value.endIndex, value[i] != "=", value[i] != ";" { i = value.index(after: i) }
            let key = value[keyStart..<i].trimmingCharacters(in: .whitespaces).lowercased()
            guard i < value.endIndex, value[i] == "=" else { continue }
            i = value.index(after: i)
            var v = ""
            if i < value.endIndex, value[i] == "\"" {
                i = value.index(after: i)
                while i < value.endIndex, value[i] != "\"" {
                    if value[i] == "\\", value.index(after: i) < value.endIndex { i = value.index(after: i) }
                    v.append(value[i])
                    i = value.index(after: i)
                }
                if i < value.endIndex { i = value.index(after: i) }
            } else {
                let s = i
                while i < value.endIndex, value[i] != ";" { i = value.index(after: i) }
                v = value[s..<i].trimmingCharacters(in: .whitespaces)
            }
            out[key] = v
        }
        return out
    }
}

/// Mutable state of one streaming parse (used from a single task).
private final class ParseState: @unchecked Sendable {
    let directory: String
    var form = MultipartForm()
    var error: APIError?
    var sawFinalPart = false
    private var headers: [String: String] = [:]
    private var file: FileDescriptor?
    private var filePath: String?
    private var fileSize = 0
    /// File bytes not yet written: MultipartKit hands out one callback per line of a CRLF file, so writes are
    /// batched here (one syscall per MiB instead of one per line).
    private var pending: [UInt8] = []
    private var fieldBytes: [UInt8] = []
    private var started = false
    private var openPaths: [String] = []

    init(directory: String) { self.directory = directory }

    /// True while a part has started but not completed (a truncated body).
    var partInProgress: Bool { started || !headers.isEmpty }

    func header(_ name: String, _ value: String) {
        headers[name.lowercased()] = value
    }

    private func begin() {
        guard !started else { return }
        started = true
        let params = MultipartForm.dispositionParameters(headers["content-disposition"] ?? "")
        if params["filename"] != nil {
            let path = OutputFiles.temporaryPath(in: directory, hint: "upload")
            do {
                file = try FileDescriptor(writingTo: path)
                filePath = path
                openPaths.append(path)
            } catch {
                self.error = APIError.internalError("Failed to store upload: \(error)")
            }
        }
    }

    func body(_ buffer: inout ByteBuffer) {
        begin()
        guard error == nil else { return }
        if file != nil {
            pending.append(contentsOf: buffer.readableBytesView)
            fileSize += buffer.readableBytes
            if pending.count >= 1 << 20 { flushPending() }
        } else {
            fieldBytes.append(contentsOf: buffer.readableBytesView)
            if fieldBytes.count > MultipartForm.maxFieldBytes {
                error = APIError.tooLarge("A form field is larger than 1 MiB")
            }
        }
    }

    private func flushPending() {
        guard let f = file, !pending.isEmpty else { return }
        do { try f.write(pending) } catch { self.error = APIError.internalError("Failed to store upload: \(error)") }
        pending.removeAll(keepingCapacity: true)
    }

    func partComplete() {
        begin()
        flushPending()
        let params = MultipartForm.dispositionParameters(headers["content-disposition"] ?? "")
        let name = params["name"] ?? ""
        if let path = filePath {
            if let old = form.files[name] { unlink(old.path) }
            form.files[name] = UploadedFile(clientName: params["filename"] ?? "", path: path, size: fileSize)
            openPaths.removeAll { $0 == path }
        } else if !name.isEmpty {
            form.fields[name] = String(decoding: fieldBytes, as: UTF8.self)
        }
        headers = [:]
        file = nil
        filePath = nil
        fileSize = 0
        fieldBytes = []
        started = false
        sawFinalPart = true
    }

    func abandon() {
        for p in openPaths { unlink(p) }
        form.removeFiles()
    }
}
