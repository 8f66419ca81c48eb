import CPycelizeISAL

/// Raw deflate through ISA-L's igzip (levels 0–3; each level above 0 needs its own work buffer).
final class ISALDeflater: RawDeflater {
    /// igzip's stream state is large (~300 KiB with its hash tables): kept on the heap, never copied.
    private let stream: UnsafeMutablePointer<isal_zstream>
    private let levelBuffer: UnsafeMutablePointer<UInt8>?
    private let scratch: UnsafeMutablePointer<UInt8>
    private static let scratchSize = 1 << 16

    init(level: Int) throws {
        guard (0...3).contains(level) else { throw TableIOError.usage("igzip has no level \(level)") }
        let size = Int(pz_isal_level_buf_size(Int32(level)))
        stream = .allocate(capacity: 1)
        isal_deflate_init(stream)
        levelBuffer = size > 0 ? .allocate(capacity: size) : nil
        scratch = .allocate(capacity: ISALDeflater.scratchSize)
        stream.pointee.level = UInt32(level)
        stream.pointee.level_buf = levelBuffer
        stream.pointee.level_buf_size = UInt32(size)
        stream.pointee.gzip_flag = UInt16(IGZIP_DEFLATE)
        stream.pointee.flush = UInt16(NO_FLUSH)
    }

    deinit {
        stream.deallocate()
        levelBuffer?.deallocate()
        scratch.deallocate()
    }

    func compress(_ input: UnsafeRawBufferPointer, finish: Bool,
                  _ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
        stream.pointee.avail_in = UInt32(input.count)
        stream.pointee.end_of_stream = finish ? 1 : 0
        while true {
            stream.pointee.next_out = scratch
            stream.pointee.avail_out = UInt32(ISALDeflater.scratchSize)
            let rc = isal_deflate(stream)
            guard rc == COMP_OK else { throw TableIOError.io("igzip deflate failed (\(rc))") }
            let produced = ISALDeflater.scratchSize - Int(stream.pointee.avail_out)
            if produced > 0 { try sink(UnsafeRawBufferPointer(start: scratch, count: produced)) }
            let ended = stream.pointee.internal_state.state == ZSTATE_END
            // More to do while input remains, the output block was filled, or a finishing stream has not ended.
            if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 && (!finish || ended) { return }
        }
    }
}
