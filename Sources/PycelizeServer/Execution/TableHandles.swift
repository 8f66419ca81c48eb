import Foundation
import PluginABI
import TableIO
#if canImport(Glibc)
import Glibc
#endif

/// The object behind a `pz_table_reader *`. It stays allocated until the call ends (so a plugin that uses a closed
/// reader gets an error, not a crash).
final class ReaderHandle {
    unowned let context: OperationContext
    private(set) var reader: (any TableReader)?
    private var nameCStrings: [(UnsafeMutablePointer<CChar>, Int)] = []
    let columnCount: Int

    init(context: OperationContext, reader: any TableReader) {
        self.context = context
        self.reader = reader
        columnCount = reader.columnNames.count
        nameCStrings = reader.columnNames.map { name in
            (OperationContext.cString(name), name.utf8.count)
        }
    }

    deinit { nameCStrings.forEach { $0.0.deallocate() } }

    func columnName(_ i: Int) -> (UnsafePointer<CChar>, Int)? {
        i >= 0 && i < nameCStrings.count ? (UnsafePointer(nameCStrings[i].0), nameCStrings[i].1) : nil
    }

    func close() { reader = nil }

    var opaque: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }
    static func from(_ p: OpaquePointer?) -> ReaderHandle? {
        p.map { Unmanaged<ReaderHandle>.fromOpaque(UnsafeRawPointer($0)).takeUnretainedValue() }
    }
}

/// The object behind a `pz_table_writer *`: a temp file being written, published on finish.
final class WriterHandle {
    unowned let context: OperationContext
    private var writer: (any TableWriter)?
    let tempPath: String
    let directory: String
    let plannedName: String
    let columnCount: Int
    private(set) var finished = false

    init(context: OperationContext, writer: any TableWriter, tempPath: String, directory: String, name: String) {
        self.context = context
        self.writer = writer
        self.tempPath = tempPath
        self.directory = directory
        plannedName = name
        columnCount = writer.columnNames.count
    }

    func append(_ cells: UnsafeBufferPointer<Cell>, rows: Int) throws {
        guard let w = writer, !finished else { throw TableIOError.usage("the output table is already finished") }
        try w.append(rows: cells, rowCount: rows)
    }

    func finish() throws {
        guard let w = writer, !finished else { throw TableIOError.usage("the output table is already finished") }
        finished = true
        writer = nil
        do {
            try w.finish()
        } catch {
            unlink(tempPath)
            throw error
        }
        let name = try OutputFiles.publish(temp: tempPath, directory: directory, name: plannedName)
        context.outputs.append(OperationOutput(fileName: name, path: (directory as NSString).appendingPathComponent(name),
                                               rows: w.rowsWritten))
    }

    func discard() {
        finished = true
        writer = nil
        unlink(tempPath)
    }

    var opaque: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }
    static func from(_ p: OpaquePointer?) -> WriterHandle? {
        p.map { Unmanaged<WriterHandle>.fromOpaque(UnsafeRawPointer($0)).takeUnretainedValue() }
    }
}

/// The object behind a `pz_text_writer *`.
final class TextWriterHandle {
    unowned let context: OperationContext
    private var file: FileDescriptor?
    private var buffer: [UInt8] = []
    let tempPath: String
    let directory: String
    let plannedName: String
    private(set) var finished = false
    /// Bytes that go before the body (`text_set_prefix`); assembled at finish.
    private var prefix: [UInt8] = []
    static let maxPrefix = 1 << 20

    init(context: OperationContext, tempPath: String, directory: String, name: String) throws {
        self.context = context
        self.tempPath = tempPath
        self.directory = directory
        plannedName = name
        file = try FileDescriptor(writingTo: tempPath)
    }

    func write(_ p: UnsafeRawPointer, _ n: Int) throws {
        guard let f = file, !finished else { throw TableIOError.usage("the text output is already finished") }
        buffer.append(contentsOf: UnsafeRawBufferPointer(start: p, count: n))
        if buffer.count >= 1 << 18 {
            try f.write(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    func setPrefix(_ p: UnsafeRawPointer?, _ n: Int) throws {
        guard file != nil, !finished else { throw TableIOError.usage("the text output is already finished") }
        prefix = p.map { Array(UnsafeRawBufferPointer(start: $0, count: n)) } ?? []
    }

    func finish() throws {
        guard let f = file, !finished else { throw TableIOError.usage("the text output is already finished") }
        finished = true
        var published = tempPath
        do {
            try f.write(buffer)
            if prefix.isEmpty {
                try f.sync()
            } else {
                published = tempPath + ".p"
                try Self.assemble(prefix: prefix, body: tempPath, into: published)
                unlink(tempPath)
            }
        } catch {
            unlink(tempPath)
            if published != tempPath { unlink(published) }
            throw error
        }
        file = nil
        let name = try OutputFiles.publish(temp: published, directory: directory, name: plannedName)
        context.outputs.append(OperationOutput(fileName: name, path: (directory as NSString).appendingPathComponent(name), rows: 0))
    }

    func discard() {
        finished = true
        file = nil
        unlink(tempPath)
    }

    /// Writes `prefix` then the body file into a new file. The body is copied inside the kernel (`sendfile`,
    /// file to file since Linux 2.6.33), with a read/write fallback.
    static func assemble(prefix: [UInt8], body: String, into path: String) throws {
        let out = try FileDescriptor(writingTo: path)
        try out.write(prefix)
        let input = try FileDescriptor(readingFrom: body)
        var remaining = try input.size()
        var kernelCopy = true
        let chunkSize = 1 << 20
        var chunk: UnsafeMutableRawPointer?   // the fallback's buffer, allocated once when needed
        defer { chunk?.deallocate() }
        while remaining > 0 {
            if kernelCopy {
                let n = sendfile(out.fd, input.fd, nil, Int(min(remaining, 1 << 30)))
                if n > 0 { remaining -= Int64(n); continue }
                if n == 0 { throw TableIOError.io("the text output's body ended early") }
                guard errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP else {
                    throw TableIOError.io("cannot copy the text output: \(String(cString: strerror(errno)))")
                }
                kernelCopy = false
            }
            let buffer = chunk ?? UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 16)
            chunk = buffer
            let n = try input.read(into: buffer, count: chunkSize)
            guard n > 0 else { throw TableIOError.io("the text output's body ended early") }
            try out.write(buffer, count: n)
            remaining -= Int64(n)
        }
        try out.sync()
    }

    var opaque: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }
    static func from(_ p: OpaquePointer?) -> TextWriterHandle? {
        p.map { Unmanaged<TextWriterHandle>.fromOpaque(UnsafeRawPointer($0)).takeUnretainedValue() }
    }
}
