import CPycelizeArchive
import Foundation

/// `.tar.gz` reading and writing through libarchive, with the validation restore needs: the whole archive is
/// checked before anything is extracted, and only regular files and folders with safe relative names pass.
public enum TarArchive {
    /// libarchive's AE_IFREG / AE_IFDIR (C macros with casts, which Swift does not import).
    static let regularType: UInt32 = 0o100000
    static let directoryType: UInt32 = 0o040000

    public struct Limits: Sendable {
        public var maxTotalBytes: Int64 = 4 << 30
        public var maxEntries = 100_000
        public init(maxTotalBytes: Int64 = 4 << 30, maxEntries: Int = 100_000) {
            self.maxTotalBytes = maxTotalBytes
            self.maxEntries = maxEntries
        }
    }

    public struct Entry: Sendable, Equatable {
        public let path: String
        public let isDirectory: Bool
        public let size: Int64
    }

    /// Writes `files` (archive path → absolute source path; a nil source makes a folder) as a pax tar, gzip'd.
    public static func write(to path: String, entries: [(String, String?)]) throws {
        guard let a = archive_write_new() else { throw RequestError.internalError("libarchive: cannot create writer") }
        defer { archive_write_free(a) }
        archive_write_set_format_pax_restricted(a)
        archive_write_add_filter_gzip(a)
        guard archive_write_open_filename(a, path) == ARCHIVE_OK else { throw error(a, "cannot create the archive", path) }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 16, alignment: 8)
        defer { buffer.deallocate() }
        for (name, source) in entries {
            guard let entry = archive_entry_new() else { throw RequestError.internalError("libarchive: out of memory") }
            defer { archive_entry_free(entry) }
            archive_entry_set_pathname_utf8(entry, name)
            archive_entry_set_mtime(entry, time(nil), 0)
            if let source {
                let attrs = try FileManager.default.attributesOfItem(atPath: source)
                archive_entry_set_filetype(entry, TarArchive.regularType)
                archive_entry_set_perm(entry, 0o644)
                archive_entry_set_size(entry, Int64((attrs[.size] as? NSNumber)?.int64Value ?? 0))
                guard archive_write_header(a, entry) == ARCHIVE_OK else { throw error(a, "cannot add \(name)", path) }
                let fd = open(source, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { throw RequestError.storageFailure("Failed to read a conversation file", errno: errno, detail: source) }
                defer { close(fd) }
                while true {
                    let n = read(fd, buffer, 1 << 16)
                    if n < 0 { throw RequestError.storageFailure("Failed to read a conversation file", errno: errno, detail: source) }
                    if n == 0 { break }
                    guard archive_write_data(a, buffer, n) == n else { throw error(a, "cannot write \(name)", path) }
                }
            } else {
                archive_entry_set_filetype(entry, TarArchive.directoryType)
                archive_entry_set_perm(entry, 0o755)
                guard archive_write_header(a, entry) == ARCHIVE_OK else { throw error(a, "cannot add \(name)", path) }
            }
        }
        guard archive_write_close(a) == ARCHIVE_OK else { throw error(a, "cannot finish the archive", path) }
    }

    /// A write failure: 507 when the disk is full; the message names no server path (the log detail does).
    private static func error(_ a: OpaquePointer, _ what: String, _ path: String) -> RequestError {
        let detail = archive_error_string(a).map { String(cString: $0) } ?? "unknown error"
        let code = archive_errno(a)
        if code == ENOSPC || code == EDQUOT {
            return RequestError.storageFailure("Failed to write the dump", errno: code, detail: "\(path): \(what): \(detail)")
        }
        return RequestError.internalError("Failed to write the dump: \(what)", detail: "\(path): \(detail)")
    }

    /// libarchive's message when it names no path (its open errors quote the file name).
    private static func safeDetail(_ a: OpaquePointer, _ fallback: String) -> String {
        guard let text = archive_error_string(a).map({ String(cString: $0) }), !text.contains("/") else { return fallback }
        return text
    }

    private static func openReader(_ path: String) throws -> OpaquePointer {
        try openReader { archive_read_open_filename($0, path, 1 << 16) }
    }

    private static func openReader(_ open: (OpaquePointer) -> Int32) throws -> OpaquePointer {
        guard let a = archive_read_new() else { throw RequestError.internalError("libarchive: cannot create reader") }
        archive_read_support_filter_gzip(a)
        archive_read_support_format_tar(a)
        guard open(a) == ARCHIVE_OK else {
            let detail = safeDetail(a, "unreadable")
            archive_read_free(a)
            throw RequestError.badRequest("Invalid dump file: not a gzip-compressed tar archive (\(detail))")
        }
        return a
    }

    /// Reads every header (and data, to reach the end) and refuses anything but regular files and folders with
    /// relative names free of `..`. Returns the entries.
    public static func validate(_ path: String, limits: Limits = Limits()) throws -> [Entry] {
        let a = try openReader(path)
        defer { archive_read_free(a) }
        return try validate(reader: a, limits: limits)
    }

    /// `validate` over an archive in memory (the fuzz target's entry).
    public static func validate(bytes: UnsafeRawBufferPointer, limits: Limits = Limits()) throws -> [Entry] {
        let a = try openReader { archive_read_open_memory($0, bytes.baseAddress, bytes.count) }
        defer { archive_read_free(a) }
        return try validate(reader: a, limits: limits)
    }

    private static func validate(reader a: OpaquePointer, limits: Limits) throws -> [Entry] {
        var entries: [Entry] = []
        var total: Int64 = 0
        var entry: OpaquePointer?
        while true {
            let rc = archive_read_next_header(a, &entry)
            if rc == ARCHIVE_EOF { break }
            guard rc == ARCHIVE_OK || rc == ARCHIVE_WARN, let e = entry else {
                throw RequestError.badRequest("Invalid dump file: \(safeDetail(a, "corrupt archive"))")
            }
            let name = archive_entry_pathname_utf8(e).map { String(cString: $0) }
                ?? archive_entry_pathname(e).map { String(cString: $0) } ?? ""
            let type = archive_entry_filetype(e)
            if archive_entry_hardlink(e) != nil || archive_entry_symlink(e) != nil {
                throw RequestError.badRequest("Invalid dump file: '\(name)' is a link; only files and folders are allowed")
            }
            guard type == TarArchive.regularType || type == TarArchive.directoryType else {
                throw RequestError.badRequest("Invalid dump file: '\(name)' is not a regular file or folder")
            }
            let parts = name.split(separator: "/", omittingEmptySubsequences: true)
            guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\\"), !parts.contains(".."), !parts.isEmpty else {
                throw RequestError.badRequest("Invalid dump file: unsafe member name '\(name)'")
            }
            let size = archive_entry_size(e)
            total += max(0, size)
            guard total <= limits.maxTotalBytes else {
                throw RequestError.badRequest("Invalid dump file: more than \(limits.maxTotalBytes >> 20) MiB of content")
            }
            entries.append(Entry(path: parts.joined(separator: "/"), isDirectory: type == TarArchive.directoryType, size: size))
            guard entries.count <= limits.maxEntries else { throw RequestError.badRequest("Invalid dump file: too many members") }
            // Read the data through, so truncation and corruption are found now, not halfway through extraction.
            var skipped: Int64 = 0
            var buffer: UnsafeRawPointer?
            var length = 0
            var offset: Int64 = 0
            while true {
                let r = archive_read_data_block(a, &buffer, &length, &offset)
                if r == ARCHIVE_EOF { break }
                guard r == ARCHIVE_OK else {
                    throw RequestError.badRequest("Invalid dump file: \(safeDetail(a, "truncated data"))")
                }
                skipped += Int64(length)
                guard skipped <= max(size, 0) else { throw RequestError.badRequest("Invalid dump file: member larger than declared") }
            }
        }
        return entries
    }

    /// Extracts regular files and folders (already validated) under `destination`.
    public static func extract(_ path: String, to destination: String) throws {
        let a = try openReader(path)
        defer { archive_read_free(a) }
        var entry: OpaquePointer?
        let fm = FileManager.default
        while true {
            let rc = archive_read_next_header(a, &entry)
            if rc == ARCHIVE_EOF { break }
            guard rc == ARCHIVE_OK || rc == ARCHIVE_WARN, let e = entry else { throw RequestError.badRequest("Invalid dump file") }
            let name = archive_entry_pathname_utf8(e).map { String(cString: $0) } ?? archive_entry_pathname(e).map { String(cString: $0) } ?? ""
            let clean = name.split(separator: "/").joined(separator: "/")
            let target = (destination as NSString).appendingPathComponent(clean)
            if archive_entry_filetype(e) == TarArchive.directoryType {
                try fm.createDirectory(atPath: target, withIntermediateDirectories: true)
                continue
            }
            try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let fd = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw RequestError.storageFailure("Failed to restore the dump", errno: errno, detail: target) }
            defer { close(fd) }
            guard archive_read_data_into_fd(a, fd) == ARCHIVE_OK else {
                let code = archive_errno(a)
                if code == ENOSPC || code == EDQUOT {
                    throw RequestError.storageFailure("Failed to restore the dump", errno: code, detail: target)
                }
                throw RequestError.badRequest("Invalid dump file: cannot read '\(name)'")
            }
        }
    }
}
