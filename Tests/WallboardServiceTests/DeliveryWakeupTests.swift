import Foundation
import Synchronization
import Testing
import WallboardRender
import WallboardTestKit
@testable import WallboardService

/// A board's delivery task sleeps until something is due, not a second at a time.
extension DeliveryPacingTests {
    /// How often the service's delivery tasks have woken, from `/metrics`.
    static func deliveryWakeups(_ service: WallboardService) -> Int {
        let line = service.metrics.registry.emitToString().split(separator: "\n").first { $0.hasPrefix("wallboard_delivery_wakeups_total{") }
        return line.flatMap { $0.split(separator: " ").last }.flatMap { Int($0) } ?? 0
    }

    /// An idle door board's delivery wakes for its frames (the minute's turn, drawn ahead, and
    /// its moment), not each second: a few times in ten seconds that hold the turn of a minute.
    @Test func anIdleBoardsDeliveryWakesOnlyWhenSomethingIsDue() async throws {
        let board = try await IdleDoorBoard { RecordingSink(clock: $0) }
        try await withRunningBoards(board.service) {
            let name = board.station.name
            try await eventually("the idle board is sent", within: .seconds(10)) { board.sink.frames.contains { $0.texts.first == name } }
            let before = Self.deliveryWakeups(board.service)
            try await Task.sleep(for: .seconds(10))
            let woke = Self.deliveryWakeups(board.service) - before
            #expect(woke <= 5, "the delivery task woke \(woke) times in 10 s")
            #expect(board.sink.frames.contains { $0.texts.first == name && $0.at.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) < 1 }, "the minute's turn was not sent")
        }
    }

    /// A sink whose session wants a keep-alive every 2 s without other traffic (as Huidu's
    /// heartbeat): it notes how late after its moment each one went.
    final class HeartbeatSink: SentFrames {
        static let interval = Duration.seconds(2)
        private let beats = Mutex<(last: ContinuousClock.Instant, late: [Duration])>((.now, []))
        private let sent = Mutex<[(texts: [String], at: Date)]>([])
        let deviceName = "heartbeat"
        let takesCommands = false
        let resendInterval: Duration? = nil

        init(clock: @escaping @Sendable () -> Date) {}

        var frames: [(texts: [String], at: Date)] { sent.withLock { $0 } }
        var lateness: [Duration] { beats.withLock { $0.late } }

        func keepAlive() async throws(SinkError) -> Int {
            beats.withLock { beats in
                let late = ContinuousClock.now - (beats.last + Self.interval)
                guard late >= .zero else { return 0 }
                beats.late.append(late)
                beats.last = .now
                return 1
            }
        }

        var nextKeepAlive: ContinuousClock.Instant? {
            get async { beats.withLock { $0.last + Self.interval } }
        }

        func deliver(_ frame: Frame, at now: Date, previous: (frame: Frame, at: Date)?) async throws(SinkError) -> Int {
            sent.withLock { $0.append((frame.texts, now)) }
            return 10
        }

        func setBrightness(_ level: Double) async throws(SinkError) -> Int { 0 }
        func setClock(_ date: Date, timeZone: TimeZone) async throws(SinkError) -> Int { 0 }
    }

    /// An idle board's keep-alive goes at its moment: the loop wakes for it, not at its next second.
    @Test func aKeepAliveGoesWhenItIsDue() async throws {
        let board = try await IdleDoorBoard(HeartbeatSink.init)
        try await withRunningBoards(board.service) {
            let sink = board.sink
            try await eventually("three keep-alives", within: .seconds(10)) { sink.lateness.count >= 3 }
            let late = sink.lateness
            #expect(late.allSatisfy { $0 < .milliseconds(150) }, "keep-alives went \(late) after their moment")
        }
    }
}
