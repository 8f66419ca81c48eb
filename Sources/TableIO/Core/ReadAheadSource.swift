#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads another `ByteSource` on a dedicated thread, a few chunks ahead of the consumer, so that inflating a zip
/// entry (the producer) and parsing its XML (the consumer) use both cores.
///
/// Memory is bounded: a fixed ring of `chunkCount` chunks of `chunkSize` bytes, allocated once; the producer waits
/// when all are full, the consumer when all are empty. An error on the producer (a bomb limit, a CRC mismatch,
/// corrupt data) is handed over after the chunks read before it, so the consumer sees the same bytes and then the
/// same `TableIOError` as a direct read. Closing (or dropping) the source stops the producer and joins its thread,
/// whatever either side is doing; the producer stops within one chunk.
///
/// The wrapped source is used only by the producer thread from the first `read` on (it must not be touched
/// elsewhere meanwhile).
final class ReadAheadSource: ByteSource {
    private let ring: Ring
    private var thread: pthread_t?
    /// Consumer side: the chunk being read (valid while `current != nil`) and the position in it.
    private var current: (base: UnsafeMutablePointer<UInt8>, count: Int)?
    private var offset = 0
    private var failure: Error?

    init(_ source: any ByteSource, chunkSize: Int = 1 << 17, chunkCount: Int = 3) throws {
        let ring = Ring(source: source, chunkSize: chunkSize, chunkCount: chunkCount)
        self.ring = ring
        thread = try EngineThread.start { ring.produce() }
    }

    deinit { close() }

    /// Stops the producer and waits for its thread to end. Safe to call more than once.
    func close() {
        guard let tid = thread else { return }
        thread = nil
        ring.cancel()
        pthread_join(tid, nil)
    }

    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        if let failure { throw failure }
        if current == nil {
            switch ring.take() {
            case .chunk(let base, let n): current = (base, n); offset = 0
            case .end: return 0
            case .failed(let error): failure = error; throw error
            }
        }
        guard let (base, n) = current else { return 0 }
        let k = min(count, n - offset)
        buffer.copyMemory(from: base + offset, byteCount: k)
        offset += k
        if offset == n {
            current = nil
            ring.release()
        }
        return k
    }
}

extension ReadAheadSource {
    /// The state shared by both threads; every field below `lock` is read and written only under it, except the
    /// chunk bytes, which belong to the producer until published and to the consumer until released.
    final class Ring: @unchecked Sendable {
        enum Item { case chunk(UnsafeMutablePointer<UInt8>, Int), end, failed(Error) }

        private let source: any ByteSource
        private let chunkSize: Int
        private let chunks: [UnsafeMutablePointer<UInt8>]
        private let lock = ConditionLock()
        private var lengths: [Int]
        private var head = 0      // next chunk for the consumer
        private var filled = 0    // published and not yet released
        private var finished = false
        private var error: Error?
        private var cancelled = false

        init(source: any ByteSource, chunkSize: Int, chunkCount: Int) {
            self.source = source
            self.chunkSize = chunkSize
            chunks = (0..<max(2, chunkCount)).map { _ in .allocate(capacity: chunkSize) }
            lengths = [Int](repeating: 0, count: chunks.count)
        }

        deinit { for c in chunks { c.deallocate() } }

        /// The producer thread's loop: fill the next free chunk, publish it, until the end, an error or cancel.
        func produce() {
            var slot = 0
            while true {
                let go = lock.withLock { () -> Bool in
                    while filled == chunks.count && !cancelled { lock.wait() }
                    return !cancelled
                }
                guard go else { return }
                let (n, failure) = fill(chunks[slot])
                lock.withLock {
                    // The bytes read before a failure are handed over first, as a direct read would have.
                    if n > 0 { lengths[slot] = n; filled += 1 }
                    if n == 0 || failure != nil { finished = true; error = failure }
                    lock.broadcast()
                }
                if n == 0 || failure != nil { return }
                slot = (slot + 1) % chunks.count
            }
        }

        /// Reads until the chunk is full, the source ends, or it fails (fewer, larger hand-offs).
        private func fill(_ chunk: UnsafeMutablePointer<UInt8>) -> (Int, Error?) {
            var n = 0
            do {
                while n < chunkSize {
                    let k = try source.read(into: chunk + n, count: chunkSize - n)
                    if k == 0 { break }
                    n += k
                }
            } catch {
                return (n, error)
            }
            return (n, nil)
        }

        /// The next chunk, waiting for the producer if none is ready.
        func take() -> Item {
            lock.withLock {
                while filled == 0 && !finished { lock.wait() }
                if filled > 0 { return .chunk(chunks[head], lengths[head]) }
                if let error { return .failed(error) }
                return .end
            }
        }

        /// Gives the chunk returned by the last `take` back to the producer.
        func release() {
            lock.withLock {
                head = (head + 1) % chunks.count
                filled -= 1
                lock.broadcast()
            }
        }

        func cancel() {
            lock.withLock {
                cancelled = true
                lock.broadcast()
            }
        }
    }
}
