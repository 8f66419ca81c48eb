import CPycelizeZlib

/// Raw deflate through zlib: used where igzip has no equivalent, level 0 (stored blocks) and levels 4–9.
final class ZlibDeflater: RawDeflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let scratch: UnsafeMutablePointer<UInt8>
    private static let scratchSize = 1 << 16

    init(level: Int32) throws {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        scratch = .allocate(capacity: ZlibDeflater.scratchSize)
        let rc = deflateInit2_(stream, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                               Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            stream.deallocate()
            scratch.deallocate()
            throw TableIOError.io("zlib deflateInit failed (\(rc))")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
        scratch.deallocate()
    }

    func compress(_ input: UnsafeRawBufferPointer, finish: Bool,
                  _ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
        stream.pointee.avail_in = uInt(input.count)
        let flush = finish ? Z_FINISH : Z_NO_FLUSH
        while true {
            stream.pointee.next_out = scratch
            stream.pointee.avail_out = uInt(ZlibDeflater.scratchSize)
            let rc = deflate(stream, flush)
            guard rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR else {
                throw TableIOError.io("zlib deflate failed (\(rc))")
            }
            let produced = ZlibDeflater.scratchSize - Int(stream.pointee.avail_out)
            if produced > 0 { try sink(UnsafeRawBufferPointer(start: scratch, count: produced)) }
            if finish ? rc == Z_STREAM_END : (stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0) { return }
        }
    }
}
