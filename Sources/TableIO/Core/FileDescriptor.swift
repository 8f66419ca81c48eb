#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A POSIX file opened for reading or writing; closed on deinit. The engine does its own buffering.
public final class FileDescriptor {
    public let fd: Int32
    public let path: String

    public init(readingFrom path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw TableIOError.io("cannot open \(path): \(String(cString: strerror(errno)))") }
        self.fd = fd
        self.path = path
    }

    /// Creates (or truncates) a file for writing with mode 0644.
    public init(writingTo path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw TableIOError.io("cannot create \(path): \(String(cString: strerror(errno)))") }
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    /// Reads up to `count` bytes; returns 0 at the end of the file.
    public func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer, count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw TableIOError.io("read failed on \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Reads up to `count` bytes at `offset` without moving the file position.
    public func pread(into buffer: UnsafeMutableRawPointer, count: Int, offset: Int64) throws -> Int {
        var done = 0
        while done < count {
            let n = Glibc.pread(fd, buffer + done, count - done, off_t(offset) + off_t(done))
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw TableIOError.io("read failed on \(path): \(String(cString: strerror(errno)))")
            }
            done += n
        }
        return done
    }

    /// Writes all of `count` bytes.
    public func write(_ buffer: UnsafeRawPointer, count: Int) throws {
        var done = 0
        while done < count {
            let n = Glibc.write(fd, buffer + done, count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw TableIOError.io("write failed on \(path): \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            if let base = raw.baseAddress { try write(base, count: raw.count) }
        }
    }

    public func seek(to offset: Int64) throws {
        guard lseek(fd, off_t(offset), SEEK_SET) >= 0 else { throw TableIOError.io("seek failed on \(path)") }
    }

    public func size() throws -> Int64 {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw TableIOError.io("stat failed on \(path)") }
        return Int64(st.st_size)
    }

    /// Flushes to stable storage (before a rename makes the file visible).
    public func sync() throws {
        guard fsync(fd) == 0 else { throw TableIOError.io("fsync failed on \(path)") }
    }
}
