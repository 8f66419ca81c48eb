import PycelizeCore

/// Byte storage for the text cells of one batch. Chunks never move, so pointers handed out stay valid until `reset`.
/// Reset reuses the first chunk, so a steady-state reader allocates nothing per cell or per batch.
public final class TextArena {
    private var chunks: [UnsafeMutableRawBufferPointer] = []
    private var current = 0
    private var used = 0
    private let chunkSize: Int

    public init(chunkSize: Int = 1 << 20) {
        self.chunkSize = chunkSize
    }

    deinit {
        for c in chunks { c.deallocate() }
    }

    /// Frees everything handed out since the last reset (keeps one chunk for reuse).
    public func reset() {
        if chunks.count > 1 {
            for c in chunks.dropFirst() { c.deallocate() }
            chunks.removeSubrange(1...)
        }
        current = 0
        used = 0
    }

    /// Reserves `count` bytes and returns their address.
    @inlinable @inline(__always)
    public func allocate(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        if let p = fastAllocate(count) { return p }
        return slowAllocate(count)
    }

    @usableFromInline func fastAllocate(_ count: Int) -> UnsafeMutablePointer<UInt8>? {
        guard current < chunks.count else { return nil }
        let c = chunks[current]
        guard c.count - used >= count, let base = c.baseAddress else { return nil }
        let p = base.advanced(by: used).assumingMemoryBound(to: UInt8.self)
        used += count
        return p
    }

    @usableFromInline func slowAllocate(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        let size = max(chunkSize, count)
        if current + 1 < chunks.count, chunks[current + 1].count >= size {
            current += 1
        } else {
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, 1), alignment: 8)
            if chunks.isEmpty { current = 0 } else { current += 1 }
            chunks.insert(chunk, at: current)
        }
        used = count
        // Safe: a fresh chunk has at least `count` bytes and a base address.
        return chunks[current].baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)
    }

    /// Copies `bytes` into the arena and returns a text cell pointing at the copy.
    @inlinable public func textCell(_ bytes: UnsafeBufferPointer<UInt8>) -> Cell {
        if bytes.isEmpty { return .text(nil, 0) }
        let p = allocate(bytes.count)
        p.update(from: bytes.baseAddress.unsafelyUnwrapped, count: bytes.count)
        return .text(UnsafePointer(p), bytes.count)
    }

    public func textCell(_ string: String) -> Cell {
        var s = string
        return s.withUTF8 { textCell($0) }
    }
}
