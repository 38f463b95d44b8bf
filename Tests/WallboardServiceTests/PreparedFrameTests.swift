import Foundation
import Synchronization
import Testing
import WallboardDrivers
import WallboardEmulator
import WallboardProtocols
import WallboardRender
import WallboardTestKit
@testable import WallboardService

/// A frame drawn ahead of its moment is encoded as it is drawn, and at its moment only written.
extension DeliveryPacingTests {
    /// A protocol board's sink on a line to its emulator, each write stamped with the board's
    /// wall clock as the emulator takes it.
    struct EmulatedLine {
        let sink: DriverSink
        let transport: RecordingTransport
        let writes: Locked<[(at: Date, bytes: [UInt8])]>

        init(_ protocolName: String, clock: @escaping @Sendable () -> Date = { Date() }) throws {
            let model = try #require(BoardProtocols.model(named: protocolName))
            let library = try EmulatedBoardTests.fonts.get()
            let painter = FontChainPainter(chains: [16: try library.chain("cjk-16"), 24: try library.chain("cjk-24")])
            let emulator = Locked(try #require(makeEmulator(for: model, width: 192, height: 32, painter: painter)))
            let writes = Locked<[(at: Date, bytes: [UInt8])]>([])
            transport = RecordingTransport(deviceName: protocolName) { bytes in
                writes.withLock { $0.append((clock(), bytes)) }
                return emulator.withLock { $0.receive(bytes) }
            }
            self.writes = writes
            sink = DriverSink(driver: BoardDrivers.make(model, width: 192, height: 32, format: .bicolor), transport: transport, name: protocolName)
        }

        /// The messages written since the first `count`.
        func written(after count: Int) async -> [[UInt8]] {
            Array(await transport.writes.dropFirst(count))
        }
    }

    /// A BX-5K font card's sink (one update a second) that notes the texts of each frame that
    /// wrote anything, and when.
    final class FontCardRecorder: SentFrames {
        let card: DriverSink
        let clock: @Sendable () -> Date
        private let sent = Mutex<[(texts: [String], at: Date)]>([])

        init(clock: @escaping @Sendable () -> Date) throws {
            card = try EmulatedLine("bx5k", clock: clock).sink
            self.clock = clock
        }

        var frames: [(texts: [String], at: Date)] { sent.withLock { $0 } }
        var deviceName: String { card.deviceName }
        var takesCommands: Bool { false }
        var resendInterval: Duration? { nil }
        var minimumUpdateInterval: Duration? { card.minimumUpdateInterval }

        func deliver(_ frame: Frame, at now: Date, previous: (frame: Frame, at: Date)?) async throws(SinkError) -> Int {
            let at = clock()
            let bytes = try await card.deliver(frame, at: now, previous: previous)
            if bytes > 0 { sent.withLock { $0.append((frame.texts, at)) } }
            return bytes
        }

        func showsTheSame(_ frame: Frame, as other: Frame) -> Bool { card.showsTheSame(frame, as: other) }
        func nextChange(of frame: Frame, after now: Date) -> Date? { card.nextChange(of: frame, after: now) }
        func setBrightness(_ level: Double) async throws(SinkError) -> Int { 0 }
        func setClock(_ date: Date, timeZone: TimeZone) async throws(SinkError) -> Int { 0 }
    }

    /// A font card draws text in its own fonts: frames that differ only in pixels (a scroll the
    /// card runs itself) show the same on it; not on a board that takes pixels.
    @Test func aFontCardShowsFramesOfTheSameTextAlike() throws {
        let text = TextArea(id: 1, rect: Rect(x: 0, y: 0, width: 192, height: 16), runs: [TextArea.Run("待命 急救一二三四五六七八号", colour: .green)])
        let scrolled = Frame(bitmap: Bitmap(width: 192, height: 32, format: .bicolor), textAreas: [text])
        var canvas = Canvas(width: 192, height: 32, format: .bicolor)
        canvas.fill(Rect(x: 0, y: 0, width: 8, height: 8), .green)
        let shifted = Frame(bitmap: canvas.bitmap, textAreas: [text])
        var other = text
        other.runs = [TextArea.Run("12月7日 星期一", colour: .amber)]
        let fontCard = try EmulatedLine("bx5k").sink
        #expect(fontCard.showsTheSame(shifted, as: scrolled))
        #expect(!fontCard.showsTheSame(Frame(bitmap: canvas.bitmap, textAreas: [other]), as: scrolled))
        let pixels = try EmulatedLine("tpm2").sink
        #expect(!pixels.showsTheSame(shifted, as: scrolled))
    }

    /// A C-Power card's sink that notes what the delivery loop prepares ahead, what it sends
    /// prepared and what it delivers as it comes.
    final class PreparingRecorder: PreparingSink, SentFrames {
        struct Prepared {
            let frame: Frame
            let at: Date
            let previous: (frame: Frame, at: Date)?
            let messages: [[UInt8]]
            let preparedAt: Date
        }

        let line: EmulatedLine
        let clock: @Sendable () -> Date
        private let preparedFrames = Mutex<[Prepared]>([])
        private let sent = Mutex<[(texts: [String], at: Date, prepared: Bool)]>([])

        init(clock: @escaping @Sendable () -> Date) throws {
            line = try EmulatedLine("cpower", clock: clock)
            self.clock = clock
        }

        var prepared: [Prepared] { preparedFrames.withLock { $0 } }
        var frames: [(texts: [String], at: Date)] { sent.withLock { $0.map { ($0.texts, $0.at) } } }
        /// The frames written from what was prepared ahead.
        var sentPrepared: [(texts: [String], at: Date)] { sent.withLock { $0.filter(\.prepared).map { ($0.texts, $0.at) } } }

        var deviceName: String { line.sink.deviceName }
        var takesCommands: Bool { false }
        var resendInterval: Duration? { nil }

        func prepare(_ frame: Frame, at moment: Date, previous: (frame: Frame, at: Date)?) throws(SinkError) -> PreparedFrame {
            let prepared = try line.sink.prepare(frame, at: moment, previous: previous)
            preparedFrames.withLock { $0.append(Prepared(frame: frame, at: moment, previous: previous, messages: prepared.messages, preparedAt: clock())) }
            return prepared
        }

        func send(_ prepared: PreparedFrame) async throws(SinkError) -> Int {
            let frame = preparedFrames.withLock { $0.last { $0.messages == prepared.messages }?.frame }
            sent.withLock { $0.append((frame?.texts ?? [], clock(), true)) }
            return try await line.sink.send(prepared)
        }

        func deliver(_ frame: Frame, at now: Date, previous: (frame: Frame, at: Date)?) async throws(SinkError) -> Int {
            sent.withLock { $0.append((frame.texts, clock(), false)) }
            return try await line.sink.deliver(frame, at: now, previous: previous)
        }

        func setBrightness(_ level: Double) async throws(SinkError) -> Int { 0 }
        func setClock(_ date: Date, timeZone: TimeZone) async throws(SinkError) -> Int { 0 }

        /// The preparation of the frame showing `text`, once there is one.
        func preparation(showing text: String) async throws -> Prepared {
            try await eventually("the frame of \(text) is prepared", within: .seconds(3)) {
                prepared.last { $0.frame.texts.contains(text) }
            }
        }
    }

    /// The next minute's frame is encoded before the minute turns; at the turn its bytes reach
    /// the card, the same bytes that delivering it then would have written.
    @Test func aFrameDrawnAheadIsEncodedAheadAndOnlyWrittenAtItsMoment() async throws {
        let board = try await IdleDoorBoard(PreparingRecorder.init)
        try await withRunningBoards(board.service) {
            let (turn, text) = try await board.drawnAhead()
            let sink = board.sink
            let prepared = try await sink.preparation(showing: text)
            #expect(prepared.preparedAt < turn, "\(text) was encoded \(prepared.preparedAt.timeIntervalSince(turn)) s after the minute turned")
            #expect(abs(prepared.at.timeIntervalSince(turn)) < 0.001, "prepared for \(prepared.at), the minute turns at \(turn)")
            #expect(!prepared.messages.isEmpty)
            let sent = try await eventually("\(text) is sent", within: .seconds(3)) { sink.frames.first { $0.texts.contains(text) } }
            #expect(sink.sentPrepared.contains { $0.texts.contains(text) }, "\(text) was encoded again as it was sent")
            #expect(sent.at >= turn && sent.at.timeIntervalSince(turn) < 0.25, "\(text) sent \(sent.at.timeIntervalSince(turn)) s after the minute turned")
            let writes = sink.line.writes.withLock { $0 }
            let first = try #require(
                writes.indices.first { writes[$0...].prefix(prepared.messages.count).map(\.bytes) == prepared.messages }, "the prepared bytes never reached the card")
            #expect(writes[first].at >= turn && writes[first].at.timeIntervalSince(turn) < 0.25, "written \(writes[first].at.timeIntervalSince(turn)) s after the turn")

            // Delivered at its moment to another card that shows the same, the frame writes the same bytes.
            let other = try EmulatedLine("cpower")
            let previous = try #require(prepared.previous)
            _ = try await other.sink.deliver(previous.frame, at: previous.at, previous: nil)
            let before = await other.transport.writes.count
            _ = try await other.sink.deliver(prepared.frame, at: prepared.at, previous: previous)
            #expect(await other.written(after: before) == prepared.messages)
        }
    }

    /// A dispatch between the preparation of the next minute's frame and its moment goes out at
    /// once, and the prepared bytes are never written.
    @Test func aDispatchAfterTheFrameIsPreparedWinsAndItsBytesAreNeverWritten() async throws {
        let board = try await IdleDoorBoard(PreparingRecorder.init)
        try await withRunningBoards(board.service) {
            let (turn, text) = try await board.drawnAhead()
            let sink = board.sink
            _ = try await sink.preparation(showing: text)
            try await board.database.dispatch(vehicle: board.station.vehicle)
            let callSign = board.station.callSign
            try await eventually("the alert is sent", within: .seconds(3)) { sink.frames.contains { $0.texts.first?.hasPrefix(callSign) == true } }
            try await Task.sleep(for: .seconds(max(0, turn.timeIntervalSince(board.clock())) + 0.5))
            let name = board.station.name
            #expect(!sink.sentPrepared.contains { $0.texts.first == name }, "the idle frame prepared was sent: \(sink.frames.map(\.texts))")
            #expect(!sink.frames.contains { $0.texts.first == name && $0.texts.contains(text) }, "the idle frame of \(text) was sent after the alert")
        }
    }

    /// What a turnout timer area shows: the seconds since the dispatch.
    struct SecondsSince: CountingText {
        func run(atElapsed seconds: Double) -> TextArea.Run { TextArea.Run("\(Int(seconds.rounded(.down)))", colour: .green) }
    }

    /// A font card's idle frame, and its alert at `moment` with a timer counting from `since`.
    static func fontCardFrames(since: Date) -> (idle: Frame, alert: (Date) -> Frame) {
        let bitmap = Bitmap(width: 192, height: 32, format: .bicolor)
        let idle = Frame(bitmap: bitmap, textAreas: [TextArea(id: 1, rect: Rect(x: 0, y: 0, width: 192, height: 32), runs: [TextArea.Run("城东分站", colour: .green)])])
        let counting = TextArea.Counting(since: since.timeIntervalSince1970, text: SecondsSince())
        let alert = { (moment: Date) in
            Frame(bitmap: bitmap, textAreas: [
                TextArea(id: 1, rect: Rect(x: 0, y: 0, width: 128, height: 16), runs: [TextArea.Run("急救3号 出车", colour: .red)]),
                TextArea(id: 2, rect: Rect(x: 128, y: 0, width: 64, height: 16), runs: [counting.run(at: moment.timeIntervalSince1970)], timeline: .counting(counting)),
            ])
        }
        return (idle, alert)
    }

    /// A font card's timer pages are kept when a prepared frame is sent, as when it is
    /// delivered, and not when it is only prepared: the same bytes follow either way.
    @Test func aFontCardsCountingPagesChangeOnlyWhenAPreparedFrameIsSent() async throws {
        let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 + 0.02)
        let dispatched = start.addingTimeInterval(1)
        let (idle, alert) = Self.fontCardFrames(since: dispatched)
        let tick = dispatched.addingTimeInterval(1)

        // Delivered: the idle frame, the alert with its timer's pages, then a tick the pages show.
        let delivered = try EmulatedLine("bx5k")
        _ = try await delivered.sink.deliver(idle, at: start, previous: nil)
        let idleWrites = await delivered.transport.writes.count
        _ = try await delivered.sink.deliver(alert(dispatched), at: dispatched, previous: (idle, start))
        let alertWrites = await delivered.transport.writes.count
        _ = try await delivered.sink.deliver(alert(tick), at: tick, previous: (alert(dispatched), dispatched))
        let deliveredAlert = Array(await delivered.transport.writes[idleWrites..<alertWrites])
        let deliveredTick = await delivered.written(after: alertWrites)
        #expect(!deliveredAlert.isEmpty)
        #expect(deliveredTick.isEmpty, "a tick the card's pages show was sent: \(deliveredTick.count) messages")

        // The alert prepared, then sent: the same bytes, and the same tick after it.
        let prepared = try EmulatedLine("bx5k")
        _ = try await prepared.sink.deliver(idle, at: start, previous: nil)
        let before = await prepared.transport.writes.count
        _ = try await prepared.sink.send(prepared.sink.prepare(alert(dispatched), at: dispatched, previous: (idle, start)))
        let sentWrites = await prepared.transport.writes.count
        _ = try await prepared.sink.deliver(alert(tick), at: tick, previous: (alert(dispatched), dispatched))
        #expect(Array(await prepared.transport.writes[before..<sentWrites]) == deliveredAlert)
        #expect(await prepared.written(after: sentWrites) == deliveredTick)

        // The refill prepared and dropped: the refill delivered after it goes as if never prepared.
        let refill = try #require(prepared.sink.nextChange(of: alert(tick), after: tick), "the card's pages have no refill")
        let dropped = try prepared.sink.prepare(alert(refill), at: refill, previous: (alert(tick), tick))
        #expect(!dropped.messages.isEmpty, "the refill prepared sends nothing")
        let beforeRefill = await prepared.transport.writes.count
        _ = try await prepared.sink.deliver(alert(refill), at: refill, previous: (alert(tick), tick))
        #expect(await prepared.written(after: beforeRefill) == dropped.messages)
        let deliveredBeforeRefill = await delivered.transport.writes.count
        _ = try await delivered.sink.deliver(alert(refill), at: refill, previous: (alert(tick), tick))
        #expect(await delivered.written(after: deliveredBeforeRefill) == dropped.messages)
    }
}
