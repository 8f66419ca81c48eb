import CPycelizeISAL
import Dispatch

/// Writes a zip file entry by entry, streaming each entry through raw deflate (ISA-L's igzip at levels 1–3, zlib at
/// 0 and 4–9: see `RawDeflaters`) with a trailing data descriptor, so nothing has to be held in memory. Archives and entries over 4 GiB are refused (no zip64 writing).
///
/// With `pipelined`, compression runs on a private serial queue while the caller produces the next chunk (deflate
/// is the writer's floor, so this uses the second core); at most `maxChunksInFlight` chunks are queued, which keeps
/// memory bounded. All deflate and file state is touched only on that queue (hence `@unchecked Sendable`).
public final class ZipWriter: @unchecked Sendable {
    private struct CentralRecord {
        let name: [UInt8]
        let crc: UInt32
        let compressed: UInt64
        let uncompressed: UInt64
        let offset: UInt64
    }

    private let file: FileDescriptor
    private let level: Int
    private var out: [UInt8] = []
    private var written: UInt64 = 0
    private var records: [CentralRecord] = []
    // Current entry
    private var entryName: [UInt8] = []
    private var entryOffset: UInt64 = 0
    private var entryCRC: UInt32 = 0
    private var entryIn: UInt64 = 0
    private var entryOut: UInt64 = 0
    private var deflater: (any RawDeflater)?
    private var inEntry = false
    /// DOS date/time stamp written on every entry (fixed: 1980-01-01, so output is reproducible).
    private let dosTime: UInt16 = 0
    private let dosDate: UInt16 = 0x21

    private let pipelined: Bool
    private let queue = DispatchQueue(label: "pycelize.zip-deflate")
    private static let maxChunksInFlight = 4
    private let slots = DispatchSemaphore(value: ZipWriter.maxChunksInFlight)
    private var asyncError: Error?

    /// - Parameters:
    ///   - level: compression level 0–9 on zlib's scale (0 = stored, 1 = fastest, 6 = zlib's default).
    ///   - pipelined: compress on a second thread (see the type's documentation).
    public init(path: String, level: Int = 1, pipelined: Bool = false) throws {
        file = try FileDescriptor(writingTo: path)
        self.level = max(0, min(9, level))
        self.pipelined = pipelined
        out.reserveCapacity(1 << 18)
    }

    /// Runs `body` on the compression queue (in order after queued chunks) and rethrows any earlier async error.
    private func onQueue<R>(_ body: () throws -> R) throws -> R {
        try queue.sync {
            if let e = asyncError { throw e }
            return try body()
        }
    }

    private func put16(_ v: UInt16) { out.append(UInt8(v & 0xFF)); out.append(UInt8(v >> 8)) }
    private func put32(_ v: UInt32) { put16(UInt16(v & 0xFFFF)); put16(UInt16(v >> 16)) }

    private func flushOut(force: Bool = false) throws {
        if out.count >= 1 << 18 || (force && !out.isEmpty) {
            try file.write(out)
            written += UInt64(out.count)
            out.removeAll(keepingCapacity: true)
        }
    }

    private var position: UInt64 { written + UInt64(out.count) }

    /// Starts a new deflated entry.
    public func beginEntry(_ name: String) throws {
        try onQueue { try beginEntryNow(name) }
    }

    private func beginEntryNow(_ name: String) throws {
        precondition(!inEntry, "previous entry not finished")
        entryName = Array(name.utf8)
        entryOffset = position
        guard entryOffset < 0xFFFF_FFFF else { throw TableIOError.limitExceeded("Output file larger than 4 GiB") }
        put32(0x0403_4B50)
        put16(20); put16(0x0808) // version; flags: data descriptor + UTF-8 names
        put16(8); put16(dosTime); put16(dosDate)
        put32(0); put32(0); put32(0) // crc, sizes: in the data descriptor
        put16(UInt16(entryName.count)); put16(0)
        out.append(contentsOf: entryName)
        deflater = try RawDeflaters.make(level: level)
        entryCRC = 0
        entryIn = 0
        entryOut = 0
        inEntry = true
    }

    /// Compresses and appends bytes to the current entry (pipelined: copies them and returns at once).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        guard pipelined else { return try onQueue { try writeNow(bytes) } }
        let chunk = [UInt8](bytes)
        if let e = queue.sync(execute: { asyncError }) { throw e }
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            guard asyncError == nil else { return }
            do { try chunk.withUnsafeBytes { try writeNow($0) } } catch { asyncError = error }
        }
    }

    private func writeNow(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        entryCRC = crc32_gzip_refl(entryCRC, base.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
        entryIn += UInt64(bytes.count)
        try deflate(bytes, finish: false)
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    private func deflate(_ bytes: UnsafeRawBufferPointer, finish: Bool) throws {
        guard let deflater else { throw TableIOError.usage("no zip entry is open") }
        try deflater.compress(bytes, finish: finish) { block in
            // Written out before the buffer would outgrow its 256 KiB (igzip hands out blocks of up to 64 KiB).
            if out.count + block.count > 1 << 18 { try flushOut(force: true) }
            out.append(contentsOf: block)
            entryOut += UInt64(block.count)
        }
    }

    /// Finishes the current entry (flushes deflate, writes the data descriptor).
    public func endEntry() throws {
        try onQueue { try endEntryNow() }
    }

    private func endEntryNow() throws {
        precondition(inEntry)
        try deflate(UnsafeRawBufferPointer(start: nil, count: 0), finish: true)
        deflater = nil
        inEntry = false
        guard entryIn < 0xFFFF_FFFF, entryOut < 0xFFFF_FFFF else {
            throw TableIOError.limitExceeded("Output entry larger than 4 GiB")
        }
        let crc = entryCRC
        put32(0x0807_4B50); put32(crc); put32(UInt32(entryOut)); put32(UInt32(entryIn))
        records.append(CentralRecord(name: entryName, crc: crc, compressed: entryOut, uncompressed: entryIn,
                                     offset: entryOffset))
        try flushOut()
    }

    /// Convenience: a whole small entry.
    public func addEntry(_ name: String, _ bytes: [UInt8]) throws {
        try beginEntry(name)
        try write(bytes)
        try endEntry()
    }

    /// Writes the central directory and closes the archive (fsync'd).
    public func finish() throws {
        try onQueue { try finishNow() }
    }

    private func finishNow() throws {
        let cdStart = position
        // Checked before the central directory is written: its 32-bit offsets and 16-bit count would trap.
        guard cdStart < 0xFFFF_0000 else { throw TableIOError.limitExceeded("Output file larger than 4 GiB") }
        guard records.count < 0xFFFF else { throw TableIOError.limitExceeded("Output has more than 65,534 parts") }
        for r in records {
            put32(0x0201_4B50)
            put16(0x031E); put16(20); put16(0x0808); put16(8); put16(dosTime); put16(dosDate)
            put32(r.crc); put32(UInt32(r.compressed)); put32(UInt32(r.uncompressed))
            put16(UInt16(r.name.count)); put16(0); put16(0); put16(0); put16(0)
            put32(0o100644 << 16)
            put32(UInt32(r.offset))
            out.append(contentsOf: r.name)
        }
        let cdSize = position - cdStart
        guard position < 0xFFFF_FFFF else { throw TableIOError.limitExceeded("Output file larger than 4 GiB") }
        put32(0x0605_4B50); put16(0); put16(0)
        put16(UInt16(records.count)); put16(UInt16(records.count))
        put32(UInt32(cdSize)); put32(UInt32(cdStart)); put16(0)
        try flushOut(force: true)
        try file.sync()
    }
}
