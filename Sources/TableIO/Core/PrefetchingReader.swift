#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads another reader's batches one ahead, on a thread of its own, so that parsing the next batch (CSV records,
/// or the XLSX sheet XML) overlaps the caller's work on the current one (a plugin's algorithm, the output's XML
/// generation). Every operation's input goes through one (`TableFiles.openReader(prefetching: true)`).
///
/// Memory is bounded and no larger than a plain reader's: the wrapped reader is opened with small batches
/// (`TableFiles.prefetchBatchRows`) and two copies of a batch are kept, one being filled, one being read. Callers may
/// ask for fewer rows than a batch holds: they get views into it, without copying. Rows, errors and the end come
/// out in the wrapped reader's order; an error is handed over after the rows read before it, and then repeated.
/// `rewind` and dropping the reader stop the thread and join it (it stops within one batch).
///
/// The wrapped reader is used only by the thread from the first `nextBatch` until it stops; `rewind` touches it
/// after the join.
public final class PrefetchingReader: TableReader {
    public let columnNames: [String]
    public private(set) var rowsRead: Int64 = 0
    public private(set) var totalRowsHint: Int64
    private let pipe: Pipe
    private var thread: pthread_t?
    /// The copy being read (taken from the pipe), how far, and the view handed out of it.
    private var current: Pipe.Ready?
    private var offset = 0
    private let view = RowBatch(view: ())
    private var failure: Error?

    /// - Parameter batchRows: the wrapped reader's batch size; the two copies are allocated for it here, on the
    ///   caller's thread (see `TextArena.init` for why the thread should allocate nothing).
    public init(_ base: any TableReader, batchRows: Int = TableFiles.prefetchBatchRows) {
        columnNames = base.columnNames
        totalRowsHint = base.totalRowsHint
        pipe = Pipe(base: base, width: base.columnNames.count, batchRows: batchRows)
    }

    deinit { stop() }

    public func nextBatch(maxRows: Int) throws -> RowBatch {
        if let failure { throw failure }
        if thread == nil && current == nil { try start() }
        if let c = current, offset >= c.batch.rowCount, c.batch.rowCount > 0 {
            pipe.release(c.slot) // the caller is done with the last view of it
            current = nil
        }
        if current == nil {
            switch pipe.take() {
            case .ready(let ready):
                current = ready
                offset = 0
                if ready.hint >= 0 { totalRowsHint = ready.hint }
            case .failed(let error):
                failure = error
                throw error
            }
        }
        guard let c = current else { return view }
        let n = min(maxRows > 0 ? maxRows : c.batch.rowCount, c.batch.rowCount - offset)
        view.show(c.batch, rows: offset..<(offset + n))
        offset += n
        rowsRead += Int64(n)
        return view
    }

    public func rewind() throws {
        stop()
        current = nil
        offset = 0
        failure = nil
        rowsRead = 0
        try pipe.reset()
    }

    private func start() throws {
        let pipe = self.pipe
        thread = try EngineThread.start { pipe.produce() }
    }

    /// Stops the thread and waits for it. Safe to call more than once.
    private func stop() {
        guard let tid = thread else { return }
        thread = nil
        pipe.cancel()
        pthread_join(tid, nil)
    }
}

extension PrefetchingReader {
    /// The state both threads share; every field below `lock` is used only under it, except the batches' contents,
    /// which belong to the producer until published and to the consumer until released.
    final class Pipe: @unchecked Sendable {
        struct Ready {
            let slot: Int
            let batch: RowBatch
            let hint: Int64
        }
        enum Item { case ready(Ready), failed(Error) }

        private let base: any TableReader
        private let slots: [RowBatch]
        private let lock = ConditionLock()
        private var free = [0, 1]
        private var ready: [Ready] = []
        private var finished = false
        private var error: Error?
        private var cancelled = false

        init(base: any TableReader, width: Int, batchRows: Int) {
            self.base = base
            slots = (0..<2).map { _ in RowBatch(columnCount: width, capacityRows: batchRows) }
        }

        /// The thread's loop: copy the wrapped reader's next batch into a free slot and publish it, until the end
        /// (an empty batch, published too), an error, or cancel.
        func produce() {
            while true {
                let slot = lock.withLock { () -> Int? in
                    while free.isEmpty && !cancelled { lock.wait() }
                    return cancelled ? nil : free.removeFirst()
                }
                guard let slot else { return }
                do {
                    let batch = try base.nextBatch(maxRows: 0)
                    slots[slot].copy(from: batch)
                    let item = Ready(slot: slot, batch: slots[slot], hint: base.totalRowsHint)
                    lock.withLock {
                        ready.append(item)
                        if batch.rowCount == 0 { finished = true }
                        lock.broadcast()
                    }
                    if batch.rowCount == 0 { return }
                } catch {
                    lock.withLock {
                        self.error = error
                        finished = true
                        lock.broadcast()
                    }
                    return
                }
            }
        }

        /// The next published batch (an empty one at the end), waiting for the producer if none is ready.
        func take() -> Item {
            lock.withLock {
                while ready.isEmpty && !finished { lock.wait() }
                if !ready.isEmpty { return .ready(ready.removeFirst()) }
                return .failed(error ?? TableIOError.io("the reading thread stopped"))
            }
        }

        /// Gives a slot back to the producer.
        func release(_ slot: Int) {
            lock.withLock {
                free.append(slot)
                lock.broadcast()
            }
        }

        func cancel() {
            lock.withLock {
                cancelled = true
                lock.broadcast()
            }
        }

        /// After the thread has stopped: rewinds the wrapped reader and empties the pipe for a new thread.
        func reset() throws {
            lock.withLock {
                free = [0, 1]
                ready = []
                finished = false
                error = nil
                cancelled = false
            }
            try base.rewind()
        }
    }
}
