import Foundation
import GRDB
import Testing
import WallboardEmulator
import WallboardLayout
import WallboardTestKit
import WallboardTransport
import WallboardTransportCore
@testable import WallboardService

/// A dispatch is the crew's signal to run: it reaches the station's door board as soon as it is
/// drawn, not at the board's next paced second.
@Suite(.serialized) struct AlertLatencyTests {
    /// Waits until `offset` past a wall-clock second whose number is even (`even`) or odd (or
    /// either), and not a multiple of `period`: by default the turn of a half minute, when an
    /// idle door board (HH:mm, pages every 30 s) changes; 6 for an alerting one's pages.
    static func waitForSecond(even: Bool? = nil, offset: Double = 0.05, avoiding: (Int) -> Bool = { $0 % 30 == 0 }) async throws {
        let now = Date().timeIntervalSince1970
        var target = now.rounded(.down) + offset
        while target <= now || even.map({ (Int(target) % 2 == 0) != $0 }) == true || avoiding(Int(target)) { target += 1 }
        try await Task.sleep(for: .milliseconds(Int((target - now) * 1000)))
    }

    /// Commits placed just after a tick, in even and odd seconds, critical (a blinking call sign)
    /// and not: each shows on a BX-5K font card's emulator, over its serial line, well inside the
    /// second the old pacing could make it wait.
    @Test func aDispatchReachesTheFontCardWithoutWaitingForATick() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        // As many idle stations as the simulated hour has, up to four, and at least an even and an odd second.
        let stations = Array(try await database.idleStations().prefix(4))
        try #require(stations.count >= 2, "idle stations: \(stations.map(\.station))")
        let cards = try stations.map { _ in try EmulatedBoardTests.fontCard() }
        defer { for (_, server) in cards { server.close() } }
        let boards = zip(stations, cards).map { station, card in
            EmulatedBoardTests.serialDoorBoard(station.station, station: station.station, device: card.1.devicePath)
        }
        let service = try WallboardService(configuration: try configuration(database: database.path, directory: directory, boards: boards.joined(separator: "\n")))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (_, server) in cards { group.addTask { try await server.run() } }
            defer { group.cancelAll() }
            try await withRunningBoards(service) {
                for (station, card) in zip(stations, cards) {
                    _ = try await EmulatedBoardTests.waitFor(card.0) { $0.first == station.name }
                }
                // A card that took its first frames less than a second ago would rightly hold the dispatch.
                try await Task.sleep(for: .seconds(1))
                var delays: [Duration] = []
                for (index, (station, card)) in zip(stations, cards).enumerated() {
                    try await Self.waitForSecond(even: index % 2 == 0)
                    let committed = ContinuousClock.now
                    try await database.dispatch(vehicle: station.vehicle, incident: "LATE-\(index)", priority: index < 2 ? 1 : 2)
                    _ = try await EmulatedBoardTests.waitFor(card.0) { $0.first?.hasPrefix(station.callSign) == true }
                    delays.append(ContinuousClock.now - committed)
                }
                #expect(delays.allSatisfy { $0 < .milliseconds(300) }, "commit to board: \(delays)")
            }
        }
    }

    /// A dispatch committed just after a clock tick, to a BX-5K font card (its controller takes an
    /// update at most once a second) and to a C-Power card (no such limit), both showing seconds:
    /// the font card gets it a second after the tick's frame and no sooner, the C-Power card at once.
    @Test func aFontCardTakesTheDispatchNoSoonerThanASecondAfterTheTickAndABoardWithoutALimitAtOnce() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let stations = Array(try await database.idleStations().prefix(2))
        try #require(stations.count == 2)
        let layout = try directory.doorLayoutWithSeconds()
        let fontCard = TimedBoard(try EmulatedBoardTests.fontCardBoard(), texts: EmulatedBoardTests.texts)
        let cpower = TimedBoard(try ScreenPowerTests.card(), texts: CPowerServiceTests.texts)
        let boards = [(board: fontCard, model: "bx5k"), (board: cpower, model: "cpower")]
        let servers = try boards.map { try PseudoTerminalBoardServer(board: $0.board) }
        defer { for server in servers { server.close() } }
        let items = zip(zip(stations, boards), servers).map { pair, server in
            """
              - id: \(pair.1.model)
                station: \(pair.0.station)
                layout: \(layout)
                protocol: \(pair.1.model)
                transport:
                  serial: \(server.devicePath)
            """
        }
        let service = try WallboardService(configuration: try configuration(database: database.path, directory: directory, boards: items.joined(separator: "\n")))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for server in servers { group.addTask { try await server.run() } }
            defer { group.cancelAll() }
            try await withRunningBoards(service) {
                for (station, board) in zip(stations, boards) {
                    try await board.board.waitFor { $0.first == station.name }
                }
                try await Self.waitForSecond(even: true)
                let committed = ContinuousClock.now
                for (index, station) in stations.enumerated() {
                    try await database.dispatch(vehicle: station.vehicle, incident: "HELD-\(index)", priority: 2)
                }
                var shown: [(previous: ContinuousClock.Instant, alert: ContinuousClock.Instant)] = []
                for (station, board) in zip(stations, boards) {
                    try await board.board.waitFor { $0.first?.hasPrefix(station.callSign) == true }
                    shown.append(try #require(await board.board.changeShowing(prefix: station.callSign)))
                }
                let fontCardGap = shown[0].alert - shown[0].previous
                // Both frames cross the same pseudo-terminal: only its jitter can make the gap look shorter.
                #expect(fontCardGap >= .milliseconds(980) && fontCardGap < .milliseconds(1250), "font card: \(fontCardGap) after the frame before")
                #expect(shown[0].alert - committed < .milliseconds(1300), "font card: commit to board \(shown[0].alert - committed)")
                #expect(shown[1].alert - committed < .milliseconds(300), "C-Power card: commit to board \(shown[1].alert - committed)")
                #expect(shown[1].alert - shown[1].previous < .milliseconds(500), "C-Power card: \(shown[1].alert - shown[1].previous) after the frame before")
            }
        }
    }

    /// Behind a controller's minimum interval, a tick whose interval ends off the second waits
    /// for the next tick (a seconds display back on the second); new data, a dispatch, goes the
    /// moment the interval is up, however far from a tick.
    @Test func newDataGoesWhenTheIntervalIsUpAndOnlyATickWaitsForTheSecond() {
        let second = Duration.seconds(1)
        func wait(_ wall: Double, newData: Bool) -> Double { BoardRuntime.waitPastInterval(endingAtWall: wall, pace: second, offTheTick: newData).inSeconds }
        #expect(wait(1000.05, newData: false) == 0, "just after a tick: that tick's frame goes")
        #expect(abs(wait(1000.45, newData: false) - 0.60) < 1e-6, "off the second: to just past the next tick")
        #expect(wait(1000.45, newData: true) == 0, "a dispatch does not wait for a tick")
        #expect(wait(1000.95, newData: true) == 0)
    }
}

/// A board's emulator that notes when what it shows changes: the moment each packet that changed
/// its texts arrived.
actor TimedBoard: ServedBoard {
    let board: EmulatedBoard
    let texts: @Sendable (EmulatedBoard) async -> [String]
    private var changes: [(at: ContinuousClock.Instant, texts: [String])] = []

    init(_ board: EmulatedBoard, texts: @escaping @Sendable (EmulatedBoard) async -> [String]) {
        self.board = board
        self.texts = texts
    }

    func receive(_ bytes: [UInt8]) async -> [UInt8] {
        let arrived = ContinuousClock.now
        let answer = await board.receive(bytes)
        let shown = await texts(board)
        if shown != changes.last?.texts { changes.append((arrived, shown)) }
        return answer
    }

    /// What the board shows now.
    var shown: [String] { changes.last?.texts ?? [] }

    nonisolated func waitFor(within timeout: Duration = .seconds(10), _ condition: @escaping @Sendable ([String]) -> Bool) async throws {
        try await eventually("the emulated board shows what was expected", within: timeout) {
            condition(await shown) ? true : nil
        }
    }

    /// When the first texts starting with `prefix` arrived, and when the frame before them did:
    /// the last change before the run of packets (each within 50 ms of the next) that brought them.
    func changeShowing(prefix: String) -> (previous: ContinuousClock.Instant, alert: ContinuousClock.Instant)? {
        guard var index = changes.firstIndex(where: { $0.texts.first?.hasPrefix(prefix) == true }) else { return nil }
        let alert = changes[index].at
        while index > 0, changes[index].at - changes[index - 1].at < .milliseconds(50) { index -= 1 }
        guard index > 0 else { return nil }
        return (changes[index - 1].at, alert)
    }
}

/// A second dispatch to a station whose door board already alerts shows at once.
@Suite(.serialized) struct SecondAlertTests {
    /// The text of the timer's area as sent to a font card: its pages, one a line.
    static func timerPages(_ texts: [String]) -> String? {
        texts.first { $0.contains("\n") && $0.allSatisfy { "0123456789:\n".contains($0) } }
    }

    /// The seconds of the timer a font card shows now.
    static func shownTimer(_ board: EmulatedBoard) async throws -> Int {
        let id = try #require(await EmulatedBoardTests.texts(board).firstIndex { timerPages([$0]) != nil }, "no timer pages on the card")
        let line = await EmulatedBoardTests.shownTexts(board)[id]
        let parts = line.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2 else { throw TestFailure("the card's timer reads '\(line)'") }
        return parts[0] * 60 + parts[1]
    }

    /// A BX-5K alerting for one vehicle (not critical: nothing blinks) counts the turnout timer
    /// from the pages it was sent: for five seconds the timer it shows goes on a second a second
    /// and its pages are not sent again, so a second dispatch 0.3 s into a second reaches it at
    /// once (where the frame of that second's tick used to hold it until the next).
    @Test func aFontCardCountingItsOwnTimerTakesASecondDispatchAtOnce() async throws {
        try await Self.withFontCardAtStationOfTwoVehicles(baud: 57600) { database, vehicles, card in
            try await AlertLatencyTests.waitForSecond()
            let firstSecond = Int(Date().timeIntervalSince1970)
            try await database.dispatch(vehicle: vehicles[0].id, incident: "FIRST", priority: 2)
            try await card.waitFor { $0.first?.hasPrefix(vehicles[0].callSign) == true }
            let shownAtFirst = await card.shown
            let pages = try #require(Self.timerPages(shownAtFirst), "the timer goes as pages: \(shownAtFirst)")
            // Read 0.6 s into each of five seconds, from the second after the one in which the
            // timer, counting from just after its tick, still showed 0:00 as the drawn board does.
            let firstReading = Date().timeIntervalSince1970.rounded(.down) + 2.6
            var counted: [Int] = []
            for second in 0..<5 {
                let wait = firstReading + Double(second) - Date().timeIntervalSince1970
                try await Task.sleep(for: .milliseconds(Int((wait * 1000).rounded(.up))))
                counted.append(try await Self.shownTimer(card.board))
            }
            #expect(zip(counted, counted.dropFirst()).allSatisfy { $1 - $0 == 1 }, "the card's timer read \(counted) s; its pages: \(pages)")
            let shownAfter = await card.shown
            #expect(Self.timerPages(shownAfter) == pages, "the timer's pages were sent again")
            // Not in the second of a turn of the line under the call sign (6 s each from the first
            // dispatch) or the next: a first frame later than the card's tolerance for a turn (a loaded
            // machine) sends that line plainly and its loop at the turn, which takes the card's second.
            try await AlertLatencyTests.waitForSecond(offset: 0.3) { ($0 - firstSecond) % 6 < 2 || $0 % 30 == 0 }
            let committed = ContinuousClock.now
            try await database.dispatch(vehicle: vehicles[1].id, incident: "SECOND", priority: 2)
            try await card.waitFor { $0.first?.hasPrefix(vehicles[1].callSign) == true }
            let shown = try #require(await card.changeShowing(prefix: vehicles[1].callSign)).alert
            #expect(shown - committed < .milliseconds(150), "the second alert showed \(shown - committed) after its commit")
        }
    }

    /// A BX-5K alerting for one vehicle is sent the line under the call sign (address, then
    /// complaint, 6 s each from the dispatch) as a loop with the dispatch's own frame, and blinks a
    /// critical call sign from its own pages, so nothing more goes to it while it alerts: a
    /// second dispatch, 0.3 s to 6.3 s after the first (across the first turn of that line),
    /// reaches it within 150 ms of its commit, or of the card's next update where the first
    /// alert took the card's second (the documented one update a second).
    @Test(arguments: [(0.3, 1), (1.0, 2), (5.8, 1), (6.3, 2)])
    func aFontCardTurningItsOwnPagesTakesASecondDispatchAtOnce(offset: Double, priority: Int) async throws {
        try await Self.withFontCardAtStationOfTwoVehicles(baud: 57600) { database, vehicles, card in
            try await AlertLatencyTests.waitForSecond()
            let firstCommitted = ContinuousClock.now
            try await database.dispatch(vehicle: vehicles[0].id, incident: "FIRST", priority: priority)
            try await card.waitFor { $0.first?.hasPrefix(vehicles[0].callSign) == true }
            let firstShown = try #require(await card.changeShowing(prefix: vehicles[0].callSign)).alert
            try await Task.sleep(until: firstCommitted + .milliseconds(Int(offset * 1000)))
            let committed = ContinuousClock.now
            try await database.dispatch(vehicle: vehicles[1].id, incident: "SECOND", priority: priority)
            try await card.waitFor { $0.first?.hasPrefix(vehicles[1].callSign) == true }
            let shown = try #require(await card.changeShowing(prefix: vehicles[1].callSign)).alert
            let due = max(committed, firstShown + .seconds(1))
            #expect(shown - due < .milliseconds(150), "the second alert, \(offset) s after the first, showed \(shown - committed) after its commit, the first \(firstShown - firstCommitted) after its own")
        }
    }

    /// A dispatch to an idle font card just after its half-minute page turn waits for the card's
    /// second; a second vehicle of the station, dispatched while it waits, goes out newest first
    /// in that frame. The first crew's call sign follows after the second's first turn
    /// (`DoorBoardState.firstTurn`, and the card's next paced second: a turn is not new data, and
    /// the alert's timer counts on the second), not a whole rotation later: nothing ever showed it before.
    @Test func aHeldDispatchFollowedWithinTheHoldByASecondStillShowsWithinAFirstTurn() async throws {
        try await Self.withFontCardAtStationOfTwoVehicles(baud: 57600) { database, vehicles, card in
            try await card.waitFor { $0.first?.hasPrefix(vehicles[0].callSign) == false && $0.count > 1 }
            // 0.2 s past a turn of the idle board's pages: the card took that frame (its pages' loop)
            // a moment ago. Not a turn within 2 s of the first picture, which may have sent the loop already.
            let idleShown = Date().timeIntervalSince1970
            try await AlertLatencyTests.waitForSecond(offset: 0.2) { $0 % 30 != 0 || Double($0) < idleShown + 2 }
            let firstCommitted = ContinuousClock.now
            try await database.dispatch(vehicle: vehicles[0].id, incident: "FIRST", priority: 2)
            try await Task.sleep(until: firstCommitted + .milliseconds(300))
            let secondCommitted = ContinuousClock.now
            let secondCommittedWall = Date().timeIntervalSince1970
            try await database.dispatch(vehicle: vehicles[1].id, incident: "SECOND", priority: 2)
            try await card.waitFor(within: .seconds(15)) { $0.first?.hasPrefix(vehicles[0].callSign) == true }
            let second = try #require(await card.changeShowing(prefix: vehicles[1].callSign))
            let first = try #require(await card.changeShowing(prefix: vehicles[0].callSign)).alert
            #expect(second.alert - secondCommitted < .milliseconds(1200), "the second alert showed \(second.alert - secondCommitted) after its commit")
            let due = secondCommitted + .seconds(DoorBoardState.firstTurn)
            #expect(first - due < .milliseconds(1200), "the first alert showed \(first - firstCommitted) after its commit, the second \(second.alert - secondCommitted) after its own, \(second.alert - second.previous) after the frame before")
            // The turn is drawn ahead for the whole second after it and sent then (the second's
            // commit is half-way through a second, so its stamp cannot fall in the next one).
            let turnSecond = secondCommitted + .seconds((secondCommittedWall + DoorBoardState.firstTurn).rounded(.up) - secondCommittedWall)
            #expect(first - turnSecond > .milliseconds(-50) && first - turnSecond < .milliseconds(300), "the first alert's turn reached the card \(first - turnSecond) after the whole second after it")
        }
    }

    /// A service driving an emulated BX-5K font-card door board on a pseudo-terminal at `baud`,
    /// for a station with two vehicles on standby, while `body` runs.
    static func withFontCardAtStationOfTwoVehicles(
        baud: Int, _ body: @Sendable (DemoDatabase, [(id: String, callSign: String)], TimedBoard) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let (station, vehicles) = try await stationWithTwoVehicles(database)
        let card = TimedBoard(try EmulatedBoardTests.fontCardBoard(), texts: EmulatedBoardTests.texts)
        let server = try PseudoTerminalBoardServer(board: card)
        defer { server.close() }
        let board = EmulatedBoardTests.serialDoorBoard("door", station: station, device: server.devicePath, baud: baud)
        let service = try WallboardService(configuration: try configuration(database: database.path, directory: directory, boards: board))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            defer { group.cancelAll() }
            try await withRunningBoards(service) { try await body(database, vehicles, card) }
        }
    }

    /// A station with two vehicles on standby and nothing open.
    static func stationWithTwoVehicles(_ database: DemoDatabase) async throws -> (station: String, vehicles: [(id: String, callSign: String)]) {
        let idle = Set(try await database.idleStations().map(\.station))
        let rows = try DatabaseQueue(path: database.path).read { db in
            try Row.fetchAll(db, sql: "SELECT station_id, id, call_sign FROM vehicles WHERE status = 7 ORDER BY station_id, id")
        }
        let byStation = Dictionary(grouping: rows.map { (station: $0[0] as String, id: $0[1] as String, callSign: $0[2] as String) }, by: \.station)
        let station = try #require(byStation.keys.sorted().first { idle.contains($0) && (byStation[$0]?.count ?? 0) >= 2 }, "no idle station with two vehicles on standby")
        return (station, Array((byStation[station] ?? []).prefix(2).map { ($0.id, $0.callSign) }))
    }

    /// A BX-5K font card alerting for one vehicle (a frame a second, its turnout timer) is told
    /// of a second dispatch 0.4 s before the end of a rotation slot of the wall clock: the second
    /// vehicle shows within a little more than the card's interval. (Were alerts rotated on the
    /// wall clock's slots, the card's interval would hold the new alert past the slot's end and
    /// the crew would see it a whole rotation later.)
    @Test func aFontCardAlertingForOneVehicleShowsASecondDispatchAtOnce() async throws {
        try await Self.withFontCardAtStationOfTwoVehicles(baud: 9600) { database, vehicles, card in
            try await database.dispatch(vehicle: vehicles[0].id, incident: "FIRST", priority: 2)
            try await card.waitFor { $0.first?.hasPrefix(vehicles[0].callSign) == true }
            // 0.4 s before the end of an odd slot of the layout's 8 s rotation, with the
            // first alert on show for two seconds at least.
            let now = Date().timeIntervalSince1970
            var moment = (now / 16).rounded(.down) * 16 + 15.6
            while moment - now < 2 { moment += 16 }
            try await Task.sleep(for: .milliseconds(Int((moment - Date().timeIntervalSince1970) * 1000)))
            let committed = ContinuousClock.now
            try await database.dispatch(vehicle: vehicles[1].id, incident: "SECOND", priority: 2)
            try await card.waitFor(within: .seconds(20)) { $0.first?.hasPrefix(vehicles[1].callSign) == true }
            let shown = try #require(await card.changeShowing(prefix: vehicles[1].callSign)).alert
            #expect(shown - committed < .milliseconds(1200), "the second alert showed \(shown - committed) after its commit")
        }
    }
}
