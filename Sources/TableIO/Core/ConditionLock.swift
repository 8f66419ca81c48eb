#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pthread mutex with one condition variable, heap-allocated so its address never moves (a Swift stored
/// `pthread_mutex_t` may be moved, which POSIX forbids). For the engine's few cross-thread hand-offs.
final class ConditionLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    init() {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Runs `body` holding the lock.
    @inline(__always) func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Waits for a signal; only inside `withLock`. Callers re-check their predicate in a loop (spurious wake-ups).
    @inline(__always) func wait() { pthread_cond_wait(condition, mutex) }

    /// Wakes every waiter (the hand-offs have one waiter on each side, so broadcast keeps them simple).
    @inline(__always) func broadcast() { pthread_cond_broadcast(condition) }
}
