import Foundation
import GRDB
import Logging
import Testing
import WallboardDispatch
import WallboardRender
import WallboardSQLite
import WallboardTestKit
@testable import WallboardService

/// The simulator's SQLite file → the service → what each board shows.
@Suite(.serialized) struct ServiceTests {
    static let layouts = TemporaryDirectory.layoutsDirectory.path

    static func doorBoard(_ id: String, station: String, layout: String = layouts + "/door-192x32-bicolor.yaml") -> String {
        """
          - id: \(id)
            station: \(station)
            layout: \(layout)
            transport: browser
        """
    }

    /// A service over a simulated city with the door boards `own` and `other` at two idle stations.
    struct TwoStations {
        typealias Station = (station: String, name: String, vehicle: String, callSign: String)
        let directory: TemporaryDirectory
        let database: DemoDatabase
        let own: Station
        let other: Station
        let service: WallboardService
        let ownBoard: BoardMonitor
        let otherBoard: BoardMonitor

        init() async throws {
            directory = try TemporaryDirectory()
            database = try await DemoDatabase(directory: directory)
            let stations = try await database.idleStations()
            try #require(stations.count >= 2, "the simulated city needs two idle stations")
            (own, other) = (stations[0], stations[1])
            let config = try configuration(database: database.path, directory: directory, boards: [
                ServiceTests.doorBoard("own", station: own.station), ServiceTests.doorBoard("other", station: other.station),
            ].joined(separator: "\n"))
            service = try WallboardService(configuration: config)
            ownBoard = try #require(service.monitor(id: "own"))
            otherBoard = try #require(service.monitor(id: "other"))
        }
    }

    @Test func doorBoardAlertsForItsOwnStationOnly() async throws {
        let city = try await TwoStations()
        let (database, own, other, service, ownBoard, otherBoard) = (city.database, city.own, city.other, city.service, city.ownBoard, city.otherBoard)
        try await withRunningBoards(service) {
            _ = try await frame(of: ownBoard) { $0.texts.first == own.name }
            _ = try await frame(of: otherBoard) { $0.texts.first == other.name }
            try await database.dispatch(vehicle: own.vehicle)
            _ = try await frame(of: ownBoard) { $0.texts.first?.hasPrefix(own.callSign) == true }
            // The alert's lines take turns: the pickup address comes round within a few seconds.
            _ = try await frame(of: ownBoard) { $0.texts.first?.hasPrefix(own.callSign) == true && $0.texts.contains { $0.contains("测试路1号东门") } }
            // The other station's board has drawn the same snapshot and stays idle.
            let generation = service.feed.current.generation
            try await eventually("the other board draws the dispatch's snapshot") { (otherBoard.drawnGeneration ?? -1) >= generation }
            let otherFrame = try #require(otherBoard.frame)
            #expect(otherFrame.texts.first == other.name)
            #expect(!otherFrame.texts.contains { $0.contains(own.callSign) })
        }
    }

    /// The database is missing at start, then appears, then a writer locks it out: the board
    /// shows the banner while there is no current data and recovers by itself each time. The
    /// log says what went wrong, and when it is over, once each.
    @Test func unavailableDatabaseShowsTheBannerAndRecovers() async throws {
        let directory = try TemporaryDirectory()
        let prepared = try await DemoDatabase(directory: directory, name: "prepared.db", journalMode: .delete)
        let station = try #require(try await prepared.idleStations().first)
        let path = directory.path("dispatch.db")
        let config = try configuration(
            database: path, directory: directory, boards: Self.doorBoard("door", station: station.station), staleAfter: "400ms"
        )
        let log = LogRecord()
        let service = try WallboardService(configuration: config, logger: log.logger)
        let board = try #require(service.monitor(id: "door"))
        try await withRunningBoards(service) {
            let missing = try await frame(of: board) { $0.texts.contains("数据中断 --:--:--") }
            #expect(!missing.texts.contains(station.name), "no data yet: no station name either")
            // The banner shows from the start (no data yet); the source's first failed poll may come a moment later.
            let problem = try await eventually("the source reports its problem", within: .seconds(5)) {
                service.health(now: Date()).sourceProblem
            }
            #expect(problem.contains("does not exist"))

            try FileManager.default.moveItem(atPath: prepared.path, toPath: path)
            _ = try await frame(of: board) { $0.texts.first == station.name && !$0.texts.contains { $0.hasPrefix("数据中断") } }
            #expect(service.health(now: Date()).status == .ok)

            // A writer holds the database exclusively (rollback journal): readers are locked out.
            var writerConfiguration = Configuration()
            writerConfiguration.allowsUnsafeTransactions = true
            let writer = try DatabaseQueue(path: path, configuration: writerConfiguration)
            // It keeps the lock for 10 s, as a long migration or a stuck writer might.
            try await writer.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
            let locked = ContinuousClock.now
            let stale = try await frame(of: board) { $0.texts.contains { $0.hasPrefix("数据中断") } }
            #expect(stale.texts.first == station.name, "the last good data stays under the banner")
            #expect(service.health(now: Date()).status == .stale)
            #expect(service.health(now: Date()).sourceProblem?.contains("locked") == true)
            try await Task.sleep(until: locked + .seconds(10))
            #expect(board.frame?.texts.contains { $0.hasPrefix("数据中断") } == true, "the banner stays while the lock lasts")
            try await writer.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
            let unlocked = ContinuousClock.now
            _ = try await frame(of: board) { !$0.texts.contains { $0.hasPrefix("数据中断") } }
            let recovery = ContinuousClock.now - unlocked
            #expect(recovery < .seconds(2), "the banner went \(recovery) after the lock ended")
            #expect(service.health(now: Date()).status == .ok)
        }
        #expect(log.entries(.error, containing: "does not exist").count == 1, "\(log.all)")
        #expect(log.entries(.error, containing: "locked").count == 1, "\(log.all)")
        #expect(log.entries(.notice, containing: "dispatch data read again").count == 2, "\(log.all)")
    }

    /// The database file is deleted under the running service, then a restored copy is moved into
    /// its place: the boards show the banner while it is gone, and the service reads the new file
    /// by itself.
    @Test func databaseRemovedThenRestoredUnderTheService() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory, journalMode: .delete)
        let restored = try await DemoDatabase(directory: directory, name: "restored.db", journalMode: .delete)
        let station = try #require(try await database.idleStations().first)
        let config = try configuration(
            database: database.path, directory: directory, boards: Self.doorBoard("door", station: station.station), staleAfter: "400ms"
        )
        let log = LogRecord()
        let service = try WallboardService(configuration: config, logger: log.logger)
        let board = try #require(service.monitor(id: "door"))
        try await withRunningBoards(service) {
            _ = try await frame(of: board) { $0.texts.first == station.name && !$0.texts.contains { $0.hasPrefix("数据中断") } }
            let warning = service.sourceReport(now: Date()).warning
            #expect(warning?.contains("\(database.path) has a rollback journal") == true, "\(warning ?? "no warning")")

            try FileManager.default.removeItem(atPath: database.path)
            let removed = ContinuousClock.now
            let stale = try await frame(of: board) { $0.texts.contains { $0.hasPrefix("数据中断") } }
            #expect(ContinuousClock.now - removed < .seconds(3), "the banner came \(ContinuousClock.now - removed) after the file went")
            #expect(stale.texts.first == station.name, "the last good data stays under the banner")
            #expect(service.health(now: Date()).status == .stale)
            #expect(service.health(now: Date()).sourceProblem?.contains(database.path) == true)

            try await restored.dispatch(vehicle: station.vehicle)
            try FileManager.default.moveItem(atPath: restored.path, toPath: database.path)
            let back = ContinuousClock.now
            _ = try await frame(of: board) { $0.texts.first?.hasPrefix(station.callSign) == true && !$0.texts.contains { $0.hasPrefix("数据中断") } }
            let recovery = ContinuousClock.now - back
            #expect(recovery < .seconds(3), "the restored file was read \(recovery) after it came back")
            #expect(service.health(now: Date()).status == .ok)
        }
        // One line for the fault, though its wording changes from "removed while open" to "does not exist".
        #expect(log.entries(.error, containing: "removed while open").count == 1, "\(log.all)")
        #expect(log.all.filter { $0.level == .error }.count == 1, "\(log.all)")
        #expect(log.entries(.notice, containing: "dispatch data read again").count == 1, "\(log.all)")
        #expect(log.entries(.warning, containing: "rollback journal").count == 1, "named once, though the file was replaced: \(log.all)")
    }

    /// The machine's clock is stepped (NTP) an hour forward, then two hours back: the door
    /// board's clock follows within two seconds each time, with no "data interrupted" banner.
    @Test func clockStepsAreFollowedAtOnce() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let station = try #require(try await database.idleStations().first)
        let config = try configuration(database: database.path, directory: directory, boards: Self.doorBoard("door", station: station.station, layout: try directory.doorLayoutWithSeconds()))
        let offset = Locked<TimeInterval>(0)
        let clock: @Sendable () -> Date = { Date().addingTimeInterval(offset.withLock { $0 }) }
        let service = try WallboardService(configuration: config, source: nil, logger: Logger(label: "test"), wallClock: clock) { _, _ in nil }
        let board = try #require(service.monitor(id: "door"))
        let timeZone = config.source.timeZone
        try await withRunningBoards(service) {
            _ = try await frame(of: board) { $0.texts.first == station.name && !$0.texts.contains { $0.hasPrefix("数据中断") } }
            for step in [3600.0, -7200.0] {
                offset.withLock { $0 += step }
                let stepped = ContinuousClock.now
                let shown = try await frame(of: board, within: .seconds(5)) { frame in
                    let formatter = DateFormatter()
                    formatter.dateFormat = "HH:mm:ss"
                    formatter.timeZone = timeZone
                    let expected = [0.0, -1.0].map { formatter.string(from: clock().addingTimeInterval($0)) }
                    return frame.texts.contains { expected.contains($0) }
                }
                let delay = ContinuousClock.now - stepped
                #expect(delay < .seconds(2), "the board showed the stepped time after \(delay)")
                #expect(!shown.texts.contains { $0.hasPrefix("数据中断") })
                #expect(service.health(now: clock()).status == .ok)
            }
        }
    }

    /// An idle door board (HH:mm, pages turning on the half minute) draws when its picture can
    /// change, not every second: over the seconds before and after a minute turns it draws once
    /// or twice (the turn, and perhaps a read of the data), and shows the new minute within the tick after it.
    @Test func anIdleDoorBoardDrawsWhenItsClockTurnsAndSleepsMeanwhile() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let station = try #require(try await database.idleStations().first)
        let config = try configuration(database: database.path, directory: directory, boards: Self.doorBoard("door", station: station.station))
        // The board's wall clock stands 6 s before the turn of a minute as the test starts.
        let real = Date().timeIntervalSince1970
        let offset = (real / 60).rounded(.up) * 60 + 54 - real
        let clock: @Sendable () -> Date = { Date().addingTimeInterval(offset) }
        let service = try WallboardService(configuration: config, source: nil, logger: Logger(label: "test"), wallClock: clock) { _, _ in nil }
        let board = try #require(service.monitor(id: "door"))
        @Sendable func framesRendered() -> Int {
            let line = service.metrics.registry.emitToString().split(separator: "\n").first { $0.hasPrefix("wallboard_frames_rendered_total{") }
            return line.flatMap { $0.split(separator: " ").last }.flatMap { Int($0) } ?? 0
        }
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm"
        formatter.timeZone = config.source.timeZone
        try await withRunningBoards(service) {
            _ = try await frame(of: board) { $0.texts.first == station.name }
            let before = framesRendered()
            let turn = Date(timeIntervalSince1970: (clock().timeIntervalSince1970 / 60).rounded(.up) * 60)
            let newMinute = formatter.string(from: turn)
            _ = try await frame(of: board, within: .seconds(8)) { $0.texts.contains(newMinute) }
            let late = clock().timeIntervalSince(turn)
            #expect(late < 0.5, "the board showed \(newMinute) \(late) s after the minute turned")
            try await Task.sleep(for: .seconds(2))
            let drawn = framesRendered() - before
            #expect((1...2).contains(drawn), "the board drew \(drawn) frames in the \(clock().timeIntervalSince(turn) + 6) s around the turn (once a second would be 7 or more)")
        }
    }

    /// A simulation writes its own clock (two hours behind, running at 20×): the door board's
    /// clock shows the simulation's time, not the machine's.
    @Test func boardsShowTheSimulationsClock() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let station = try #require(try await database.idleStations().first)
        let wallAnchor = Date()
        let dataAnchor = wallAnchor.addingTimeInterval(-7200)
        try await DatabaseQueue(path: database.path).write { db in
            for (key, value) in [("simulated_time", dataAnchor.timeIntervalSince1970), ("simulated_wall_time", wallAnchor.timeIntervalSince1970), ("simulated_speed", 20)] {
                try db.execute(sql: "INSERT OR REPLACE INTO wallboard_interface (key, value) VALUES (?, ?)", arguments: [key, String(value)])
            }
        }
        let config = try configuration(database: database.path, directory: directory, boards: Self.doorBoard("door", station: station.station, layout: try directory.doorLayoutWithSeconds()))
        let service = try WallboardService(configuration: config, source: nil, logger: Logger(label: "test")) { _, _ in nil }
        let board = try #require(service.monitor(id: "door"))
        let timeZone = config.source.timeZone
        /// The seconds between the time a text shows (HH:mm:ss) and `date`'s time of day, across midnight.
        @Sendable func secondsApart(_ text: String, _ date: Date) -> Double? {
            let fields = text.split(separator: ":").compactMap { Int($0) }
            guard fields.count == 3 else { return nil }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let parts = calendar.dateComponents([.hour, .minute, .second], from: date)
            let shown = fields[0] * 3600 + fields[1] * 60 + fields[2]
            let expected = (parts.hour ?? 0) * 3600 + (parts.minute ?? 0) * 60 + (parts.second ?? 0)
            let apart = abs(shown - expected) % 86_400
            return Double(min(apart, 86_400 - apart))
        }
        try await withRunningBoards(service) {
            let shown = try await frame(of: board) { frame in
                frame.texts.first == station.name && !frame.texts.contains { $0.hasPrefix("数据中断") } && frame.texts.contains { secondsApart($0, Date()) != nil }
            }
            let now = Date()
            let dataNow = dataAnchor.addingTimeInterval(now.timeIntervalSince(wallAnchor) * 20)
            let clockText = try #require(shown.texts.first { secondsApart($0, now) != nil })
            // A frame is at most a second (20 simulated seconds) old when it is looked at.
            #expect(try #require(secondsApart(clockText, dataNow)) <= 45, "the board shows \(clockText); the simulation's time is \(dataNow)")
            #expect(try #require(secondsApart(clockText, now)) >= 3600, "the board shows the machine's time \(clockText)")
        }
    }

    @Test func aStalledBoardDelaysNoOther() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let boards = """
              - id: stalled
                layout: \(Self.layouts)/strip-160x16-calls.yaml
                transport: browser
              - id: healthy
                layout: \(Self.layouts)/wall-384x192-rgb.yaml
                transport: browser
            """
        let config = try configuration(database: database.path, directory: directory, boards: boards)
        let healthySink = RecordingSink(deviceName: "healthy")
        let service = try WallboardService(configuration: config, source: nil, logger: Logger(label: "test")) { board, _ in
            board.id == "stalled" ? StalledSink() as any BoardSink : healthySink
        }
        try await withRunningBoards(service) {
            // The wall's clock changes every second; each change must reach its sink while the
            // stalled board is still inside its first delivery.
            let start = ContinuousClock.now
            try await eventually("the healthy board gets three frames", within: .seconds(6), describe: { "\(healthySink.delivered.count) frames" }) {
                healthySink.delivered.count >= 3
            }
            #expect(ContinuousClock.now - start < .seconds(4))
            #expect(service.monitor(id: "stalled")?.report.framesDelivered == 0)
            #expect(service.monitor(id: "healthy")?.report.status == .ok)
        }
    }

    @Test func operatorMessageAndBrightnessReachTheSink() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let boards = """
              - id: strip
                layout: \(Self.layouts)/strip-160x16-calls.yaml
                transport: browser
            """
        let config = try configuration(database: database.path, directory: directory, boards: boards)
        let sink = RecordingSink(deviceName: "strip")
        let service = try WallboardService(configuration: config, source: nil, logger: Logger(label: "test")) { _, _ in sink }
        let board = try #require(service.monitor(id: "strip"))
        try await withRunningBoards(service) {
            _ = try await frame(of: board) { !$0.texts.isEmpty }
            board.showMessage("测试消息", until: Date().addingTimeInterval(1.5))
            let shown = try await frame(of: board) { $0.texts == ["测试消息"] }
            #expect(shown.bitmap.width == 160)
            _ = try await frame(of: board) { $0.texts != ["测试消息"] }
            board.overrideBrightness(0.4)
            try await eventually("the sink is given the brightness", within: .seconds(3)) { !sink.brightness.isEmpty }
            #expect(sink.brightness == [0.4])
            #expect(sink.delivered.contains { $0.texts == ["测试消息"] })
        }
    }

    @Test func framebufferGetsTheFrameInItsPixelFormat() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let device = directory.path("fb0")
        try Data(count: 160 * 16 * 2).write(to: URL(fileURLWithPath: device))
        let boards = """
              - id: strip
                layout: \(Self.layouts)/strip-160x16-calls.yaml
                transport:
                  framebuffer: \(device)
                  format: rgb565
            """
        let config = try configuration(database: database.path, directory: directory, boards: boards)
        let service = try WallboardService(configuration: config)
        let board = try #require(service.monitor(id: "strip"))
        try await withRunningBoards(service) {
            try await eventually("a frame is written to the framebuffer", within: .seconds(5)) { board.report.framesDelivered > 0 }
            // The file may hold the frame before the newest for a moment: compare until they agree.
            var mismatches = -1
            var frame: Frame?
            for _ in 0..<20 where mismatches != 0 {
                frame = board.frame
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: device)))
                guard let frame else { break }
                mismatches = 0
                for y in 0..<16 {
                    for x in 0..<160 {
                        let rgb = frame.bitmap.colour(x: x, y: y)
                        let value = UInt16(rgb.r >> 3) << 11 | UInt16(rgb.g >> 2) << 5 | UInt16(rgb.b >> 3)
                        let offset = (y * 160 + x) * 2
                        if bytes[offset] != UInt8(value & 0xFF) || bytes[offset + 1] != UInt8(value >> 8) { mismatches += 1 }
                    }
                }
                if mismatches != 0 { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(mismatches == 0)
            #expect(frame?.bitmap.pixels.contains { $0 != 0 } == true, "the strip shows something")
        }
    }
}
