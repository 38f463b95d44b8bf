import Foundation
import ServiceLifecycle
import WallboardDispatch

/// Runs the dispatch source and tells every board when its state changes. Boards read the
/// newest state when they wake, so a board that is busy never queues up old snapshots.
public final class SourceFeed: Service, Sendable {
    public let source: any DispatchStateSource
    /// How long without a confirmed read before boards show the "data interrupted" banner.
    public let staleAfter: TimeInterval

    private struct Shared {
        var state = SourceState(snapshot: nil, health: SourceHealth())
        /// Counts new snapshots, so a board rebinds its layout only when the data changed.
        var snapshotGeneration = 0
        var listeners: [Doorbell] = []
    }

    private let shared = Protected(Shared())

    public init(source: any DispatchStateSource, staleAfter: TimeInterval) {
        self.source = source
        self.staleAfter = staleAfter
    }

    /// The newest state and its snapshot generation. The health's `confirmedAt` comes straight
    /// from the source, which confirms without publishing.
    var current: (state: SourceState, generation: Int) {
        let live = source.currentState
        return shared.withLock { shared in
            var state = shared.state
            state.health = live.health
            return (state, shared.snapshotGeneration)
        }
    }

    /// When the data went stale, if it is stale at `now`: the last confirmed read, for the
    /// banner's "since" time.
    func staleSince(_ health: SourceHealth, now: Date) -> Date? {
        guard health.isStale(now: now, threshold: staleAfter) else { return nil }
        return health.confirmedAt ?? health.problemSince ?? now
    }

    func listen(_ bell: Doorbell) {
        shared.withLock { $0.listeners.append(bell) }
    }

    public func run() async {
        let states = source.states()
        let source = self.source
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await source.run() }
                for await state in states {
                    self.publish(state)
                }
            }
        }
    }

    private func publish(_ state: SourceState) {
        let listeners = shared.withLock { shared -> [Doorbell] in
            if state.snapshot?.takenAt != shared.state.snapshot?.takenAt || state.snapshot?.sourceVersion != shared.state.snapshot?.sourceVersion {
                shared.snapshotGeneration += 1
            }
            shared.state = state
            return shared.listeners
        }
        for bell in listeners { bell.ring() }
    }
}
