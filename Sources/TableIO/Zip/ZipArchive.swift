
/// Limits applied while reading zip containers (XLSX files). Defaults are generous for real workbooks and stop
/// zip bombs early.
public struct ZipLimits: Sendable, Equatable {
    /// Total bytes that may be inflated from one archive across all entries read.
    public var maxTotalInflatedBytes: Int64
    /// Largest allowed ratio of inflated to compressed bytes for one entry (checked once past 1 MiB).
    public var maxCompressionRatio: Int64
    /// Most entries an archive may list.
    public var maxEntries: Int

    public init(maxTotalInflatedBytes: Int64 = 4 << 30, maxCompressionRatio: Int64 = 1000, maxEntries: Int = 10_000) {
        self.maxTotalInflatedBytes = maxTotalInflatedBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.maxEntries = maxEntries
    }
}

/// A read-only view of a zip file's central directory, hand-parsed with bounds checks (zip64 aware).
public final class ZipArchive {
    public struct Entry: Sendable {
        public let name: String
        public let method: UInt16
        public let flags: UInt16
        public let compressedSize: Int64
        public let uncompressedSize: Int64
        public let localHeaderOffset: Int64
        public let crc32: UInt32
    }

    public let file: FileDescriptor
    public let entries: [Entry]
    public let limits: ZipLimits
    private let byName: [String: Int]
    private let fileSize: Int64
    /// Bytes inflated so far from this archive (all entries), checked against `limits`. Entries may be inflated on
    /// read-ahead threads, hence the lock (taken once per chunk of 256 KiB or more).
    private var inflatedTotal: Int64 = 0
    private let inflatedLock = ConditionLock()

    /// Adds `n` inflated bytes to the archive's total and returns the new total.
    func countInflated(_ n: Int64) -> Int64 {
        inflatedLock.withLock {
            inflatedTotal += n
            return inflatedTotal
        }
    }

    public init(path: String, limits: ZipLimits = ZipLimits()) throws {
        file = try FileDescriptor(readingFrom: path)
        self.limits = limits
        fileSize = try file.size()
        entries = try ZipArchive.readCentralDirectory(file, size: fileSize, limits: limits)
        var map: [String: Int] = [:]
        for (i, e) in entries.enumerated() where map[e.name] == nil { map[e.name] = i }
        byName = map
        try validateLayout()
    }

    public func entry(named name: String) -> Entry? {
        byName[name].map { entries[$0] }
    }

    // MARK: - Central directory

    private static func readCentralDirectory(_ file: FileDescriptor, size: Int64, limits: ZipLimits) throws -> [Entry] {
        guard size >= 22 else { throw TableIOError.badInput("Not a valid XLSX file: too small to be a zip archive") }
        let tailLen = Int(min(size, 65_557))
        var tail = [UInt8](repeating: 0, count: tailLen)
        let got = try tail.withUnsafeMutableBytes { try file.pread(into: $0.baseAddress!, count: tailLen, offset: size - Int64(tailLen)) }
        guard got == tailLen else { throw TableIOError.badInput("Not a valid XLSX file: short read") }
        var eocd = -1
        var i = tailLen - 22
        while i >= 0 {
            if tail[i] == 0x50 && tail[i + 1] == 0x4B && tail[i + 2] == 5 && tail[i + 3] == 6 { eocd = i; break }
            i -= 1
        }
        guard eocd >= 0 else {
            throw TableIOError.badInput("Not a valid XLSX file: no zip end-of-central-directory record (not a zip, or truncated)")
        }
        var r = ByteReader(tail)
        r.position = eocd + 10
        var count = Int64(try r.u16())
        var cdSize = Int64(try r.u32())
        var cdOffset = Int64(try r.u32())
        if count == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF {
            // Zip64: the locator sits 20 bytes before the EOCD.
            guard eocd >= 20, tail[eocd - 20] == 0x50, tail[eocd - 19] == 0x4B, tail[eocd - 18] == 6, tail[eocd - 17] == 7 else {
                throw TableIOError.badInput("Not a valid XLSX file: zip64 locator missing")
            }
            r.position = eocd - 20 + 8
            let z64Offset = Int64(bitPattern: try r.u64())
            guard z64Offset >= 0, z64Offset + 56 <= size else { throw TableIOError.badInput("Not a valid XLSX file: bad zip64 record") }
            var rec = [UInt8](repeating: 0, count: 56)
            _ = try rec.withUnsafeMutableBytes { try file.pread(into: $0.baseAddress!, count: 56, offset: z64Offset) }
            var z = ByteReader(rec)
            guard try z.u32() == 0x0606_4B50 else { throw TableIOError.badInput("Not a valid XLSX file: bad zip64 record") }
            z.position = 32
            count = Int64(bitPattern: try z.u64())
            cdSize = Int64(bitPattern: try z.u64())
            cdOffset = Int64(bitPattern: try z.u64())
        }
        guard count >= 0, count <= Int64(limits.maxEntries) else {
            throw TableIOError.limitExceeded("Zip archive lists \(count) entries; the limit is \(limits.maxEntries)")
        }
        guard cdOffset >= 0, cdSize >= 0, cdOffset + cdSize <= size, cdSize <= 64 << 20 else {
            throw TableIOError.badInput("Not a valid XLSX file: central directory out of range (truncated?)")
        }
        var cd = [UInt8](repeating: 0, count: Int(cdSize))
        if cdSize > 0 {
            _ = try cd.withUnsafeMutableBytes { try file.pread(into: $0.baseAddress!, count: Int(cdSize), offset: cdOffset) }
        }
        var c = ByteReader(cd)
        var entries: [Entry] = []
        entries.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard try c.u32() == 0x0201_4B50 else { throw TableIOError.badInput("Not a valid XLSX file: corrupt central directory") }
            c.position += 4
            let flags = try c.u16()
            let method = try c.u16()
            c.position += 4
            let crc = try c.u32()
            var comp = Int64(try c.u32())
            var uncomp = Int64(try c.u32())
            let nameLen = Int(try c.u16())
            let extraLen = Int(try c.u16())
            let commentLen = Int(try c.u16())
            c.position += 8
            var local = Int64(try c.u32())
            let nameBytes = try c.bytes(nameLen)
            let extraStart = c.position
            c.position += extraLen + commentLen
            guard c.position <= cd.count else { throw TableIOError.badInput("Not a valid XLSX file: corrupt central directory") }
            if comp == 0xFFFF_FFFF || uncomp == 0xFFFF_FFFF || local == 0xFFFF_FFFF {
                var e = ByteReader(Array(cd[extraStart..<(extraStart + extraLen)]))
                while e.remaining >= 4 {
                    let id = try e.u16(), len = Int(try e.u16())
                    let next = e.position + len
                    if id == 1 {
                        if uncomp == 0xFFFF_FFFF { uncomp = Int64(bitPattern: try e.u64()) }
                        if comp == 0xFFFF_FFFF { comp = Int64(bitPattern: try e.u64()) }
                        if local == 0xFFFF_FFFF { local = Int64(bitPattern: try e.u64()) }
                    }
                    e.position = next
                }
            }
            let name = String(decoding: nameBytes, as: UTF8.self)
            guard comp >= 0, uncomp >= 0, local >= 0, local < size else {
                throw TableIOError.badInput("Not a valid XLSX file: entry '\(name)' points outside the archive")
            }
            entries.append(Entry(name: name, method: method, flags: flags, compressedSize: comp,
                                 uncompressedSize: uncomp, localHeaderOffset: local, crc32: crc))
        }
        return entries
    }

    /// Refuses hostile layouts: traversal names, encryption, and entries whose data overlap (a zip-bomb technique).
    private func validateLayout() throws {
        for e in entries {
            if e.name.hasPrefix("/") || e.name.hasPrefix("\\") || e.name.split(separator: "/").contains("..")
                || e.name.contains("\\..") || e.name.contains(":") {
                throw TableIOError.badInput("Zip entry name '\(e.name)' is not allowed (absolute path or '..')")
            }
            if e.flags & 1 != 0 { throw TableIOError.badInput("Encrypted XLSX files are not supported") }
        }
        let sorted = entries.sorted { $0.localHeaderOffset < $1.localHeaderOffset }
        var lastEnd: Int64 = 0
        for e in sorted {
            if e.localHeaderOffset < lastEnd {
                throw TableIOError.badInput("Not a valid XLSX file: zip entries overlap (entry '\(e.name)')")
            }
            // Minimum extent: local header (30) + name + compressed data; the extra field length is only known
            // from the local header, so this is a lower bound.
            lastEnd = e.localHeaderOffset + 30 + Int64(e.name.utf8.count) + e.compressedSize
            if lastEnd > fileSize { throw TableIOError.badInput("Not a valid XLSX file: entry '\(e.name)' is truncated") }
        }
    }

    /// Opens an entry for streaming decompression.
    public func open(_ entry: Entry) throws -> ZipEntryStream {
        var header = [UInt8](repeating: 0, count: 30)
        let n = try header.withUnsafeMutableBytes { try file.pread(into: $0.baseAddress!, count: 30, offset: entry.localHeaderOffset) }
        var r = ByteReader(header)
        guard n == 30, try r.u32() == 0x0403_4B50 else {
            throw TableIOError.badInput("Not a valid XLSX file: bad local header for '\(entry.name)'")
        }
        r.position = 26
        let nameLen = Int64(try r.u16()), extraLen = Int64(try r.u16())
        let dataOffset = entry.localHeaderOffset + 30 + nameLen + extraLen
        guard dataOffset + entry.compressedSize <= fileSize else {
            throw TableIOError.badInput("Not a valid XLSX file: entry '\(entry.name)' is truncated")
        }
        guard entry.method == 0 || entry.method == 8 else {
            throw TableIOError.badInput("Unsupported zip compression method \(entry.method) in '\(entry.name)'")
        }
        return try ZipEntryStream(archive: self, entry: entry, dataOffset: dataOffset)
    }

    /// Entries that inflate to more than this are read ahead on a second thread (`openReadingAhead`).
    static let readAheadThreshold: Int64 = 2 << 20

    /// Opens an entry for streaming; a large one (by its declared size, a hint only) is inflated on a second
    /// thread while the caller parses (see `ReadAheadSource`).
    func openReadingAhead(_ entry: Entry) throws -> any ByteSource {
        let stream = try open(entry)
        guard entry.uncompressedSize > ZipArchive.readAheadThreshold else { return stream }
        return try ReadAheadSource(stream)
    }

    /// Reads a whole (small) entry into memory, refusing anything larger than `maxBytes`.
    public func readAll(_ entry: Entry, maxBytes: Int) throws -> [UInt8] {
        let stream = try open(entry)
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try stream.read(into: $0.baseAddress!, count: $0.count) }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
            if out.count > maxBytes {
                throw TableIOError.limitExceeded("'\(entry.name)' is larger than \(maxBytes >> 20) MiB")
            }
        }
    }
}

/// Little-endian reader over a byte array with bounds checks that throw instead of trapping.
struct ByteReader {
    let bytes: [UInt8]
    var position = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    var remaining: Int { bytes.count - position }

    mutating func u16() throws -> UInt16 {
        guard position + 2 <= bytes.count else { throw TableIOError.badInput("Not a valid XLSX file: truncated zip record") }
        defer { position += 2 }
        return UInt16(bytes[position]) | UInt16(bytes[position + 1]) << 8
    }
    mutating func u32() throws -> UInt32 {
        UInt32(try u16()) | UInt32(try u16()) << 16
    }
    mutating func u64() throws -> UInt64 {
        UInt64(try u32()) | UInt64(try u32()) << 32
    }
    mutating func bytes(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, position + n <= bytes.count else { throw TableIOError.badInput("Not a valid XLSX file: truncated zip record") }
        defer { position += n }
        return bytes[position..<(position + n)]
    }
}
