import CWallboardSys
import Glibc
import Synchronization

/// One thread that waits (epoll) on every file descriptor a task is waiting on and resumes the
/// waiting tasks when their descriptor is ready or their deadline passes. Serial and TCP
/// transports use non-blocking descriptors and suspend here, so no task ever blocks a
/// cooperative thread, and a wake-up costs the same with five boards or five hundred.
final class IOReactor: Sendable {
    static let shared = IOReactor()

    enum Interest {
        case readable, writable
    }

    enum Readiness: Equatable {
        /// Ready, or in an error or hang-up state that the next read or write will report.
        case ready
        case timedOut
    }

    /// The descriptor was closed while a task waited on it.
    struct DescriptorClosed: Error {}

    private struct Waiter {
        let continuation: CheckedContinuation<Readiness, any Error>
    }

    /// Who waits on one descriptor, and what epoll knows of it. A descriptor stays registered
    /// between waits and is armed for one report at a time, so a wait costs one epoll_ctl, not two.
    private struct Watch {
        var readers: [UInt64: Waiter] = [:]
        var writers: [UInt64: Waiter] = [:]
        var isRegistered = false
        /// What epoll will report once more; nil once it has reported (or was never armed).
        var armed: (readable: Bool, writable: Bool)?

        var isIdle: Bool { readers.isEmpty && writers.isEmpty }
    }

    private enum LoopState {
        case working
        /// In epoll_wait until this deadline (nil: until a descriptor is ready).
        case sleeping(until: ContinuousClock.Instant?)
    }

    private struct State {
        var watches: [Int32: Watch] = [:]
        /// Where each waiting task is, to find it from a deadline or a cancellation.
        var locations: [UInt64: (descriptor: Int32, interest: Interest)] = [:]
        var deadlines = DeadlineHeap()
        var nextID: UInt64 = 0
        var loop = LoopState.working
    }

    private let state = Mutex(State())
    private let epoll: Int32
    private let wakeReader: Int32
    private let wakeWriter: Int32

    private init() {
        var ends: [Int32] = [0, 0]
        epoll = wb_epoll_create()
        guard epoll >= 0, wb_nonblocking_pipe(&ends) == 0, wb_epoll_watch_readable(epoll, ends[0]) == 0 else {
            fatalError("cannot set up the I/O wait loop: \(String(cString: strerror(errno)))")
        }
        wakeReader = ends[0]
        wakeWriter = ends[1]
        startDetachedThread(name: "wallboard-io") { [self] in run() }
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
                enum Registration { case waiting(wake: Bool), cancelled, unwatchable }
                let registration = state.withLock { state -> Registration in
                    // Checked under the lock: a cancellation handler that already ran found no waiter.
                    if Task.isCancelled { return .cancelled }
                    var watch = state.watches[descriptor] ?? Watch()
                    // With nobody waiting, the arming may be a closed file's: arm afresh.
                    if watch.isIdle { watch.armed = nil }
                    switch interest {
                    case .readable: watch.readers[id] = Waiter(continuation: continuation)
                    case .writable: watch.writers[id] = Waiter(continuation: continuation)
                    }
                    guard Self.arm(&watch, descriptor: descriptor, epoll: epoll) else {
                        watch.readers[id] = nil
                        watch.writers[id] = nil
                        state.watches[descriptor] = watch.isIdle && !watch.isRegistered ? nil : watch
                        return .unwatchable
                    }
                    state.watches[descriptor] = watch
                    state.locations[id] = (descriptor, interest)
                    state.deadlines.insert(deadline, id: id)
                    if case .sleeping(let until) = state.loop, until.map({ deadline < $0 }) ?? true {
                        state.loop = .working
                        return .waiting(wake: true)
                    }
                    return .waiting(wake: false)
                }
                switch registration {
                case .waiting(let wake): if wake { self.wake() }
                case .cancelled: continuation.resume(throwing: CancellationError())
                // epoll refuses this kind of file: let the read or write itself say what it can.
                case .unwatchable: continuation.resume(returning: .ready)
                }
            }
        } onCancel: {
            let waiter = state.withLock { state in removeWaiter(id, from: &state) }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Fails every wait on `descriptor`, stops watching it and closes it, in one step: a wait
    /// that begins meanwhile (its owner closing it from another task) finds the descriptor open
    /// and is failed here, or finds it closed, and never leaves a registration behind for
    /// whatever file reuses the number.
    func close(descriptor: Int32) {
        let abandoned = state.withLock { state -> [Waiter] in
            defer { _ = Glibc.close(descriptor) }
            guard let watch = state.watches.removeValue(forKey: descriptor) else { return [] }
            let waiters = Array(watch.readers.values) + Array(watch.writers.values)
            for id in watch.readers.keys { state.locations[id] = nil }
            for id in watch.writers.keys { state.locations[id] = nil }
            if watch.isRegistered { _ = wb_epoll_forget(epoll, descriptor) }
            return waiters
        }
        for waiter in abandoned {
            waiter.continuation.resume(throwing: DescriptorClosed())
        }
    }

    /// Arms epoll for what `watch`'s waiters want, unless it is armed for that already; false
    /// when epoll cannot watch the descriptor. A direction armed that nobody waits for any more
    /// is left armed: its report finds no waiter and is dropped.
    private static func arm(_ watch: inout Watch, descriptor: Int32, epoll: Int32) -> Bool {
        let wanted = (readable: !watch.readers.isEmpty, writable: !watch.writers.isEmpty)
        guard wanted.readable || wanted.writable else { return true }
        if let armed = watch.armed, armed.readable || !wanted.readable, armed.writable || !wanted.writable { return true }
        guard wb_epoll_arm(epoll, descriptor, watch.isRegistered ? 1 : 0, wanted.readable ? 1 : 0, wanted.writable ? 1 : 0) == 0 else {
            return false
        }
        watch.isRegistered = true
        watch.armed = wanted
        return true
    }

    private func removeWaiter(_ id: UInt64, from state: inout State) -> Waiter? {
        guard let location = state.locations.removeValue(forKey: id),
              var watch = state.watches[location.descriptor]
        else { return nil }
        let waiter = location.interest == .readable
            ? watch.readers.removeValue(forKey: id) : watch.writers.removeValue(forKey: id)
        state.watches[location.descriptor] = watch
        return waiter
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = Glibc.write(wakeWriter, &byte, 1)
    }

    private func run() {
        let capacity = 64
        var descriptors = [Int32](repeating: 0, count: capacity)
        var readiness = [UInt32](repeating: 0, count: capacity)
        while true {
            let timeout = state.withLock { state in
                // Waiters that became ready leave their deadline behind: sweep when those pile up.
                if state.deadlines.count > 4 * state.locations.count + 1024 {
                    state.deadlines.removeAll { state.locations[$0] == nil }
                }
                let next = state.deadlines.earliest { state.locations[$0] != nil }
                state.loop = .sleeping(until: next)
                return next.map(Self.milliseconds(until:)) ?? -1
            }
            let count = wb_epoll_wait(epoll, &descriptors, &readiness, Int32(capacity), timeout)
            if count < 0 && errno != EINTR {
                fatalError("epoll_wait failed: \(String(cString: strerror(errno)))")
            }

            let now = ContinuousClock.now
            var resumptions: [(CheckedContinuation<Readiness, any Error>, Readiness)] = []
            state.withLock { state in
                state.loop = .working
                for index in 0..<max(0, Int(count)) {
                    let descriptor = descriptors[index]
                    if descriptor == wakeReader {
                        drainWakePipe()
                        continue
                    }
                    guard var watch = state.watches[descriptor] else { continue }
                    // Reported once: epoll has disarmed it.
                    watch.armed = nil
                    if readiness[index] & 1 != 0 {
                        for (id, waiter) in watch.readers {
                            state.locations[id] = nil
                            resumptions.append((waiter.continuation, .ready))
                        }
                        watch.readers.removeAll(keepingCapacity: true)
                    }
                    if readiness[index] & 2 != 0 {
                        for (id, waiter) in watch.writers {
                            state.locations[id] = nil
                            resumptions.append((waiter.continuation, .ready))
                        }
                        watch.writers.removeAll(keepingCapacity: true)
                    }
                    // Whoever still waits (the other direction) needs it armed again.
                    if !watch.isIdle, !Self.arm(&watch, descriptor: descriptor, epoll: epoll) {
                        for waiter in watch.readers.values { resumptions.append((waiter.continuation, .ready)) }
                        for waiter in watch.writers.values { resumptions.append((waiter.continuation, .ready)) }
                        for id in watch.readers.keys { state.locations[id] = nil }
                        for id in watch.writers.keys { state.locations[id] = nil }
                        watch.readers.removeAll()
                        watch.writers.removeAll()
                    }
                    state.watches[descriptor] = watch
                }
                while let id = state.deadlines.popExpired(at: now) {
                    if let waiter = removeWaiter(id, from: &state) {
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

/// Waiters' deadlines, earliest first. Entries of waiters that finished otherwise stay until they
/// reach the top and are skipped there.
struct DeadlineHeap {
    private var entries: [(deadline: ContinuousClock.Instant, id: UInt64)] = []

    mutating func insert(_ deadline: ContinuousClock.Instant, id: UInt64) {
        entries.append((deadline, id))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].deadline < entries[parent].deadline else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// The earliest deadline whose waiter `isLive`, dropping dead entries above it.
    mutating func earliest(isLive: (UInt64) -> Bool) -> ContinuousClock.Instant? {
        while let top = entries.first {
            if isLive(top.id) { return top.deadline }
            removeTop()
        }
        return nil
    }

    /// Removes and returns the id of the earliest entry if its deadline is at or before `now`.
    mutating func popExpired(at now: ContinuousClock.Instant) -> UInt64? {
        guard let top = entries.first, top.deadline <= now else { return nil }
        removeTop()
        return top.id
    }

    var count: Int { entries.count }

    mutating func removeAll(where isDead: (UInt64) -> Bool) {
        let live = entries.filter { !isDead($0.id) }
        entries = []
        for entry in live { insert(entry.deadline, id: entry.id) }
    }

    private mutating func removeTop() {
        let last = entries.removeLast()
        guard !entries.isEmpty else { return }
        entries[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count && entries[left].deadline < entries[smallest].deadline { smallest = left }
            if right < entries.count && entries[right].deadline < entries[smallest].deadline { smallest = right }
            if smallest == parent { return }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
