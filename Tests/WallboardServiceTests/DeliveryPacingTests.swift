import Foundation
import Logging
import Synchronization
import Testing
import WallboardDispatch
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

    /// A sink that notes each frame's texts and the wall-clock moment it was sent.
    protocol SentFrames: BoardSink {
        var frames: [(texts: [String], at: Date)] { get }
    }

    /// A controller that notes each frame's texts and the wall-clock moment it was sent; with
    /// no minimum interval unless given one.
    final class RecordingSink: SentFrames {
        private let sent = Mutex<[(texts: [String], at: Date)]>([])
        let clock: @Sendable () -> Date
        let deviceName = "recording"
        let takesCommands = false
        let resendInterval: Duration? = nil
        let minimumUpdateInterval: Duration?

        init(clock: @escaping @Sendable () -> Date, minimumUpdateInterval: Duration? = nil) {
            self.clock = clock
            self.minimumUpdateInterval = minimumUpdateInterval
        }

        var frames: [(texts: [String], at: Date)] { sent.withLock { $0 } }

        func keepAlive() async throws(SinkError) -> Int { 0 }

        func deliver(_ frame: Frame, at now: Date, previous: (frame: Frame, at: Date)?) async throws(SinkError) -> Int {
            let at = clock()
            sent.withLock { $0.append((frame.texts, at)) }
            return 10
        }

        func nextChange(of frame: Frame, after now: Date) -> Date? { nil }
        func setBrightness(_ level: Double) async throws(SinkError) -> Int { 0 }
        func setClock(_ date: Date, timeZone: TimeZone) async throws(SinkError) -> Int { 0 }
    }

    /// An idle door board at an idle station, its wall clock 6 s before a minute turns, sending to `sink`.
    struct IdleDoorBoard<Sink: SentFrames> {
        let directory: TemporaryDirectory
        let database: DemoDatabase
        let station: (station: String, name: String, vehicle: String, callSign: String)
        let clock: @Sendable () -> Date
        let sink: Sink
        let service: WallboardService
        let monitor: BoardMonitor
        let formatter = DateFormatter()

        init(id: String = "door", _ makeSink: (_ clock: @escaping @Sendable () -> Date) throws -> Sink) async throws {
            directory = try TemporaryDirectory()
            database = try await DemoDatabase(directory: directory)
            station = try #require(try await database.idleStations().first)
            let config = try configuration(database: database.path, directory: directory, boards: ServiceTests.doorBoard(id, station: station.station))
            let real = Date().timeIntervalSince1970
            let offset = (real / 60).rounded(.up) * 60 + 54 - real
            let clock: @Sendable () -> Date = { Date().addingTimeInterval(offset) }
            self.clock = clock
            let sink = try makeSink(clock)
            self.sink = sink
            service = try WallboardService(configuration: config, source: nil, logger: Logger(label: "test"), wallClock: clock) { _, _ in sink }
            monitor = try #require(service.monitor(id: id))
            formatter.dateFormat = "HH:mm"
            formatter.timeZone = config.source.timeZone
        }

        /// The next turn of the minute and the clock's text then, once the idle board is sent.
        func nextTurn() async throws -> (turn: Date, text: String) {
            let name = station.name
            try await eventually("the idle board is sent", within: .seconds(10)) { sink.frames.contains { $0.texts.first == name } }
            let turn = Date(timeIntervalSince1970: (clock().timeIntervalSince1970 / 60).rounded(.up) * 60)
            return (turn, formatter.string(from: turn))
        }

        /// The next turn of the minute and the clock's text then, once the board's frame for it waits, drawn ahead.
        func drawnAhead() async throws -> (turn: Date, text: String) {
            let (turn, text) = try await nextTurn()
            try await eventually("the frame of \(text) is drawn ahead", within: .seconds(8)) {
                monitor.state.withLock { $0.scheduled?.frame.texts.contains(text) } == true
            }
            #expect(clock() < turn, "the frame was drawn only after the turn")
            return (turn, text)
        }
    }

    /// The next minute's frame is drawn before the minute turns and goes on the wire at the turn,
    /// not before: the board shows the new minute on time without drawing it as it comes.
    @Test func theNextMinuteIsDrawnAheadAndSentOnTime() async throws {
        let board = try await IdleDoorBoard { RecordingSink(clock: $0) }
        try await withRunningBoards(board.service) {
            let (turn, text) = try await board.drawnAhead()
            #expect(!board.sink.frames.contains { $0.texts.contains(text) }, "\(text) was sent before the minute turned")
            let sent: (texts: [String], at: Date) = try await eventually("\(text) is sent", within: .seconds(3)) {
                board.sink.frames.first { frame in frame.texts.contains(text) }
            }
            #expect(sent.at >= turn, "\(text) sent \(turn.timeIntervalSince(sent.at)) s before the minute turned")
            #expect(sent.at.timeIntervalSince(turn) < 0.25, "\(text) sent \(sent.at.timeIntervalSince(turn)) s after the minute turned")
        }
    }

    /// A standby list too long for its line scrolls on the drawn board, so the idle board draws
    /// every second in the half minute before the minute turns; the minute is still drawn ahead
    /// (it was drawn at the turn, by every such board at once, before any board was sent it).
    @Test func theMinuteIsDrawnAheadWhileTheStandbyListScrolls() async throws {
        let board = try await IdleDoorBoard { RecordingSink(clock: $0) }
        try await board.database.setCallSign(of: board.station.vehicle, to: "急救一二三四五六七八九十号")
        try await withRunningBoards(board.service) {
            let (turn, text) = try await board.drawnAhead()
            let sent: (texts: [String], at: Date) = try await eventually("\(text) is sent", within: .seconds(3)) {
                board.sink.frames.first { frame in frame.texts.contains(text) }
            }
            #expect(sent.at >= turn && sent.at.timeIntervalSince(turn) < 0.25, "\(text) sent \(sent.at.timeIntervalSince(turn)) s after the minute turned")
        }
    }

    /// An alerting board's turnout timer changes every second, and its next second is drawn
    /// ahead too, whatever the board's lead (0.3–0.7 s): here a board whose lead is over half a
    /// second, which drew each second at the tick (in a thousand boards' burst at the minute)
    /// when only a change twice the lead away was drawn ahead. Not critical: a blinking call
    /// sign changes every half second, too soon to draw ahead.
    @Test func anAlertsNextSecondIsDrawnAhead() async throws {
        let id = try #require((0..<50).map { "door-\($0)" }.first { BoardRuntime.drawAhead(forBoard: $0) > 0.55 })
        let board = try await IdleDoorBoard(id: id) { RecordingSink(clock: $0) }
        try await withRunningBoards(board.service) {
            let callSign = board.station.callSign
            let sink = board.sink
            let monitor = board.monitor
            try await board.database.dispatch(vehicle: board.station.vehicle, priority: 2)
            try await eventually("the alert is sent", within: .seconds(5)) { sink.frames.contains { frame in frame.texts.first?.hasPrefix(callSign) == true } }
            try await eventually("a second of the alert's timer is drawn ahead", within: .seconds(5)) {
                monitor.state.withLock { $0.scheduled?.frame.texts.first?.hasPrefix(callSign) } == true
            }
        }
    }

    /// A dispatch that comes while the next minute's frame waits goes out at once, and the idle
    /// frame drawn ahead never follows it.
    @Test func aDispatchBeforeTheFrameDrawnAheadWins() async throws {
        let board = try await IdleDoorBoard { RecordingSink(clock: $0) }
        try await withRunningBoards(board.service) {
            let (turn, _) = try await board.drawnAhead()
            try await board.database.dispatch(vehicle: board.station.vehicle)
            let callSign = board.station.callSign
            let sink = board.sink
            try await eventually("the alert is sent", within: .seconds(3)) { sink.frames.contains { frame in frame.texts.first?.hasPrefix(callSign) == true } }
            try await Task.sleep(for: .seconds(max(0, turn.timeIntervalSince(board.clock())) + 0.5))
            let name = board.station.name
            let frames = sink.frames
            let alert = try #require(frames.firstIndex { frame in frame.texts.first?.hasPrefix(callSign) == true })
            let idleAfterAlert = frames[alert...].filter { frame in frame.texts.first == name }
            #expect(idleAfterAlert.isEmpty, "the idle frame drawn ahead was sent after the alert: \(frames.map { "\($0.texts) \($0.at.timeIntervalSince(turn))" })")
        }
    }

    /// A font card (one frame a second) sent a change within the second before the minute turns
    /// is sent the minute's picture with it: one frame, the new minute up to a second early. Sent
    /// the change alone, it took the minute only when its second was up, late, and the second
    /// after the turn was spent on it (a dispatch then waited).
    @Test func aChangeJustBeforeTheMinuteCarriesTheTurn() async throws {
        let board = try await IdleDoorBoard { RecordingSink(clock: $0, minimumUpdateInterval: .seconds(1)) }
        try await withRunningBoards(board.service) {
            let (turn, text) = try await board.nextTurn()
            try await Task.sleep(for: .seconds(max(0, turn.timeIntervalSince(board.clock()) - 0.75)))
            let written = board.clock()
            // The standby list shows in the minute's second half: the picture changes before the turn.
            try await board.database.setStatus(of: board.station.vehicle, to: .unavailable)
            try await Task.sleep(for: .seconds(max(0, turn.timeIntervalSince(board.clock()) + 1.5)))
            let sent = board.sink.frames.filter { $0.at >= written }
            #expect(sent.count == 1, "frames after the change: \(sent.map { "\($0.texts) \($0.at.timeIntervalSince(turn))" })")
            let change = try #require(sent.first)
            #expect(change.at < turn && change.texts.contains(text), "\(change.texts) sent \(change.at.timeIntervalSince(turn)) s after the turn")
        }
    }

    /// A font card whose alert ends by itself just before the minute turns (the vehicle left its
    /// station the hold before) is sent the idle picture with the new minute, by the turn: an
    /// alert's end is drawn on the board's tick after it, here the turn itself, so the minute is
    /// not held a second behind it. (It passes without the turn carried, too: only a frame off
    /// the ticks, new data, needs that.)
    @Test func anAlertThatEndsJustBeforeTheMinuteGoesWithTheMinute() async throws {
        let board = try await IdleDoorBoard { RecordingSink(clock: $0, minimumUpdateInterval: .seconds(1)) }
        try await withRunningBoards(board.service) {
            let (turn, text) = try await board.nextTurn()
            let departed = turn.addingTimeInterval(-30.2)
            try await board.database.dispatch(vehicle: board.station.vehicle, at: departed.addingTimeInterval(-60), departedAt: departed)
            let (callSign, name, sink) = (board.station.callSign, board.station.name, board.sink)
            let _: (texts: [String], at: Date) = try await eventually("the alert is sent", within: .seconds(4)) {
                sink.frames.first { frame in frame.texts.first?.hasPrefix(callSign) ?? false }
            }
            try await Task.sleep(for: .seconds(max(0, turn.timeIntervalSince(board.clock()) + 1.5)))
            let around = sink.frames.filter { frame in frame.at >= turn.addingTimeInterval(-2) }
            let timeline = around.map { frame in "\(frame.texts) \(frame.at.timeIntervalSince(turn))" }
            let idleFrames = around.filter { frame in frame.texts.first == name }
            let idle = try #require(idleFrames.first, "\(timeline)")
            #expect(idle.texts.contains(text), "the alert's end went without the minute: \(timeline)")
            #expect(idle.at.timeIntervalSince(turn) < 0.25, "the idle picture came \(idle.at.timeIntervalSince(turn)) s after the turn: \(timeline)")
        }
    }

    /// A BX-5K whose standby list scrolls (the card scrolls it itself) and whose data changes in
    /// the second before the minute turns without changing its text: nothing is sent then, and the
    /// minute's frame goes at the turn. The frames drawn then differ in pixels only, so there is
    /// no change for the turn to come with.
    @Test func dataThatChangesNoTextOfAFontCardCarriesNoTurn() async throws {
        let board = try await IdleDoorBoard(FontCardRecorder.init)
        try await withRunningBoards(board.service) {
            let vehicle = board.station.vehicle
            try await board.database.setCallSign(of: vehicle, to: "急救一二三四五六七八九十号")
            let (turn, text) = try await board.nextTurn()
            try await Task.sleep(for: .seconds(max(0, turn.timeIntervalSince(board.clock()) - 0.6)))
            let written = board.clock()
            // On standby still, since now: the standby list's text stays as it is.
            try await board.database.setStatus(of: vehicle, to: .standby)
            let sink = board.sink
            let minute: (texts: [String], at: Date) = try await eventually("\(text) is sent", within: .seconds(3)) {
                sink.frames.first { frame in frame.texts.contains(text) }
            }
            let timeline = sink.frames.filter { $0.at >= written }.map { "\($0.texts) \($0.at.timeIntervalSince(turn))" }
            let early = sink.frames.filter { $0.at >= written && $0.at < turn }
            #expect(early.isEmpty, "sent before the turn: \(timeline)")
            #expect(minute.at >= turn && minute.at.timeIntervalSince(turn) < 0.25, "\(text) sent \(minute.at.timeIntervalSince(turn)) s after the turn: \(timeline)")
        }
    }

    /// A font card whose interval is still running when the minute turns (a change sent more than
    /// a second before the turn, and another held by the card's second until within it) shows
    /// the new minute as soon as its second is up. An HH:mm picture holds for a minute, so sending
    /// it off the second delays no later frame; it used to wait for the next whole second, up to
    /// a second more.
    @Test func aMinutesTurnHeldByTheIntervalGoesWhenTheIntervalIsUp() async throws {
        let board = try await IdleDoorBoard { RecordingSink(clock: $0, minimumUpdateInterval: .seconds(1)) }
        try await withRunningBoards(board.service) {
            let (turn, text) = try await board.nextTurn()
            let vehicle = board.station.vehicle
            try await Task.sleep(for: .seconds(max(0, turn.timeIntervalSince(board.clock()) - 1.9)))
            let written = board.clock()
            try await board.database.setStatus(of: vehicle, to: .unavailable)
            try await Task.sleep(for: .seconds(max(0, turn.timeIntervalSince(board.clock()) - 1.55)))
            try await board.database.setStatus(of: vehicle, to: .standby)
            let sink = board.sink
            let minute: (texts: [String], at: Date) = try await eventually("\(text) is sent", within: .seconds(4)) {
                sink.frames.first { frame in frame.texts.contains(text) }
            }
            let changes = sink.frames.filter { $0.at >= written && $0.at < minute.at }
            let timeline = sink.frames.filter { $0.at >= written }.map { "\($0.texts) \($0.at.timeIntervalSince(turn))" }
            try #require(changes.count == 2, "the two changes were not sent before the minute: \(timeline)")
            try #require(changes[1].at < turn && changes[1].at.timeIntervalSince(turn) > -1, "the second change was not held into the turn's second: \(timeline)")
            let gap = minute.at.timeIntervalSince(changes[1].at)
            #expect(gap >= 0.99, "the minute's frame came \(gap) s after the frame before: \(timeline)")
            #expect(gap < 1.2, "the minute's frame waited \(gap) s after the frame before, \(minute.at.timeIntervalSince(turn)) s after the turn: \(timeline)")
        }
    }
}
