import Foundation
import Testing
import WallboardDrivers
import WallboardEmulator
import WallboardFonts
import WallboardProtocols
@testable import WallboardService
import WallboardTestKit
import WallboardTransport
import WallboardTransportCore

/// The simulator's database → the service → a serial line (a pseudo-terminal) → the board's
/// emulator, which decodes the same bytes a real Onbon font card would get.
@Suite(.serialized) struct EmulatedBoardTests {
    static let fonts = Result { try FontLibrary.locate() }

    static func fontCard() throws -> (EmulatedBoard, PseudoTerminalBoardServer) {
        let board = try fontCardBoard()
        return (board, try PseudoTerminalBoardServer(board: board))
    }

    /// A BX-5K font card's emulator, 192×32.
    static func fontCardBoard() throws -> EmulatedBoard {
        let library = try fonts.get()
        let painter = FontChainPainter(chains: [16: try library.chain("cjk-16"), 24: try library.chain("cjk-24"), 32: try library.chain("cjk-32")])
        let model = try #require(BoardProtocols.model(named: "bx5k"))
        return try #require(EmulatedBoard(model, width: 192, height: 32, painter: painter))
    }

    /// The texts of the emulated font card's areas, by area id.
    static func texts(_ board: EmulatedBoard) async -> [String] {
        guard let card = await board.state as? OnbonFontCardEmulator else { return [] }
        return card.areas.keys.sorted().compactMap { card.areas[$0]?.text.plainText }
    }

    /// What each of the emulated font card's areas shows now (the page turned to, lines joined
    /// by newlines), by area id.
    static func shownTexts(_ board: EmulatedBoard) async -> [String] {
        guard let card = await board.state as? OnbonFontCardEmulator else { return [] }
        return card.areas.keys.sorted().compactMap { id in card.shownLines(of: id)?.map { $0.map(\.text).joined() }.joined(separator: "\n") }
    }

    static func waitFor(_ board: EmulatedBoard, within timeout: Duration = .seconds(10), _ condition: ([String]) -> Bool) async throws -> [String] {
        try await eventually("the emulated board shows what was expected", within: timeout) {
            let texts = await texts(board)
            return condition(texts) ? texts : nil
        }
    }

    @Test func fontCardDoorBoardAlertsOverItsSerialLine() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let stations = try await database.idleStations()
        try #require(stations.count >= 2)
        let (own, other) = (stations[0], stations[1])
        let (ownBoard, ownServer) = try Self.fontCard()
        let (otherBoard, otherServer) = try Self.fontCard()
        defer {
            ownServer.close()
            otherServer.close()
        }
        let config = try configuration(database: database.path, directory: directory, boards: [
            Self.serialDoorBoard("own", station: own.station, device: ownServer.devicePath, baud: 57600, clockSync: "03:00"),
            Self.serialDoorBoard("other", station: other.station, device: otherServer.devicePath, baud: 57600, clockSync: "03:00"),
        ].joined(separator: "\n"))
        let service = try WallboardService(configuration: config)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await ownServer.run() }
            group.addTask { try await otherServer.run() }
            defer { group.cancelAll() }
            try await withRunningBoards(service) {
                _ = try await Self.waitFor(ownBoard) { $0.first == own.name }
                _ = try await Self.waitFor(otherBoard) { $0.first == other.name }
                let clockSet = (await ownBoard.state as? OnbonFontCardEmulator)?.clock
                #expect(clockSet != nil, "the board's clock is set when it connects")

                let dispatched = ContinuousClock.now
                try await database.dispatch(vehicle: own.vehicle)
                _ = try await Self.waitFor(ownBoard) { $0.first?.hasPrefix(own.callSign) == true }
                let delay = ContinuousClock.now - dispatched
                #expect(delay < .seconds(2), "commit to the board took \(delay)")
                _ = try await Self.waitFor(ownBoard) { texts in texts.contains { $0.contains("测试路1号东门") } }

                // The other station's board has drawn the same snapshot and stays idle.
                let generation = service.feed.current.generation
                let otherMonitor = try #require(service.monitor(id: "other"))
                try await eventually("the other board draws the dispatch's snapshot") { (otherMonitor.drawnGeneration ?? -1) >= generation }
                #expect(otherMonitor.frame?.texts.first == other.name)
                let otherTexts = await Self.texts(otherBoard)
                #expect(otherTexts.first == other.name)
                #expect(!otherTexts.contains { $0.contains(own.callSign) })
                let report = try #require(service.monitor(id: "own")?.report)
                #expect(report.status == .ok)
                #expect(report.bytesSent > 0)
                #expect(report.device == ownServer.devicePath)
            }
        }
    }

    @Test func boardThatIsAwayReportsItsErrorAndComesBack() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let station = try #require(try await database.idleStations().first)
        let (emulated, server) = try Self.fontCard()
        defer { server.close() }
        // The configured device is a link that appears only after the service has started.
        let link = directory.path("ttyDOOR")
        let config = try configuration(database: database.path, directory: directory, boards: Self.serialDoorBoard("door", station: station.station, device: link))
        let service = try WallboardService(configuration: config)
        let monitor = try #require(service.monitor(id: "door"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            defer { group.cancelAll() }
            try await withRunningBoards(service) {
                // Its reply retries and their backoff, slower on a machine running other tests: the time is not what is tested here.
            try await eventually("the board is failing", within: .seconds(15)) { monitor.report.status == .failing }
                let failing = monitor.report
                #expect(failing.status == .failing)
                #expect(failing.lastError?.contains(link) == true, "the error names the device: \(failing.lastError ?? "none")")
                try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: server.devicePath)
                _ = try await Self.waitFor(emulated) { $0.first == station.name }
                // The board has the bytes; its acknowledgement completes the delivery.
                try await eventually("the board is ok", within: .seconds(3)) { monitor.report.status == .ok }
                #expect(monitor.report.status == .ok)
            }
        }
    }

    /// A BX-5K door board on `device`, as a configuration's board list item.
    static func serialDoorBoard(
        _ id: String, station: String, device: String, baud: Int? = nil, clockSync: String? = nil,
        layout: String = TemporaryDirectory.layoutsDirectory.path + "/door-192x32-bicolor.yaml"
    ) -> String {
        var item = """
              - id: \(id)
                station: \(station)
                layout: \(layout)
                protocol: bx5k
                transport:
                  serial: \(device)
            """
        if let baud { item += "\n      baud: \(baud)" }
        if let clockSync { item += "\n    clockSync: \"\(clockSync)\"" }
        return item
    }

    /// Points the link at `target` in one step, as udev does when a board's adapter comes back.
    static func repoint(_ link: String, to target: String) throws {
        let staging = link + ".new"
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.createSymbolicLink(atPath: staging, withDestinationPath: target)
        guard rename(staging, link) == 0 else { throw TestFailure("rename \(staging) → \(link): errno \(errno)") }
    }

    /// The board's line hangs up (its adapter is pulled) and stays away long enough for the
    /// retry backoff to grow to several seconds; when a board answers on the device again, the
    /// service is back on it within 2 s, not at the end of its backoff.
    @Test func boardWhoseLineHangsUpIsBackWithinTwoSecondsOfReturning() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let station = try #require(try await database.idleStations().first)
        let (firstBoard, firstServer) = try Self.fontCard()
        let link = directory.path("ttyDOOR")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: firstServer.devicePath)
        // A clock that shows seconds: an idle board finds its line gone only when it next sends.
        let config = try configuration(
            database: database.path, directory: directory,
            boards: Self.serialDoorBoard("door", station: station.station, device: link, layout: try directory.doorLayoutWithSeconds())
        )
        let log = LogRecord()
        let service = try WallboardService(configuration: config, logger: log.logger)
        let monitor = try #require(service.monitor(id: "door"))
        let firstServing = Task { try? await firstServer.run() }
        defer { firstServing.cancel() }
        try await withRunningBoards(service) {
            _ = try await Self.waitFor(firstBoard) { $0.first == station.name }
            firstServer.close()
            // Its reply retries and their backoff, slower on a machine running other tests: the time is not what is tested here.
            try await eventually("the board is failing", within: .seconds(15)) { monitor.report.status == .failing }
            #expect(monitor.report.status == .failing)
            // Away for 6 s: by then the service waits 4 s or more between tries.
            try await Task.sleep(for: .seconds(6))
            #expect(monitor.report.lastError?.contains(link) == true, "the error names the device: \(monitor.report.lastError ?? "none")")

            let (secondBoard, secondServer) = try Self.fontCard()
            defer { secondServer.close() }
            let secondServing = Task { try? await secondServer.run() }
            defer { secondServing.cancel() }
            let returned = ContinuousClock.now
            try Self.repoint(link, to: secondServer.devicePath)
            _ = try await Self.waitFor(secondBoard, within: .seconds(10)) { $0.first == station.name }
            let recovery = ContinuousClock.now - returned
            #expect(recovery < .seconds(2), "the board showed its picture again \(recovery) after it returned")
            try await eventually("the board is ok", within: .seconds(5)) { monitor.report.status == .ok }
            #expect(monitor.report.status == .ok)
        }
        // Once when it went, once when it came back: not a line per retry.
        let failed = log.entries(.warning, containing: "board door failed")
        #expect(failed.count == 1, "\(log.all)")
        #expect(failed.first?.message.contains(link) == true, "the log names the device: \(failed)")
        #expect(log.entries(.notice, containing: "board door takes frames again").count == 1, "\(log.all)")
    }

    /// One board's line is open but nothing ever answers on it: every send waits out its reply
    /// timeouts and retries. The board beside it still gets each second of its clock on time.
    @Test func boardThatNeverAnswersDelaysNoOther() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let stations = try await database.idleStations()
        try #require(stations.count >= 2)
        let silentLine = try PseudoTerminal()
        defer { silentLine.close() }
        let (board, server) = try Self.fontCard()
        defer { server.close() }
        // A clock that shows seconds, to watch the healthy board tick.
        let layout = try directory.doorLayoutWithSeconds()
        let config = try configuration(database: database.path, directory: directory, boards: [
            Self.serialDoorBoard("silent", station: stations[0].station, device: silentLine.devicePath, layout: layout),
            Self.serialDoorBoard("healthy", station: stations[1].station, device: server.devicePath, layout: layout),
        ].joined(separator: "\n"))
        let service = try WallboardService(configuration: config)
        let serving = Task { try? await server.run() }
        defer { serving.cancel() }
        try await withRunningBoards(service) {
            _ = try await Self.waitFor(board) { $0.first == stations[1].name }
            let formatter = DateFormatter()
            formatter.dateFormat = "HH:mm:ss"
            formatter.timeZone = config.source.timeZone
            // Each new second the board shows, and how long after that second began it showed it.
            var lateness: [String: Double] = [:]
            let alreadyShown = Set(await Self.texts(board))
            let watching = ContinuousClock.now
            while ContinuousClock.now - watching < .seconds(5) {
                let now = Date()
                for text in await Self.texts(board) where text.count == 8 && lateness[text] == nil && !alreadyShown.contains(text) {
                    let second = (0..<5).map { now.addingTimeInterval(-Double($0)) }.first { formatter.string(from: $0) == text }
                    if let second {
                        lateness[text] = now.timeIntervalSince1970 - second.timeIntervalSince1970.rounded(.down)
                    }
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(lateness.count >= 4, "the healthy board showed \(lateness.count) clock changes in 5 s")
            let worst = lateness.values.max() ?? .infinity
            // A board held up by its neighbour's reply timeouts (1 s each) would be a second late or more.
            #expect(worst < 0.6, "the healthy board's clock was up to \(worst) s late: \(lateness)")
            let silent = try #require(service.monitor(id: "silent")?.report)
            #expect(silent.status == .failing)
            #expect(silent.lastError?.contains("no reply") == true, "\(silent.lastError ?? "none")")
            #expect(service.monitor(id: "healthy")?.report.status == .ok)
        }
    }

    /// A font card whose controller misbehaves on demand: it answers garbage, or answers late.
    final class MisbehavingBoard: ServedBoard {
        enum Mode { case normal, garbage, slow(Duration) }
        let board: EmulatedBoard
        let mode = Locked(Mode.normal)

        init(_ board: EmulatedBoard) { self.board = board }

        func receive(_ bytes: [UInt8]) async -> [UInt8] {
            switch mode.withLock({ $0 }) {
            case .normal:
                return await board.receive(bytes)
            case .garbage:
                return Array("ERR?\u{7}".utf8)
            case .slow(let delay):
                let answer = await board.receive(bytes)
                try? await Task.sleep(for: delay)
                return answer
            }
        }
    }

    /// The board answers garbage for a while (a wrong baud rate, a damaged controller): the status
    /// says "bad reply" with the bytes, and once it answers properly again the board is current
    /// within 2 s. Then it answers late, but within its reply timeout: frames still count as
    /// delivered and the status stays ok.
    @Test func boardAnsweringGarbageOrLateIsReportedAndRecovers() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let station = try #require(try await database.idleStations().first)
        let (emulated, _) = try Self.fontCard()
        let misbehaving = MisbehavingBoard(emulated)
        let server = try PseudoTerminalBoardServer(board: misbehaving)
        defer { server.close() }
        // A clock that shows seconds: an idle board hears its controller's replies only when it sends.
        let config = try configuration(
            database: database.path, directory: directory,
            boards: Self.serialDoorBoard("door", station: station.station, device: server.devicePath, layout: try directory.doorLayoutWithSeconds())
        )
        let service = try WallboardService(configuration: config)
        let monitor = try #require(service.monitor(id: "door"))
        let serving = Task { try? await server.run() }
        defer { serving.cancel() }
        try await withRunningBoards(service) {
            _ = try await Self.waitFor(emulated) { $0.first == station.name }
            misbehaving.mode.withLock { $0 = .garbage }
            // Its reply retries and their backoff, slower on a machine running other tests: the time is not what is tested here.
            try await eventually("the board is failing", within: .seconds(15)) { monitor.report.status == .failing }
            #expect(monitor.report.status == .failing)
            #expect(monitor.report.lastError?.contains("bad reply") == true, "\(monitor.report.lastError ?? "none")")
            #expect(monitor.report.lastError?.contains("45 52 52 3F") == true, "the error shows the bytes: \(monitor.report.lastError ?? "none")")

            misbehaving.mode.withLock { $0 = .normal }
            let repaired = ContinuousClock.now
            try await eventually("the board is ok", within: .seconds(5)) { monitor.report.status == .ok }
            #expect(ContinuousClock.now - repaired < .seconds(2), "back \(ContinuousClock.now - repaired) after the board answered properly")

            misbehaving.mode.withLock { $0 = .slow(.milliseconds(600)) }
            let delivered = monitor.report.framesDelivered
            try await Task.sleep(for: .seconds(3))
            #expect(monitor.report.framesDelivered > delivered, "late answers still deliver")
            #expect(monitor.report.status == .ok)
        }
    }
}
