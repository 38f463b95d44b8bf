import Foundation
import Testing
import WallboardEmulator
import WallboardFonts
import WallboardProtocols
import WallboardRender
import WallboardTestKit
import WallboardTransport
import WallboardTransportCore
@testable import WallboardDrivers

/// Frames through the Huidu driver and a `BoardLink` into the emulated card: the session on
/// every connection, the program sent once and then only the strings that changed, every
/// shipped door layout shown as drawn, a busy card, a connection dropped in the middle of a
/// fragmented request, and heartbeats.
@Suite(.serialized) struct HuiduDriverTests {
    static func board(width: Int = 192, height: Int = 32, format: PixelFormat = .bicolor) throws -> EmulatedBoard {
        EmulatedBoard(HuiduEmulator(configuration: .init(width: width, height: height, pixelFormat: format), painter: try CPowerDriverTests.painter()))
    }

    static func card(_ board: EmulatedBoard) async throws -> HuiduEmulator {
        try #require(await board.state as? HuiduEmulator)
    }

    /// Serves `board` on a loopback port for the length of `body`.
    static func serving<T: Sendable>(_ board: EmulatedBoard, _ body: (UInt16) async throws -> T) async throws -> T {
        let server = try TCPBoardServer(board: board)
        let task = Task { try await server.run() }
        defer {
            server.close()
            task.cancel()
        }
        return try await body(server.port)
    }

    static func link(_ driver: any BoardDriver, port: UInt16, name: String = "door") -> BoardLink {
        BoardLink(name: name, transport: TCPTransport(host: "127.0.0.1", port: port), replies: driver.replies, session: driver.session)
    }

    /// The program goes once, in one AddProgram; a turnout timer's tick is one UpdateProgram of
    /// its string alone, counted on the wire with the card's 36-character session GUID.
    @Test func theProgramGoesOnceThenATimerTickIsItsStringAlone() async throws {
        let driver = BoardDrivers.make(try DriverTests.model("huidu"), width: 192, height: 32, format: .bicolor)
        let board = try Self.board()
        try await Self.serving(board) { port in
            let link = Self.link(driver, port: port)
            let first = try driver.messages(for: DriverTests.frame(DriverTests.idle), previous: nil)
            #expect(first.count == 1)
            #expect(await link.deliver(first).outcome == .delivered(attempts: 1))
            var ticked = DriverTests.idle
            ticked[1].runs = [.init("14:30:01", colour: .red)]
            let tick = try driver.messages(for: DriverTests.frame(ticked), previous: DriverTests.frame(DriverTests.idle))
            let report = await link.deliver(tick)
            #expect(report.outcome == .delivered(attempts: 1))
            #expect(report.bytesWritten == 284, "a tick costs \(report.bytesWritten) bytes on the wire (the README gives the figure)")
            #expect(try driver.messages(for: DriverTests.frame(ticked), previous: DriverTests.frame(ticked)).isEmpty)
            let card = try await Self.card(board)
            #expect(card.program?.areas.map(\.text) == ["越秀急救站", "14:30:01", "待命 急救5号 急救8号"])
            #expect(card.program?.areas.map(\.guid) == ["a1", "a2", "a3"])
            #expect(card.program?.areas[0].colour == RGB(0, 255, 0) && card.program?.areas[2].scrolls == true && card.program?.areas[1].horizontal == .right)
            let updates = card.journal.filter { if case .accepted(let what) = $0 { what.hasPrefix("UpdateProgram") } else { false } }
            #expect(updates == [.accepted("UpdateProgram t2 \"14:30:01\"")])
            var moved = ticked
            moved[0].rect.width = 100
            let replaced = try driver.messages(for: DriverTests.frame(moved), previous: DriverTests.frame(ticked))
            guard case .request(_, .addProgram)? = HuiduRequestDecoder().feedingCopy(replaced[0]).first else {
                Issue.record("areas that moved did not send the program again")
                return
            }
            await link.close()
        }
    }

    /// Every shipped door layout in alert: each text item holds its area's text and shows it,
    /// and a still area drawn by the emulator with the project's fonts lights as many pixels as
    /// the drawn board where the area's font is of a height those come in (moving and blinking
    /// text is where the card's own effects differ, other heights where its own fonts do).
    @Test(arguments: ["door-192x32-bicolor.yaml", "door-128x32-mono.yaml", "door-64x32-mono.yaml", "door-256x64-bicolor.yaml"])
    func shippedDoorLayoutsShowAsDrawn(layoutFile: String) async throws {
        let frame = try EndToEndTests.frame(layoutFile: layoutFile)
        let bitmap = frame.bitmap
        let driver = BoardDrivers.make(try DriverTests.model("huidu"), width: bitmap.width, height: bitmap.height, format: bitmap.format)
        let board = try Self.board(width: bitmap.width, height: bitmap.height, format: bitmap.format)
        try await Self.serving(board) { port in
            let link = Self.link(driver, port: port)
            let messages = try driver.messages(for: frame, previous: nil)
            #expect(await link.deliver(messages).outcome == .delivered(attempts: 1))
            await link.close()
        }
        let card = try await Self.card(board)
        let areas = frame.textAreas.sorted { $0.id < $1.id }
        #expect(card.program?.areas.map(\.rect) == areas.map(\.rect))
        let shown = card.render()
        for area in areas where !area.text.isEmpty {
            #expect(shown.cropped(to: area.rect).pixels.contains { $0 != 0 }, "\(layoutFile) area \(area.id) \"\(area.text)\" is dark on the board")
        }
        for area in areas where area.motion == .still && !area.blinks && [12, 16, 24, 32].contains(area.fontHeight) {
            #expect(card.program?.areas.first { $0.guid == "a\(area.id)" }?.text == area.text)
            let lit = shown.cropped(to: area.rect).pixels.filter { $0 != 0 }.count
            let drawn = bitmap.cropped(to: area.rect).pixels.filter { $0 != 0 }.count
            #expect(lit == drawn, "\(layoutFile) area \(area.id) \"\(area.text)\": \(lit) pixels lit on the board, \(drawn) drawn")
        }
    }

    /// A card another client holds answers 2000 kDeviceOccupa: a fault that names it, sent
    /// again as the policy allows, and taken once the other client lets go.
    @Test func aBusyCardIsAFaultNamingItAndIsTriedAgain() async throws {
        let driver = BoardDrivers.make(try DriverTests.model("huidu"), width: 192, height: 32, format: .bicolor)
        let board = try Self.board()
        try await Self.serving(board) { port in
            let holder = Self.link(driver, port: port, name: "other client")
            let messages = try driver.messages(for: DriverTests.frame(DriverTests.idle), previous: nil)
            #expect(await holder.deliver(messages).outcome == .delivered(attempts: 1))
            let link = BoardLink(
                name: "door", transport: TCPTransport(host: "127.0.0.1", port: port), replies: driver.replies,
                policy: DeliveryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(10)), session: driver.session)
            let refused = await link.deliver(messages)
            let busy = BoardError(code: 4, meaning: "kDeviceOccupa: another client holds the card", isRetryable: true)
            #expect(refused.outcome == .failed(.rejected(busy), attempts: 2))
            #expect(refused.lastError?.contains("kDeviceOccupa: another client holds the card") == true)
            #expect(await link.status.retries == 1)
            await holder.close()
            _ = try await eventually("the card is free once the other client hung up", within: .seconds(5)) {
                await link.deliver(messages).outcome == .delivered(attempts: 1) ? true : nil
            }
            await link.close()
        }
    }

    /// The connection drops after half of a request of three fragments: the card drops the
    /// half it has, the link opens a new connection and session and sends the request whole.
    @Test func aConnectionDroppedInTheMiddleOfAFragmentedRequestIsSentAgainWhole() async throws {
        let driver = BoardDrivers.make(try DriverTests.model("huidu"), width: 192, height: 32, format: .rgb)
        let board = try Self.board(format: .rgb)
        // Sixteen areas of long text: each string cut to what one carries, the request still three fragments.
        let areas = (0..<16).map { index in
            TextArea(id: index, rect: Rect(x: index % 4 * 48, y: index / 4 * 8, width: 48, height: 8), runs: [.init(String(repeating: "候车地址东风路12号 ", count: 700), colour: .amber)])
        }
        let messages = try driver.messages(for: DriverTests.frame(areas), previous: nil)
        #expect(messages[0].count > 2 * Huidu.maximumFragmentBytes && messages[0].count < Huidu.maximumXMLBytes)
        try await Self.serving(board) { port in
            let transport = DroppingTransport(TCPTransport(host: "127.0.0.1", port: port), dropAfter: Huidu.maximumFragmentBytes + 100)
            let link = BoardLink(name: "door", transport: transport, replies: driver.replies,
                                 policy: DeliveryPolicy(initialBackoff: .milliseconds(10)), session: driver.session)
            let report = await link.deliver(messages)
            // The second attempt, or a third where the card had not yet seen the first connection close.
            guard case .delivered(let attempts) = report.outcome, attempts >= 2 else {
                Issue.record("the request was not delivered again: \(report)")
                return
            }
            #expect(await transport.drops == 1)
            await link.close()
        }
        let card = try await Self.card(board)
        #expect(card.program?.areas.count == 16)
        #expect(card.program?.areas.allSatisfy { $0.text.utf8.count <= Huidu.maximumStringBytes && areas[0].text.hasPrefix($0.text) && $0.text.count > 100 } == true)
        #expect(card.journal.contains(.ignored("a request cut off when connection 1 closed")))
    }

    /// A heartbeat goes after the interval without traffic and keeps the link; a card that
    /// stops answering them is counted lost after three, and the next delivery opens a new session.
    @Test func heartbeatsKeepTheLinkAndThreeUnansweredLoseIt() async throws {
        let model = try DriverTests.model("huidu")
        let driver = HuiduDriver(model: model, format: .bicolor, heartbeatInterval: .milliseconds(20))
        let card = Locked(HuiduEmulator(configuration: .init(), painter: try CPowerDriverTests.painter()))
        let answering = Locked(true)
        let transport = RecordingTransport { bytes in
            guard bytes != Huidu.heartbeatAsk || answering.withLock({ $0 }) else { return [] }
            return card.withLock { $0.receive(bytes, on: 1) }
        }
        let link = BoardLink(name: "door", transport: transport, replies: driver.replies,
                             policy: DeliveryPolicy(replyTimeout: .milliseconds(50)), session: driver.session)
        #expect(await link.keepAlive() == nil, "nothing to keep alive before the first delivery")
        #expect(try await link.deliver(driver.messages(for: DriverTests.frame(DriverTests.idle), previous: nil)).outcome == .delivered(attempts: 1))
        #expect(await link.keepAlive() == nil, "not yet due")
        try await Task.sleep(for: .milliseconds(30))
        #expect(await link.keepAlive()?.outcome == .delivered(attempts: 1))
        #expect(await transport.writes.last == Huidu.heartbeatAsk)
        answering.withLock { $0 = false }
        var outcomes: [DeliveryOutcome?] = []
        for _ in 0..<3 {
            try await Task.sleep(for: .milliseconds(30))
            outcomes.append(await link.keepAlive()?.outcome)
        }
        #expect(outcomes == [.delivered(attempts: 1), .delivered(attempts: 1), .failed(.disconnected, attempts: 3)])
        #expect(await link.status.lastError?.hasSuffix("3 heartbeats unanswered in a row, the link is lost") == true)
        #expect(await transport.closeCount == 1)
        #expect(try await link.deliver(driver.messages(for: DriverTests.frame(DriverTests.idle), previous: nil)).outcome == .delivered(attempts: 1))
        #expect(await transport.writes.suffix(3).first == Huidu.versionAsk(), "a new session opened")
    }

    /// Critical text blinks in two phases from the driver, a second each: the dark phase is the
    /// blinking item's string emptied, the lit one its text again in its colour, each one
    /// UpdateProgram; a timer turning red is one UpdateProgram of its string and colour.
    @Test func criticalTextBlinksInTwoPhasesOfOneStringEach() throws {
        let driver = BoardDrivers.make(try DriverTests.model("huidu"), width: 192, height: 32, format: .bicolor)
        #expect(driver.blinking == .inPhases(.seconds(1)))
        let frame = DriverTests.frame(BlinkTests.critical)
        let lit = Date(timeIntervalSince1970: 1_795_242_600), dark = lit.addingTimeInterval(1)
        var decoder = HuiduRequestDecoder()
        let darkPhase = try driver.messages(for: driver.frameToSend(frame, at: dark), previous: driver.frameToSend(frame, at: lit))
        let litPhase = try driver.messages(for: driver.frameToSend(frame, at: lit), previous: driver.frameToSend(frame, at: dark))
        #expect(decoder.feed(darkPhase.joined().map { $0 }) == [.request(guid: Huidu.placeholderGUID, .updateProgram(HuiduProgramUpdate(programGUID: "wallboard", changes: [.init(areaGUID: "a1", textGUID: "t1", text: "")])))])
        #expect(decoder.feed(litPhase.joined().map { $0 }) == [.request(guid: Huidu.placeholderGUID, .updateProgram(HuiduProgramUpdate(programGUID: "wallboard", changes: [.init(areaGUID: "a1", textGUID: "t1", text: "急救6号 危重", colour: RGB(255, 0, 0))])))])
        #expect(driver.nextBlinkPhase(of: frame, after: lit) == dark)
        var late = DriverTests.idle
        late[1].runs = [.init("14:33:00", colour: .green)]
        let turned = try driver.messages(for: DriverTests.frame(late), previous: DriverTests.frame(DriverTests.idle))
        #expect(decoder.feed(turned.joined().map { $0 }) == [.request(guid: Huidu.placeholderGUID, .updateProgram(HuiduProgramUpdate(programGUID: "wallboard", changes: [.init(areaGUID: "a2", textGUID: "t2", text: "14:33:00", colour: RGB(0, 255, 0))])))])
    }

    @Test func clockBrightnessAndScreenPowerReachTheCardAndTooManyAreasAreRefused() async throws {
        let driver = BoardDrivers.make(try DriverTests.model("huidu"), width: 192, height: 32, format: .bicolor)
        #expect(driver.switchesScreen)
        let board = try Self.board()
        try await Self.serving(board) { port in
            let link = Self.link(driver, port: port)
            let zone = try #require(TimeZone(identifier: "Asia/Shanghai"))
            #expect(try await link.deliver(driver.clock(Date(timeIntervalSince1970: 1_795_242_600), timeZone: zone)).outcome == .delivered(attempts: 1))
            #expect(try await link.deliver(driver.brightness(0.5)).outcome == .delivered(attempts: 1))
            #expect(try await link.deliver(driver.messages(for: DriverTests.frame(DriverTests.idle), previous: nil)).outcome == .delivered(attempts: 1))
            let lit = await board.render()
            #expect(lit.pixels.contains { $0 != 0 })
            #expect(try await link.deliver(driver.screenPower(on: false)).outcome == .delivered(attempts: 1))
            #expect(try await Self.card(board).screenOn == false)
            #expect(await board.render().pixels.allSatisfy { $0 == 0 }, "CloseScreen: a dark board")
            #expect(try await link.deliver(driver.screenPower(on: true)).outcome == .delivered(attempts: 1))
            #expect(await board.render() == lit, "OpenScreen: the program as it was")
            await link.close()
        }
        let card = try await Self.card(board)
        #expect(card.time == HuiduTime(timeZone: "(UTC+08:00)Beijing,Chongqing,HongKong,Urumchi", year: 2026, month: 11, day: 21, hour: 14, minute: 30, second: 0))
        #expect(card.brightness == 50)
        let areas = (0..<17).map { TextArea(id: $0, rect: Rect(x: $0 * 8, y: 0, width: 8, height: 16), runs: [.init("\($0)", colour: .red)]) }
        #expect(throws: DriverError.self) { try driver.messages(for: DriverTests.frame(areas), previous: nil) }
        #expect(try DriverTests.model("huidu").textLimits?.maximumAreas == 16)
    }
}

private extension HuiduRequestDecoder {
    func feedingCopy(_ bytes: [UInt8]) -> [HuiduInbound] {
        var copy = self
        return copy.feed(bytes)
    }
}

/// A transport whose connection goes away once, after `dropAfter` bytes of a write: the first
/// part reaches the board, the rest never does.
actor DroppingTransport: Transport {
    let inner: TCPTransport
    let dropAfter: Int
    private(set) var drops = 0
    nonisolated var deviceName: String { inner.deviceName }

    init(_ inner: TCPTransport, dropAfter: Int) {
        self.inner = inner
        self.dropAfter = dropAfter
    }

    func open() async throws { try await inner.open() }

    func write(_ bytes: [UInt8], timeout: Duration) async throws {
        guard drops == 0, bytes.count > dropAfter else { return try await inner.write(bytes, timeout: timeout) }
        drops += 1
        try await inner.write(Array(bytes.prefix(dropAfter)), timeout: timeout)
        await inner.close()
        throw TransportError(.disconnected, device: deviceName, operation: "write", detail: "the connection dropped")
    }

    func read(upTo maxCount: Int, timeout: Duration) async throws -> [UInt8] { try await inner.read(upTo: maxCount, timeout: timeout) }

    func close() async { await inner.close() }
}
