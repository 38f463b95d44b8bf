import Foundation
import Testing
import WallboardTestKit
@testable import WallboardService

/// The boards' doorbells share one ticker for their deadlines: each wait still ends at its
/// deadline, never before, or at a ring; and boards' clocks still turn every second.
@Suite struct TickerTests {
    /// How late a wait ends is up to the machine (other tests keep its threads busy): it ends.
    @Test(.timeLimit(.minutes(1))) func everyBellWakesAtItsDeadlineAndNotBefore() async throws {
        let ticker = Ticker()
        let start = ContinuousClock.now
        // Three hundred boards waiting for the same second, as they do, and a few for later ones.
        let deadlines = ((0..<300).map { start + .milliseconds(200) + .microseconds($0) } + (1...3).map { start + .milliseconds(200 + 100 * $0) }).shuffled()
        let woken = try await withThrowingTaskGroup(of: (ContinuousClock.Instant, ContinuousClock.Instant).self) { group in
            for deadline in deadlines {
                group.addTask {
                    await Doorbell(ticker: ticker).wait(until: deadline)
                    return (deadline, ContinuousClock.now)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(woken.count == deadlines.count)
        #expect(woken.allSatisfy { deadline, at in at >= deadline }, "no wait ends before its deadline")
    }

    @Test func aRingEndsAWaitAndItsDeadlineDoesNotEndTheNext() async throws {
        let bell = Doorbell(ticker: Ticker())
        let start = ContinuousClock.now
        let ringing = Task {
            try await Task.sleep(for: .milliseconds(30))
            bell.ring()
        }
        await bell.wait(until: start + .milliseconds(150))
        try await ringing.value
        #expect(ContinuousClock.now - start < .milliseconds(150), "the ring ends the wait")
        // The first wait's deadline passes during the second: the second waits for its own.
        let second = ContinuousClock.now + .milliseconds(400)
        await bell.wait(until: second)
        #expect(ContinuousClock.now >= second)
    }

    /// Boards showing seconds, all on the service's one ticker: each turns its clock every second.
    @Test func boardsOnOneTickerEachTurnTheirClockEverySecond() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let station = try #require(try await database.idleStations().first)
        let layout = try directory.doorLayoutWithSeconds()
        let ids = (1...20).map { "door\($0)" }
        let config = try configuration(
            database: database.path, directory: directory,
            boards: ids.map { ServiceTests.doorBoard($0, station: station.station, layout: layout) }.joined(separator: "\n")
        )
        let service = try WallboardService(configuration: config)
        let monitors = try ids.map { try #require(service.monitor(id: $0)) }
        try await withRunningBoards(service) {
            for monitor in monitors { _ = try await frame(of: monitor) { $0.texts.first == station.name } }
            // Three turns of the second on every board.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for monitor in monitors {
                    group.addTask {
                        let seen = Locked<Set<String>>([])
                        _ = try await frame(of: monitor, within: .seconds(5)) { frame in
                            seen.withLock { seen in
                                if let clock = frame.texts.first(where: { $0.count == 8 && $0.filter { $0 == ":" }.count == 2 }) { seen.insert(clock) }
                                return seen.count >= 4
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
