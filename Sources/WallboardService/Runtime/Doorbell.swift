import Foundation
import Synchronization

/// Wakes one waiting task early: a board's loop sleeps until its next tick or until something
/// it shows has changed, whichever comes first. A ring with nobody waiting is kept for the next
/// wait, so no change is ever slept through. The deadline is kept by `ticker`, which the bells of
/// all boards share.
final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
        /// Tells a timer's late ring from the ring of the wait it belonged to.
        var generation = 0
    }

    private let state = Mutex(State())
    private let ticker: Ticker

    init(ticker: Ticker = Ticker()) {
        self.ticker = ticker
    }

    func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.rung = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns at `deadline`, at a ring, or when the task is cancelled.
    func wait(until deadline: ContinuousClock.Instant) async {
        let generation = state.withLock { state -> Int? in
            if state.rung {
                state.rung = false
                return nil
            }
            state.generation += 1
            return state.generation
        }
        guard let generation else { return }
        ticker.wake(self, generation: generation, at: deadline)
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.rung || state.generation != generation || Task.isCancelled {
                        state.rung = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            wake(generation: generation)
        }
    }

    /// Ends the wait numbered `generation`, if it is still the one waiting.
    fileprivate func wake(generation: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            // Bumping the generation also tells a wait that has not parked yet to return.
            guard state.generation == generation else { return nil }
            state.generation += 1
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}

/// Keeps the deadlines of waiting doorbells with one sleeping task for all of them: boards wait
/// for the same turn of the second, and a task and a timer of its own for every board and
/// every second is work that grows with the boards. A deadline is never woken early; a wait
/// ended by a ring leaves its deadline to pass unheeded.
final class Ticker: Sendable {
    private struct Waiting {
        let deadline: ContinuousClock.Instant
        let bell: Doorbell
        let generation: Int
    }

    private struct State {
        /// A binary heap, the soonest deadline first.
        var waiting: [Waiting] = []
        /// When the sleeping task wakes; nil when none sleeps.
        var alarm: ContinuousClock.Instant?

        mutating func push(_ entry: Waiting) {
            waiting.append(entry)
            var child = waiting.count - 1
            while child > 0, waiting[child].deadline < waiting[(child - 1) / 2].deadline {
                waiting.swapAt(child, (child - 1) / 2)
                child = (child - 1) / 2
            }
        }

        /// Takes out the waits whose deadline is `now` or earlier.
        mutating func popDue(at now: ContinuousClock.Instant) -> [Waiting] {
            var due: [Waiting] = []
            while let first = waiting.first, first.deadline <= now {
                due.append(first)
                let last = waiting.removeLast()
                guard !waiting.isEmpty else { break }
                waiting[0] = last
                var parent = 0
                while true {
                    var soonest = parent
                    let left = 2 * parent + 1, right = left + 1
                    if left < waiting.count, waiting[left].deadline < waiting[soonest].deadline { soonest = left }
                    if right < waiting.count, waiting[right].deadline < waiting[soonest].deadline { soonest = right }
                    guard soonest != parent else { break }
                    waiting.swapAt(parent, soonest)
                    parent = soonest
                }
            }
            return due
        }
    }

    private let state = Mutex(State())

    init() {}

    /// Ends `bell`'s wait numbered `generation` at `deadline`.
    fileprivate func wake(_ bell: Doorbell, generation: Int, at deadline: ContinuousClock.Instant) {
        let sooner = state.withLock { state -> Bool in
            state.push(Waiting(deadline: deadline, bell: bell, generation: generation))
            if let alarm = state.alarm, alarm <= deadline { return false }
            state.alarm = deadline
            return true
        }
        // The task sleeping for a later alarm finds it taken over and ends.
        if sooner { Task { await self.sound(from: deadline) } }
    }

    private func sound(from first: ContinuousClock.Instant) async {
        var alarm = first
        while true {
            try? await Task.sleep(until: alarm, clock: .continuous)
            let now = ContinuousClock.now
            let (due, next) = state.withLock { state -> ([Waiting], ContinuousClock.Instant?) in
                guard state.alarm == alarm else { return ([], nil) }
                let due = state.popDue(at: now)
                state.alarm = state.waiting.first?.deadline
                return (due, state.alarm)
            }
            for waiting in due { waiting.bell.wake(generation: waiting.generation) }
            guard let next else { return }
            alarm = next
        }
    }
}
