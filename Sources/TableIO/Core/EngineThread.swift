#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The engine's own threads (read-ahead, prefetch): plain pthreads, joined by their owners, counted while they run
/// so tests can check that every one ends when its owner closes.
enum EngineThread {
    private final class Body: @unchecked Sendable {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    private static let countLock = ConditionLock()
    nonisolated(unsafe) private static var count = 0

    /// Threads started here and still running, in the whole process.
    static var live: Int { countLock.withLock { count } }

    /// Starts a thread running `body`; the caller must `pthread_join` it.
    static func start(_ body: @escaping () -> Void) throws -> pthread_t {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        var tid = pthread_t()
        let rc = pthread_create(&tid, nil, { arg in
            guard let arg else { return nil }
            EngineThread.countLock.withLock { EngineThread.count += 1 }
            defer { EngineThread.countLock.withLock { EngineThread.count -= 1 } }
            Unmanaged<Body>.fromOpaque(arg).takeRetainedValue().run()
            return nil
        }, box)
        guard rc == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            throw TableIOError.io("Could not start an engine thread (\(rc))")
        }
        return tid
    }
}
