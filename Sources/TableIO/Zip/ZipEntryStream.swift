import CPycelizeISAL

/// Streams the decompressed bytes of one zip entry (stored, or raw deflate via ISA-L's igzip), enforcing the
/// archive's inflated-size and ratio limits and checking the CRC-32 at the end.
///
/// igzip computes the CRC while it inflates (`crc_flag = ISAL_GZIP_NO_HDR`: gzip's CRC-32, which is zip's), so the
/// check costs no second pass over the output; stored entries use `crc32_gzip_refl`, the same function.
public final class ZipEntryStream {
    private let archive: ZipArchive
    private let entry: ZipArchive.Entry
    private var compressedOffset: Int64
    private var compressedRemaining: Int64
    private var input: UnsafeMutablePointer<UInt8>
    private let inputCapacity = 1 << 18
    /// igzip's state is ~40 KiB: kept on the heap, never copied.
    private let state: UnsafeMutablePointer<inflate_state>
    private var finished = false
    private var produced: Int64 = 0
    /// CRC of stored entries (deflated ones keep theirs in `state.pointee.crc`).
    private var storedCRC: UInt32 = 0
    private let deflated: Bool

    init(archive: ZipArchive, entry: ZipArchive.Entry, dataOffset: Int64) throws {
        self.archive = archive
        self.entry = entry
        compressedOffset = dataOffset
        compressedRemaining = entry.compressedSize
        deflated = entry.method == 8
        input = .allocate(capacity: inputCapacity)
        state = .allocate(capacity: 1)
        isal_inflate_init(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP_NO_HDR) // raw deflate, CRC-32 of the output tracked
    }

    deinit {
        state.deallocate()
        input.deallocate()
    }

    /// Reads up to `count` decompressed bytes into `buffer`; returns 0 at the end of the entry.
    public func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        if finished || count == 0 { return 0 }
        let out = buffer.assumingMemoryBound(to: UInt8.self)
        let want = UInt32(clamping: count)
        let n = deflated ? try inflate(into: out, count: want) : try copyStored(into: out, count: want)
        produced += Int64(n)
        try checkLimits(archiveTotal: archive.countInflated(Int64(n)))
        if finished && entry.crc32 != 0 && crc != entry.crc32 {
            throw TableIOError.badInput("Not a valid XLSX file: CRC mismatch in '\(entry.name)'")
        }
        return n
    }

    /// The CRC-32 of everything produced so far.
    private var crc: UInt32 { deflated ? state.pointee.crc : storedCRC }

    private func copyStored(into out: UnsafeMutablePointer<UInt8>, count: UInt32) throws -> Int {
        let want = Int(min(Int64(count), compressedRemaining))
        let n = try archive.file.pread(into: out, count: want, offset: compressedOffset)
        if n < want { throw truncated() }
        compressedOffset += Int64(n)
        compressedRemaining -= Int64(n)
        if compressedRemaining == 0 { finished = true }
        storedCRC = crc32_gzip_refl(storedCRC, out, UInt64(n))
        return n
    }

    private func inflate(into out: UnsafeMutablePointer<UInt8>, count: UInt32) throws -> Int {
        state.pointee.next_out = out
        state.pointee.avail_out = count
        while state.pointee.avail_out > 0 {
            if state.pointee.avail_in == 0 && compressedRemaining > 0 {
                let want = Int(min(Int64(inputCapacity), compressedRemaining))
                let got = try archive.file.pread(into: input, count: want, offset: compressedOffset)
                if got < want { throw truncated() }
                compressedOffset += Int64(got)
                compressedRemaining -= Int64(got)
                state.pointee.next_in = input
                state.pointee.avail_in = UInt32(got)
            }
            let outBefore = state.pointee.avail_out
            let inBefore = state.pointee.avail_in
            let rc = isal_inflate(state)
            if rc < 0 { throw TableIOError.badInput("Not a valid XLSX file: corrupt compressed data in '\(entry.name)'") }
            if state.pointee.block_state == ISAL_BLOCK_FINISH { finished = true; break }
            if state.pointee.avail_out == outBefore && state.pointee.avail_in == inBefore {
                // A call that made no progress: with all input read, the deflate stream stops before its last
                // block; with input left, igzip is stuck on it (never seen; refused rather than looped on).
                if compressedRemaining == 0 && inBefore == 0 {
                    throw TableIOError.badInput("Not a valid XLSX file: '\(entry.name)' ends before its data is complete")
                }
                throw TableIOError.badInput("Not a valid XLSX file: corrupt compressed data in '\(entry.name)'")
            }
        }
        return Int(count - state.pointee.avail_out)
    }

    private func truncated() -> TableIOError {
        .badInput("Not a valid XLSX file: '\(entry.name)' is truncated")
    }

    private func checkLimits(archiveTotal: Int64) throws {
        let limits = archive.limits
        if archiveTotal > limits.maxTotalInflatedBytes {
            throw TableIOError.limitExceeded("The XLSX file inflates to more than \(limits.maxTotalInflatedBytes >> 20) MiB (zip bomb?)")
        }
        if produced > 1 << 20 {
            let consumed = max(1, entry.compressedSize - compressedRemaining - Int64(state.pointee.avail_in))
            if produced / consumed > limits.maxCompressionRatio {
                throw TableIOError.limitExceeded("'\(entry.name)' has a compression ratio above \(limits.maxCompressionRatio):1 (zip bomb?)")
            }
        }
    }
}
