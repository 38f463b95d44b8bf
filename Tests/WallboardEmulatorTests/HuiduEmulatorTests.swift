import Testing
import WallboardEmulator
import WallboardProtocols
import WallboardRender
import WallboardTestKit

/// The Huidu emulator: the session as the facts sheet gives it, the program it keeps and draws,
/// and what a card refuses (an unknown GUID, XML over its limit, a second client).
@Suite struct HuiduEmulatorTests {
    static func board(xmlLimit: Int = Huidu.maximumXMLBytes, clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) -> HuiduEmulator {
        HuiduEmulator(configuration: .init(width: 12, height: 16, pixelFormat: .rgb, xmlLimit: xmlLimit, clock: clock), painter: BlockPainter())
    }

    /// Opens a session on `connection` and returns its GUID.
    static func openSession(_ board: inout HuiduEmulator, on connection: Int = 1) throws -> String {
        #expect(board.receive(Huidu.versionAsk(), on: connection) == Huidu.versionAnswer())
        var reader = HuiduReplyReader()
        let replies = reader.feed(board.receive(try Huidu.encode(.getIFVersion(version: Huidu.sdkVersion), guid: Huidu.placeholderGUID), on: connection))
        guard case .answer(let guid, "GetIFVersion", "kSuccess", let out)? = replies.first else {
            Issue.record("GetIFVersion was answered \(replies)")
            return ""
        }
        #expect(out.child("version")?["value"] == Huidu.sdkVersion)
        return guid
    }

    static func results(_ bytes: [UInt8]) -> [BoardReply] {
        var parser = HuiduReplyParser()
        return parser.feed(bytes)
    }

    static let program = HuiduProgram(guid: "p", areas: [
        HuiduTextArea(guid: "a1", rect: Rect(x: 0, y: 0, width: 12, height: 8), textGUID: "t1", text: "AB", colour: RGB(255, 0, 0), fontSize: 8, horizontal: .left, vertical: .top, scrolls: false),
        HuiduTextArea(guid: "a2", rect: Rect(x: 0, y: 8, width: 12, height: 8), textGUID: "t2", text: "急", colour: RGB(0, 255, 0), fontSize: 8, horizontal: .right, vertical: .top, scrolls: false),
    ])

    @Test func answersTheSessionAsTheFactsSheetSays() throws {
        var board = Self.board()
        #expect(Self.results(board.receive(try Huidu.encode(.openScreen, guid: "x"), on: 1)) == [.nack(code: 2, explanation: "kProcessError")], "XML before the version exchange")
        let answer = board.receive(Huidu.versionAsk(), on: 1)
        #expect(hexString(answer) == "0A 00 02 20 05 00 00 01 00 00")
        let session = try Self.openSession(&board)
        #expect(session.count == 36 && board.sessionGUID == session)
        #expect(board.receive(Huidu.heartbeatAsk, on: 1) == Huidu.heartbeatAnswer)
        #expect(Self.results(board.receive(try Huidu.encode(.setLuminance(percent: 40), guid: "another"), on: 1)).first == .nack(code: 43, explanation: "SetLuminancePloy: kInvalidGUID: no program, area or item has that GUID"))
        #expect(board.brightness == nil)
        #expect(Self.results(board.receive(try Huidu.encode(.setLuminance(percent: 40), guid: session), on: 1)) == [.ack])
        #expect(board.brightness == 40)
    }

    /// The program drawn in its areas (the fake font's 8-dot blocks fill the last row of each),
    /// a string replaced in place; an unknown GUID refused; the screen switched off and on.
    @Test func keepsAndDrawsTheProgramAndUpdatesItsStrings() throws {
        var board = Self.board()
        let session = try Self.openSession(&board)
        var wire = try Huidu.encode(.addProgram(Self.program), guid: session)
        wire += try Huidu.encode(.updateProgram(HuiduProgramUpdate(programGUID: "p", changes: [.init(areaGUID: "a1", textGUID: "t1", text: "A")])), guid: session)
        var replies: [UInt8] = []
        for start in stride(from: 0, to: wire.count, by: 7) { replies += board.receive(Array(wire[start..<min(wire.count, start + 7)]), on: 1) }
        #expect(Self.results(replies) == [.ack, .ack])
        expectPicture(board.render(), """
            ............
            ............
            ............
            ............
            ............
            ............
            ............
            r...........
            ............
            ............
            ............
            ............
            ............
            ............
            ............
            .........gg.
            """)
        let unknown = try Huidu.encode(.updateProgram(HuiduProgramUpdate(programGUID: "p", changes: [.init(areaGUID: "a9", textGUID: "t9", text: "X")])), guid: session)
        #expect(Self.results(board.receive(unknown, on: 1)) == [.nack(code: 43, explanation: "UpdateProgram: kInvalidGUID: no program, area or item has that GUID")])
        #expect(board.program?.areas.map(\.text) == ["A", "急"])
        #expect(Self.results(board.receive(try Huidu.encode(.closeScreen, guid: session), on: 1)) == [.ack])
        #expect(board.render().pixels.allSatisfy { $0 == 0 })
        #expect(Self.results(board.receive(try Huidu.encode(.openScreen, guid: session), on: 1)) == [.ack])
        #expect(board.render().pixels.contains { $0 != 0 })
    }

    @Test func refusesXMLOverItsLimitAndASecondClient() throws {
        var board = Self.board(xmlLimit: 600)
        let session = try Self.openSession(&board)
        let long = HuiduProgramUpdate(programGUID: "p", changes: [.init(areaGUID: "a1", textGUID: "t1", text: String(repeating: "x", count: 700))])
        #expect(Self.results(board.receive(try Huidu.encode(.updateProgram(long), guid: session), on: 1)) == [.nack(code: 20, explanation: "kXmlCmdTooLong: the request's XML is longer than the card takes")])
        #expect(Self.results(board.receive(Huidu.versionAsk(), on: 2)) == [.nack(code: 4, explanation: "kDeviceOccupa: another client holds the card")])
        board.connectionClosed(1)
        _ = try Self.openSession(&board, on: 2)
    }

    /// A request cut off by its connection closing is dropped with the connection: the next
    /// client's request is read from its own first byte.
    @Test func aRequestCutOffByAClosedConnectionIsDropped() throws {
        var board = Self.board()
        let first = try Self.openSession(&board, on: 1)
        let wire = try Huidu.encode(.addProgram(Self.program), guid: first)
        #expect(board.receive(Array(wire.prefix(wire.count / 2)), on: 1).isEmpty)
        board.connectionClosed(1)
        #expect(board.journal.last == .ignored("a request cut off when connection 1 closed"))
        let second = try Self.openSession(&board, on: 2)
        #expect(second != first)
        #expect(Self.results(board.receive(try Huidu.encode(.addProgram(Self.program), guid: second), on: 2)) == [.ack])
        #expect(board.program == Self.program)
    }

    /// Still text taller than its area is shown a page at a time, each for the effect's duration.
    @Test func textTallerThanItsAreaTurnsPages() throws {
        let start = ContinuousClock.now
        let now = Locked(start)
        var board = Self.board { now.withLock { $0 } }
        let session = try Self.openSession(&board)
        let paged = HuiduProgram(guid: "p", areas: [HuiduTextArea(
            guid: "a", rect: Rect(x: 0, y: 0, width: 12, height: 8), textGUID: "t", text: "A\nBBB", colour: RGB(255, 0, 0), fontSize: 8,
            horizontal: .left, vertical: .top, scrolls: false, stayTenths: 20)])
        #expect(Self.results(board.receive(try Huidu.encode(.addProgram(paged), guid: session), on: 1)) == [.ack])
        let row = Rect(x: 0, y: 7, width: 12, height: 1)
        expectPicture(board.render().cropped(to: row), "r...........")
        now.withLock { $0 = start + .milliseconds(2100) }
        expectPicture(board.render().cropped(to: row), "r.r.r.......")
        now.withLock { $0 = start + .milliseconds(4100) }
        expectPicture(board.render().cropped(to: row), "r...........")
    }
}
