import Foundation
#if canImport(Glibc)
import Glibc
private let posixWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let posixWrite = Darwin.write
#endif

/// A file part of a multipart request, already streamed to disk.
public struct UploadedFile: Sendable, Equatable {
    /// The file name the client sent, unsanitised (may be empty).
    public let clientName: String
    /// Where the bytes are (a unique temporary file the caller must remove or move).
    public let path: String
    public let size: Int
}

/// Turns parser events into form fields (kept in memory, size-limited) and files (streamed to temporary files in
/// `directory`, written in blocks of 1 MiB). Feed it body chunks, then `finish()`; on any error call `abandon()`,
/// which removes every temporary file. Used from one task at a time.
public final class MultipartFormBuilder {
    public struct Limits: Sendable {
        public var parser = MultipartLimits()
        /// Largest text field.
        public var maxFieldBytes = 1 << 20
        /// All text fields together.
        public var maxTotalFieldBytes = 8 << 20
        public init() {}
    }

    static let blockSize = 1 << 20

    public private(set) var fields: [String: String] = [:]
    public private(set) var files: [String: UploadedFile] = [:]

    private var parser: MultipartParser
    private let directory: String
    private let limits: Limits
    private var current: MultipartPartHeaders?
    private var fieldBytes: [UInt8] = []
    private var totalFieldBytes = 0
    private var fd: Int32 = -1
    private var filePath: String?
    private var fileSize = 0
    private var block: UnsafeMutableRawBufferPointer?
    private var blockUsed = 0
    /// Temporary files created and not yet handed out in `files`.
    private var openPaths: [String] = []

    public init(boundary: String, directory: String, limits: Limits = Limits()) throws(RequestError) {
        do { parser = try MultipartParser(boundary: boundary, limits: limits.parser) } catch { throw error.requestError }
        self.directory = directory
        self.limits = limits
    }

    /// The boundary of a `multipart/form-data` Content-Type header, or nil if it is another type or has none.
    public static func boundary(fromContentType contentType: String) -> String? {
        HeaderParameters.multipartBoundary(contentType: contentType)
    }

    deinit {
        if fd >= 0 { close(fd) }
        block?.deallocate()
    }

    /// Parses the next chunk of the body.
    public func feed(_ chunk: UnsafeRawBufferPointer) throws(RequestError) {
        do {
            try parser.feed(chunk) { event in try self.handle(event) }
        } catch let error as RequestError {
            throw error
        } catch let error as MultipartError {
            throw error.requestError
        } catch {
            throw .internalError("Failed to read the upload", detail: "\(error)")
        }
    }

    /// Checks that the body was complete and returns the form.
    public func finish() throws(RequestError) -> (fields: [String: String], files: [String: UploadedFile]) {
        do { try parser.finish() } catch { throw error.requestError }
        return (fields, files)
    }

    /// Removes every temporary file (those still being written and those already in `files`).
    public func abandon() {
        if fd >= 0 { close(fd); fd = -1 }
        for p in openPaths { unlink(p) }
        for f in files.values { unlink(f.path) }
        openPaths = []
        files = [:]
    }

    private func handle(_ event: MultipartEvent) throws(RequestError) {
        switch event {
        case .partBegin(let headers):
            current = headers
            if headers.filename != nil { try openFile() }
        case .body(let bytes):
            if fd >= 0 {
                try write(bytes)
            } else {
                fieldBytes.append(contentsOf: bytes)
                totalFieldBytes += bytes.count
                guard fieldBytes.count <= limits.maxFieldBytes else {
                    throw .tooLarge("A form field is larger than \(limits.maxFieldBytes >> 10) KiB")
                }
                guard totalFieldBytes <= limits.maxTotalFieldBytes else {
                    throw .tooLarge("The form fields together are larger than \(limits.maxTotalFieldBytes >> 10) KiB")
                }
            }
        case .partEnd:
            try partEnd()
        }
    }

    private func partEnd() throws(RequestError) {
        guard let headers = current else { return }
        current = nil
        if let path = filePath {
            try flush()
            let rc = close(fd)
            fd = -1
            filePath = nil
            guard rc == 0 else { throw .storageFailure("Failed to store the upload", errno: errno, detail: path) }
            if let old = files[headers.name] { unlink(old.path) }
            files[headers.name] = UploadedFile(clientName: headers.filename ?? "", path: path, size: fileSize)
            openPaths.removeAll { $0 == path }
        } else if !headers.name.isEmpty {
            fields[headers.name] = String(decoding: fieldBytes, as: UTF8.self)
        }
        fieldBytes = []
        fileSize = 0
    }

    private func openFile() throws(RequestError) {
        let path = (directory as NSString).appendingPathComponent(".tmp-\(UUID().uuidString.prefix(12))-upload")
        let d = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard d >= 0 else { throw .storageFailure("Failed to store the upload", errno: errno, detail: path) }
        fd = d
        filePath = path
        fileSize = 0
        openPaths.append(path)
    }

    /// Appends to the 1 MiB block, writing it out when full; a chunk larger than a block goes straight to disk.
    private func write(_ bytes: UnsafeRawBufferPointer) throws(RequestError) {
        fileSize += bytes.count
        if blockUsed == 0, bytes.count >= Self.blockSize { return try writeAll(bytes) }
        let buffer = block ?? UnsafeMutableRawBufferPointer.allocate(byteCount: Self.blockSize, alignment: 16)
        block = buffer
        var rest = bytes
        while !rest.isEmpty {
            let n = min(rest.count, Self.blockSize - blockUsed)
            UnsafeMutableRawBufferPointer(rebasing: buffer[blockUsed..<(blockUsed + n)]).copyMemory(from: UnsafeRawBufferPointer(rebasing: rest.prefix(n)))
            blockUsed += n
            rest = UnsafeRawBufferPointer(rebasing: rest.dropFirst(n))
            if blockUsed == Self.blockSize { try flush() }
        }
    }

    private func flush() throws(RequestError) {
        guard let buffer = block, blockUsed > 0 else { return }
        let used = blockUsed
        blockUsed = 0
        try writeAll(UnsafeRawBufferPointer(rebasing: buffer[0..<used]))
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(RequestError) {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = posixWrite(fd, base + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw .storageFailure("Failed to store the upload", errno: errno, detail: filePath ?? directory)
            }
            done += n
        }
    }
}
