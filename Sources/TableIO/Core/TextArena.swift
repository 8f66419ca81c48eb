import PycelizeCore

/// Byte storage for the text cells of one batch. Chunks never move, so pointers handed out stay valid until `reset`.
/// Reset reuses the first chunk, so a steady-state reader allocates nothing per cell or per batch.
public final class TextArena {
    private var chunks: [UnsafeMutableRawBufferPointer] = []
    private var current = 0
    /// Free space of the current chunk: where the next allocation goes and how many bytes are left there (cached so
    /// that the common allocation is a compare and two stores).
    @usableFromInline var next: UnsafeMutablePointer<UInt8>?
    @usableFromInline var left = 0
    private let chunkSize: Int

    /// The first chunk is allocated here, on the thread that creates the arena (untouched pages cost no memory):
    /// a reader's arena filled on the prefetching thread would otherwise take its chunks from that thread's malloc
    /// arena, and glibc keeps freed memory per arena, which raised the server's peak RSS by several MiB.
    public init(chunkSize: Int = 1 << 20) {
        self.chunkSize = chunkSize
        _ = slowAllocate(0)
        reset()
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
        next = chunks.first?.baseAddress?.assumingMemoryBound(to: UInt8.self)
        left = next == nil ? 0 : chunks[0].count
    }

    /// Reserves `count` bytes and returns their address.
    @inlinable @inline(__always)
    public func allocate(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        if count <= left, let p = next {
            next = p + count
            left -= count
            return p
        }
        return slowAllocate(count)
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
        // Safe: a fresh chunk has at least `count` bytes and a base address.
        let base = chunks[current].baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)
        next = base + count
        left = chunks[current].count - count
        return base
    }

    /// Copies `bytes` into the arena and returns a text cell pointing at the copy.
    @inline(__always) public func textCell(_ bytes: UnsafeBufferPointer<UInt8>) -> Cell {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return .text(nil, 0) }
        let p = allocate(bytes.count)
        WordScan.copy(source, to: p, count: bytes.count)
        return .text(UnsafePointer(p), bytes.count)
    }

    public func textCell(_ string: String) -> Cell {
        var s = string
        return s.withUTF8 { textCell($0) }
    }
}
