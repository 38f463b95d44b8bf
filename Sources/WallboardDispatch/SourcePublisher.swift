import Foundation
import Synchronization

/// The state a source publishes and the streams that carry it to subscribers: one implementation
/// for every kind of source, so that health means the same whatever the database.
public final class SourcePublisher: Sendable {
    private let wallClock: @Sendable () -> Date
    private let shared = Mutex(Shared())

    private struct Shared {
        var state = SourceState(snapshot: nil, health: SourceHealth())
        var subscribers: [UUID: AsyncStream<SourceState>.Continuation] = [:]
    }

    public init(wallClock: @escaping @Sendable () -> Date) {
        self.wallClock = wallClock
    }

    public var currentState: SourceState { shared.withLock { $0.state } }

    /// The current state first, then every change; a slow consumer sees up to `count` states it has
    /// not taken yet.
    public func states(keepingNewest count: Int) -> AsyncStream<SourceState> {
        let (stream, continuation) = AsyncStream.makeStream(of: SourceState.self, bufferingPolicy: .bufferingNewest(max(1, count)))
        let id = UUID()
        shared.withLock { shared in
            shared.subscribers[id] = continuation
            continuation.yield(shared.state)
        }
        continuation.onTermination = { [weak self] _ in
            self?.shared.withLock { _ = $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// A new snapshot, current as of `uptime` (now unless the data is known to be older).
    public func publish(_ snapshot: DispatchSnapshot, from endpoint: SourceEndpoint? = nil, asOf uptime: ContinuousClock.Instant = .now) {
        let now = wallClock()
        publish { state in
            state.snapshot = snapshot
            let warning = state.health.warning
            state.health = SourceHealth(confirmedAt: now.addingTimeInterval(-(ContinuousClock.now - uptime).inSeconds), lastSnapshotAt: now)
            state.health.confirmedUptime = uptime
            state.health.endpoint = endpoint
            state.health.warning = warning
            return true
        }
    }

    /// What the source found about the database that works but puts its writers at risk; nil once it is gone.
    public func warn(_ warning: String?) {
        publish { state in
            guard state.health.warning != warning else { return false }
            state.health.warning = warning
            return true
        }
    }

    /// The snapshot still matches the data, as of `uptime` (now unless the data is known to be older).
    public func confirm(asOf uptime: ContinuousClock.Instant = .now, from endpoint: SourceEndpoint? = nil) {
        let now = wallClock()
        publish { state in
            let changed = state.health.problem != nil || state.health.endpoint != endpoint
            state.health.confirmedAt = now.addingTimeInterval(-(ContinuousClock.now - uptime).inSeconds)
            state.health.confirmedUptime = uptime
            state.health.problem = nil
            state.health.problemSince = nil
            state.health.endpoint = endpoint
            return changed
        }
    }

    /// Something keeps the source from confirming its data; the last good snapshot stays.
    public func report(_ problem: SourceProblem) {
        let now = wallClock()
        publish { state in
            guard state.health.problem != problem else { return false }
            if state.health.problem == nil { state.health.problemSince = now }
            state.health.problem = problem
            return true
        }
    }

    /// Applies `change`; tells subscribers when it returns true.
    private func publish(_ change: (inout SourceState) -> Bool) {
        shared.withLock { shared in
            guard change(&shared.state) else { return }
            for continuation in shared.subscribers.values { continuation.yield(shared.state) }
        }
    }

    /// Ends every subscriber's stream (the source stopped).
    public func finish() {
        let continuations = shared.withLock { shared in
            defer { shared.subscribers = [:] }
            return Array(shared.subscribers.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}
