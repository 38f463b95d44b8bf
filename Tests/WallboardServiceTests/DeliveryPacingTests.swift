import Foundation
import Logging
import Synchronization
import Testing
import WallboardRender
import WallboardTestKit
@testable import WallboardService

/// How a board's delivery loop waits: for the controller's minimum interval, its blink phases
/// and its ticks, without spinning in between.
@Suite(.serialized) struct DeliveryPacingTests {
    static let layouts = TemporaryDirectory.layoutsDirectory.path

    /// A controller that takes a frame at most once a second and whose frames always have a
    /// blink phase to come on the next second (as a font card showing a critical alert): it
    /// counts how often the delivery loop comes round.
    final class PacedBlinkingSink: BoardSink {
        private let rounds = Mutex(0)
        private let sent = Mutex<[ContinuousClock.Instant]>([])
        let deviceName = "paced"
        let takesCommands = false
        let resendInterval: Duration? = nil
        var minimumUpdateInterval: Duration? { .seconds(1) }

        var loopRounds: Int { rounds.withLock { $0 } }
        var sendTimes: [ContinuousClock.Instant] { sent.withLock { $0 } }

        func keepAlive() async throws(SinkError) -> Int {
            rounds.withLock { $0 += 1 }
            return 0
        }

        func deliver(_ frame: Frame, at now: Date, previous: (frame: Frame, at: Date)?) async throws(SinkError) -> Int {
            sent.withLock { $0.append(.now) }
            return 10
        }

        func nextChange(of frame: Frame, after now: Date) -> Date? {
            Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down) + 1)
        }

        func setBrightness(_ level: Double) async throws(SinkError) -> Int { 0 }
        func setClock(_ date: Date, timeZone: TimeZone) async throws(SinkError) -> Int { 0 }
    }

    /// A blink phase that falls while the controller's interval holds frames back is sent when
    /// the hold ends; the loop sleeps until then instead of coming round thousands of times.
    @Test func aBlinkPhaseDueWhileTheIntervalHoldsDoesNotSpinTheLoop() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let boards = """
              - id: strip
                layout: \(Self.layouts)/strip-160x16-calls.yaml
                transport: browser
            """
        let sink = PacedBlinkingSink()
        let service = try WallboardService(
            configuration: try configuration(database: database.path, directory: directory, boards: boards), source: nil, logger: Logger(label: "test")
        ) { _, _ in sink }
        try await withRunningBoards(service) {
            try await eventually("the first frame is sent", within: .seconds(20)) { !sink.sendTimes.isEmpty }
            let roundsBefore = sink.loopRounds
            try await Task.sleep(for: .seconds(4))
            let rounds = sink.loopRounds - roundsBefore
            // Each second: a tick, a blink phase, a hold ending, a render's bell; a few more under load.
            #expect(rounds < 40, "the delivery loop came round \(rounds) times in 4 s")
            let sends = sink.sendTimes
            // The first frame, then each phase once the interval and the next tick allow.
            #expect(sends.count >= 3, "\(sends.count) frames sent")
            for (earlier, later) in zip(sends, sends.dropFirst()) {
                #expect(later - earlier >= .milliseconds(999), "two frames \(later - earlier) apart")
            }
        }
    }
}
