import CWallboardSys
import Glibc
import Synchronization

/// One thread that poll()s every file descriptor a task is waiting on and resumes the waiting
/// tasks when their descriptor is ready or their deadline passes. Serial and TCP transports use
/// non-blocking descriptors and suspend here, so no task ever blocks a cooperative thread.
final class IOReactor: Sendable {
    static let shared = IOReactor()

    enum Interest {
        case readable, writable

        var pollEvents: Int16 { self == .readable ? Int16(POLLIN) : Int16(POLLOUT) }
    }

    enum Readiness: Equatable {
        /// Ready, or in an error or hang-up state that the next read or write will report.
        case ready
        case timedOut
    }

    /// The descriptor was closed while a task waited on it.
    struct DescriptorClosed: Error {}

    private struct Waiter {
        let descriptor: Int32
        let events: Int16
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Readiness, any Error>
    }

    private struct State {
        var waiters: [UInt64: Waiter] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())
    private let wakeReader: Int32
    private let wakeWriter: Int32

    private init() {
        var ends: [Int32] = [0, 0]
        guard wb_nonblocking_pipe(&ends) == 0 else {
            fatalError("cannot create the I/O wake-up pipe: \(String(cString: strerror(errno)))")
        }
        wakeReader = ends[0]
        wakeWriter = ends[1]
        startDetachedThread(name: "wallboard-poll") { [self] in run() }
    }

    /// Suspends until `descriptor` is ready for `interest` or `deadline` passes.
    func wait(for interest: Interest, on descriptor: Int32, until deadline: ContinuousClock.Instant) async throws
        -> Readiness
    {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let cancelled = state.withLock { state in
                    // Checked under the lock: a cancellation handler that already ran found no waiter.
                    if Task.isCancelled { return true }
                    state.waiters[id] = Waiter(descriptor: descriptor, events: interest.pollEvents,
                                               deadline: deadline, continuation: continuation)
                    return false
                }
                if cancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    wake()
                }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Fails every wait on `descriptor`; call before closing it so that a reused descriptor
    /// number never wakes the wrong task.
    func abandon(descriptor: Int32) {
        let abandoned = state.withLock { state in
            let ids = state.waiters.filter { $0.value.descriptor == descriptor }.map(\.key)
            return ids.compactMap { state.waiters.removeValue(forKey: $0) }
        }
        for waiter in abandoned {
            waiter.continuation.resume(throwing: DescriptorClosed())
        }
        if !abandoned.isEmpty { wake() }
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = Glibc.write(wakeWriter, &byte, 1)
    }

    private func run() {
        while true {
            let (ids, timeoutMilliseconds, descriptors) = state.withLock { state in
                var ids: [UInt64] = []
                var descriptors = [pollfd(fd: wakeReader, events: Int16(POLLIN), revents: 0)]
                var earliest: ContinuousClock.Instant?
                for (id, waiter) in state.waiters {
                    ids.append(id)
                    descriptors.append(pollfd(fd: waiter.descriptor, events: waiter.events, revents: 0))
                    earliest = min(earliest ?? waiter.deadline, waiter.deadline)
                }
                return (ids, earliest.map(Self.milliseconds(until:)) ?? -1, descriptors)
            }
            var polled = descriptors
            let count = poll(&polled, nfds_t(polled.count), timeoutMilliseconds)
            if count < 0 && errno != EINTR {
                fatalError("poll() failed: \(String(cString: strerror(errno)))")
            }
            if polled[0].revents != 0 { drainWakePipe() }

            let now = ContinuousClock.now
            var resumptions: [(CheckedContinuation<Readiness, any Error>, Readiness)] = []
            state.withLock { state in
                for (index, id) in ids.enumerated() {
                    guard let waiter = state.waiters[id] else { continue }
                    if polled[index + 1].revents != 0 {
                        state.waiters[id] = nil
                        resumptions.append((waiter.continuation, .ready))
                    } else if waiter.deadline <= now {
                        state.waiters[id] = nil
                        resumptions.append((waiter.continuation, .timedOut))
                    }
                }
            }
            for (continuation, readiness) in resumptions {
                continuation.resume(returning: readiness)
            }
        }
    }

    private func drainWakePipe() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while Glibc.read(wakeReader, &buffer, buffer.count) > 0 {}
    }

    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let remaining = ContinuousClock.now.duration(to: deadline)
        if remaining <= .zero { return 0 }
        let (seconds, attoseconds) = remaining.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }
}
