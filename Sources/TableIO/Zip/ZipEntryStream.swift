import CPycelizeZlib

/// Streams the decompressed bytes of one zip entry (stored or raw deflate via zlib), enforcing the archive's
/// inflated-size and ratio limits and checking the CRC at the end.
public final class ZipEntryStream {
    private let archive: ZipArchive
    private let entry: ZipArchive.Entry
    private var compressedOffset: Int64
    private var compressedRemaining: Int64
    private var input: UnsafeMutablePointer<UInt8>
    private let inputCapacity = 1 << 18
    private var stream = z_stream()
    private var finished = false
    private var produced: Int64 = 0
    private var crc: uLong = crc32(0, nil, 0)
    private let deflated: Bool
    private var inflateReady = false

    init(archive: ZipArchive, entry: ZipArchive.Entry, dataOffset: Int64) throws {
        self.archive = archive
        self.entry = entry
        compressedOffset = dataOffset
        compressedRemaining = entry.compressedSize
        deflated = entry.method == 8
        input = .allocate(capacity: inputCapacity)
        if deflated {
            let rc = inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
            // On failure deinit still runs (frees `input`); it must not call inflateEnd on a stream never set up.
            inflateReady = rc == Z_OK
            guard rc == Z_OK else { throw TableIOError.io("zlib inflateInit failed (\(rc))") }
        }
    }

    deinit {
        if inflateReady { inflateEnd(&stream) }
        input.deallocate()
    }

    /// Reads up to `count` decompressed bytes into `buffer`; returns 0 at the end of the entry.
    public func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        if finished || count == 0 { return 0 }
        let out = buffer.assumingMemoryBound(to: UInt8.self)
        var n = 0
        if !deflated {
            let want = Int(min(Int64(count), compressedRemaining))
            n = try archive.file.pread(into: buffer, count: want, offset: compressedOffset)
            if n < want { throw TableIOError.badInput("Not a valid XLSX file: '\(entry.name)' is truncated") }
            compressedOffset += Int64(n)
            compressedRemaining -= Int64(n)
            if compressedRemaining == 0 { finished = true }
        } else {
            stream.next_out = out
            stream.avail_out = uInt(count)
            while stream.avail_out > 0 {
                if stream.avail_in == 0 && compressedRemaining > 0 {
                    let want = Int(min(Int64(inputCapacity), compressedRemaining))
                    let got = try archive.file.pread(into: input, count: want, offset: compressedOffset)
                    if got < want { throw TableIOError.badInput("Not a valid XLSX file: '\(entry.name)' is truncated") }
                    compressedOffset += Int64(got)
                    compressedRemaining -= Int64(got)
                    stream.next_in = input
                    stream.avail_in = uInt(got)
                }
                let rc = inflate(&stream, Z_NO_FLUSH)
                if rc == Z_STREAM_END { finished = true; break }
                if rc == Z_BUF_ERROR && stream.avail_in == 0 && compressedRemaining == 0 {
                    throw TableIOError.badInput("Not a valid XLSX file: '\(entry.name)' ends before its data is complete")
                }
                if rc != Z_OK && rc != Z_BUF_ERROR {
                    throw TableIOError.badInput("Not a valid XLSX file: corrupt compressed data in '\(entry.name)'")
                }
            }
            n = count - Int(stream.avail_out)
        }
        produced += Int64(n)
        archive.inflatedTotal += Int64(n)
        try checkLimits()
        crc = crc32(crc, out, uInt(n))
        if finished && entry.crc32 != 0 && UInt32(truncatingIfNeeded: crc) != entry.crc32 {
            throw TableIOError.badInput("Not a valid XLSX file: CRC mismatch in '\(entry.name)'")
        }
        return n
    }

    private func checkLimits() throws {
        let limits = archive.limits
        if archive.inflatedTotal > limits.maxTotalInflatedBytes {
            throw TableIOError.limitExceeded("The XLSX file inflates to more than \(limits.maxTotalInflatedBytes >> 20) MiB (zip bomb?)")
        }
        if produced > 1 << 20 {
            let consumed = max(1, entry.compressedSize - compressedRemaining - Int64(stream.avail_in))
            if produced / consumed > limits.maxCompressionRatio {
                throw TableIOError.limitExceeded("'\(entry.name)' has a compression ratio above \(limits.maxCompressionRatio):1 (zip bomb?)")
            }
        }
    }
}
