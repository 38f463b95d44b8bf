import Foundation
import Testing
import WallboardDispatch
import GRDB
import Logging
import WallboardInterface
import WallboardFonts
import WallboardLayout
import WallboardLocalPostgres
import WallboardPostgres
import WallboardRender
@testable import WallboardService
import WallboardSQLite
import WallboardSimulator
import WallboardTestKit

/// A station's instance reads only what its boards can show, and its boards show exactly what the
/// whole centre's instance shows on the same boards: every shipped door layout and the call-queue
/// strip (calls waiting, the longest wait) on the station's boards, and call strips of no station
/// beside them or alone, rendered from both reads
/// through a simulated day (the night's quiet hours, and past midnight, where the day's figures
/// start again) and at past moments. Through the day, boards kept as the service keeps them (not
/// bound again while their part of the state is unchanged) show the same frames too.
@Suite(.serialized) struct StationScopeTests {
    /// 2026-11-20 00:00 in Shanghai.
    static let dayStart = 1_795_104_000.0
    /// Twenty minutes into the next day.
    static let dayEnd = dayStart + 86_400 + 20 * 60
    static let boardLayouts = ["door-64x32-mono", "door-128x32-mono", "door-192x32-bicolor", "door-256x64-bicolor", "strip-160x16-calls"]
    /// Call strips of no station, beside an instance's station boards or alone.
    static let callStripLayouts = ["strip-160x16-calls", "strip-80x7-calls-ascii"]
    /// One station's instance, one for two stations together with call strips of no station,
    /// and one with only such strips.
    static let instances: [Instance] = [Instance(stations: ["S03"]), Instance(stations: ["S02", "S07"], callStrips: true), Instance(stations: [], callStrips: true)]

    struct Instance: Equatable {
        var stations: [String]
        var callStrips = false
    }

    /// The boards of `instance`: every board layout at each of its stations, the 256×64 door
    /// layout showing the call signs of every vehicle on the alert's incident in place of its
    /// category, and its call strips of no station.
    static func boards(of instance: Instance) throws -> [(stationID: String?, layout: Layout)] {
        let fonts = try FontLibrary.locate(explicit: nil)
        let loader = LayoutLoader(fontNames: fonts.names + FontLibrary.namedChains.map(\.name))
        var layouts = try boardLayouts.map { try loader.load(contentsOf: TemporaryDirectory.layoutsDirectory.appendingPathComponent("\($0).yaml")) }
        let door = try String(contentsOf: TemporaryDirectory.layoutsDirectory.appendingPathComponent("door-256x64-bicolor.yaml"), encoding: .utf8)
        let withCallSigns = door.replacingOccurrences(of: "{{alert.incident.category}}", with: "{{alert.incident.vehicles}}")
        guard withCallSigns != door else { throw TestFailure("door-256x64-bicolor.yaml no longer shows {{alert.incident.category}}") }
        layouts.append(try loader.load(withCallSigns, file: "door-256x64-call-signs.yaml", name: "door-256x64-call-signs"))
        let callStrips = instance.callStrips ? try callStripLayouts.map {
            (stationID: String?.none, layout: try loader.load(contentsOf: TemporaryDirectory.layoutsDirectory.appendingPathComponent("\($0).yaml")))
        } : []
        return instance.stations.flatMap { station in layouts.map { (stationID: station, layout: $0) } } + callStrips
    }

    static func renderers(of instance: Instance) throws -> [BoardRenderer] {
        let fonts = try FontLibrary.locate(explicit: nil)
        return try boards(of: instance).map { board in
            BoardRenderer(
                layout: board.layout,
                identity: BoardIdentity(centreName: "测试中心", stationID: board.stationID, privacy: board.layout.privacy, timeZone: DayBoundary.shanghai.timeZone),
                fonts: try FontSet(layout: board.layout) { try fonts.chain($0) }
            )
        }
    }

    /// What the comparisons saw, so that a test that compared nothing worth comparing fails.
    struct Seen {
        var moments = 0
        /// Moments at which one of the instance's door boards alerted.
        var alerting = 0
        /// Moments at which an alert's incident had a vehicle of another station on it.
        var sharedIncidents = 0
        /// The most vehicles a station's read held, and the fewest the whole centre's did.
        var mostScopedVehicles = 0
        var fewestVehicles = Int.max
        /// The days whose moments were compared, and the moments of the night's quiet hours (01:00 to 06:00).
        var days: Set<Date> = []
        var night = 0
        /// Moments at which a board kept from an earlier moment was drawn without being bound again.
        var drawnUnbound = 0
    }

    /// A board as the service keeps it: bound to a snapshot, and bound again only when the rows
    /// its station's boards can show (`SnapshotPart`) changed.
    struct KeptBoard {
        var part: SnapshotPart
        var board: BoundBoard
    }

    /// Renders every board from both snapshots at their moment and expects the same frames; returns
    /// the whole centre's.
    @discardableResult static func compare(
        whole: DispatchSnapshot, scoped: DispatchSnapshot, stations: [String], renderers: [BoardRenderer], seen: inout Seen,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> [Frame] {
        #expect(scoped.takenAt == whole.takenAt, sourceLocation: sourceLocation)
        let now = whole.takenAt
        let frames = renderers.map { renderer in
            let expected = renderer.render(whole, at: now).frame
            let actual = renderer.render(scoped, at: now).frame
            #expect(actual == expected, "\(renderer.layout.name) at \(renderer.identity.stationID ?? "-") differs at \(now)", sourceLocation: sourceLocation)
            return expected
        }
        seen.moments += 1
        seen.mostScopedVehicles = max(seen.mostScopedVehicles, scoped.vehicles.count)
        seen.fewestVehicles = min(seen.fewestVehicles, whole.vehicles.count)
        seen.days.insert(whole.dayStart)
        if (1..<6).contains(now.timeIntervalSince(whole.dayStart) / 3600) { seen.night += 1 }
        let alerts = stations.flatMap { DoorBoardState(snapshot: whole, stationID: $0, now: now, hold: 60).alerts }
        if !alerts.isEmpty { seen.alerting += 1 }
        if alerts.contains(where: { alert in
            (alert.incident?.vehicleIDs ?? []).contains { id in whole.vehicles.first { $0.id == id }.map { !stations.contains($0.stationID) } ?? false }
        }) {
            seen.sharedIncidents += 1
        }
        return frames
    }

    /// Draws every board kept as the service keeps it (bound again only when its part of `scoped`
    /// changed) and expects the whole centre's `frames`.
    static func compareKept(
        _ frames: [Frame], scoped: DispatchSnapshot, renderers: [BoardRenderer], kept: inout [KeptBoard?], seen: inout Seen,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for (index, (renderer, expected)) in zip(renderers, frames).enumerated() {
            guard let part = SnapshotPart(scoped, readBy: ReadScope(boards: [(renderer.identity.stationID, renderer.layout)])) else { continue }
            if var board = kept[index], board.part == part {
                kept[index] = nil
                let drawn = board.board.render(at: scoped.takenAt).frame
                #expect(drawn == expected, "\(renderer.layout.name) at \(renderer.identity.stationID ?? "-") kept unbound differs at \(scoped.takenAt)", sourceLocation: sourceLocation)
                kept[index] = board
                seen.drawnUnbound += 1
            } else {
                kept[index] = KeptBoard(part: part, board: renderer.bind(scoped, staleSince: nil))
            }
        }
    }

    /// An instance of no station (call strips alone) has no door board to alert and is compared
    /// only at the regular moments.
    static func expectWorthComparing(_ seen: Seen, of instance: Instance, moments: Int, wholeDay: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        let moments = instance.stations.isEmpty ? moments / 4 : moments
        #expect(seen.moments >= moments, "only \(seen.moments) moments compared", sourceLocation: sourceLocation)
        if wholeDay {
            #expect(seen.days.count == 2, "moments of \(seen.days.count) days compared, not the day's and the next's", sourceLocation: sourceLocation)
            #expect(seen.night >= 5, "only \(seen.night) moments of the night compared", sourceLocation: sourceLocation)
        }
        #expect(instance.stations.isEmpty || seen.alerting >= 3, "a door board alerted at only \(seen.alerting) moments", sourceLocation: sourceLocation)
        #expect(seen.mostScopedVehicles < seen.fewestVehicles, "a station's read held \(seen.mostScopedVehicles) vehicles, the centre \(seen.fewestVehicles)", sourceLocation: sourceLocation)
    }

    /// Reads a state as it is now: one instance's, or the whole centre's.
    typealias LiveRead = @Sendable () async throws -> DispatchSnapshot

    /// The live read of the SQLite database at `path`, narrowed to `scope`.
    static func sqliteRead(_ path: String, scope: ReadScope = .wholeCentre) -> LiveRead {
        let reader = Locked(SQLiteSnapshotReader(configuration: SQLiteSourceConfiguration(path: path, dayBoundary: .shanghai, scope: scope)))
        return {
            try reader.withLock { reader in
                try reader.open()
                return try reader.readSnapshot()
            }
        }
    }

    /// A PostgreSQL source's live read on one session kept open from its first read (once the
    /// simulator has installed the interface): opening a connection for each read costs more than
    /// the read.
    actor PostgresRead {
        let configuration: PostgresSourceConfiguration
        private var session: PostgresSession?

        init(_ configuration: PostgresSourceConfiguration) {
            self.configuration = configuration
        }

        func read() async throws -> DispatchSnapshot {
            if let session { return try await session.readSnapshot() }
            guard let host = configuration.connection.hosts.first else { throw TestFailure("no PostgreSQL host in \(configuration.connection)") }
            let opened = try await PostgresSession.open(host, configuration, logger: Logger(label: "wallboard.test"))
            session = opened
            return try await opened.readSnapshot()
        }

        func close() async {
            await session?.close()
            session = nil
        }
    }

    /// Compares the live reads of every instance with the whole centre's after the simulator's
    /// commits: at every commit while a door board of the instance alerts, and otherwise at the
    /// first commit of every `interval` simulated seconds.
    actor LiveComparison {
        /// Asked the simulator's time and which instances alert: cheaper than reading the state at
        /// each of a day's commits.
        let store: any SimulationStore
        let whole: LiveRead
        let scoped: [(instance: Instance, read: LiveRead, renderers: [BoardRenderer])]
        let interval: TimeInterval
        var seen: [Seen]
        /// Each instance's boards as the service keeps them.
        var kept: [[KeptBoard?]]
        var nextMoments: [Double]
        /// The moments at which a door board of each instance alerted, to be rebuilt later.
        var alertMoments: [[Date]]

        init(store: any SimulationStore, whole: @escaping LiveRead, scoped: [(Instance, LiveRead)], interval: TimeInterval) throws {
            self.store = store
            self.whole = whole
            self.scoped = try scoped.map { instance, read in (instance, read, try StationScopeTests.renderers(of: instance)) }
            self.interval = interval
            seen = Array(repeating: Seen(), count: scoped.count)
            kept = self.scoped.map { Array(repeating: nil, count: $0.renderers.count) }
            nextMoments = Array(repeating: -.infinity, count: scoped.count)
            alertMoments = Array(repeating: [], count: scoped.count)
        }

        func compareNow() async throws {
            // Before the simulator's first events its clock is not written yet: the reads' moments are the wall clock's.
            guard let time = try await store.number("SELECT CAST(value AS DOUBLE PRECISION) FROM wallboard_interface WHERE key = 'simulated_time'") else { return }
            var whole: DispatchSnapshot?
            let alertingNow = try await StationScopeTests.alerting(store, stationLists: scoped.map(\.instance.stations))
            for (index, instance) in scoped.enumerated() {
                let alerting = alertingNow[index]
                if alerting { alertMoments[index].append(Date(timeIntervalSince1970: time)) }
                guard alerting || time >= nextMoments[index] else { continue }
                nextMoments[index] = ((time / interval).rounded(.down) + 1) * interval
                if whole == nil { whole = try await self.whole() }
                guard let whole else { continue }
                let scoped = try await instance.read()
                let stations = instance.instance.stations
                let frames = StationScopeTests.compare(whole: whole, scoped: scoped, stations: stations, renderers: instance.renderers, seen: &seen[index])
                StationScopeTests.compareKept(frames, scoped: scoped, renderers: instance.renderers, kept: &kept[index], seen: &seen[index])
            }
        }

        /// Expects every instance compared often enough, over both days, through the night and
        /// while its boards alerted, with boards kept unbound across other stations' commits.
        func expectWorthComparing(moments: Int, sourceLocation: SourceLocation = #_sourceLocation) {
            for (instance, seen) in zip(scoped.map(\.instance), seen) {
                StationScopeTests.expectWorthComparing(seen, of: instance, moments: moments, wholeDay: true, sourceLocation: sourceLocation)
                // Call strips alone, compared only every 20 minutes, always find new calls.
                #expect(instance.stations.isEmpty || seen.drawnUnbound >= 50, "boards of \(instance.stations) were drawn unbound only \(seen.drawnUnbound) times", sourceLocation: sourceLocation)
            }
        }
    }

    /// Which of `stationLists` has a vehicle dispatched and neither at the scene nor departed a
    /// minute ago at the simulator's time (what makes a door board alert), asked in one statement
    /// that SQLite and PostgreSQL both speak, its answer one bit per list.
    static func alerting(_ store: any SimulationStore, stationLists: [[String]]) async throws -> [Bool] {
        let bits = stationLists.enumerated().filter { !$0.element.isEmpty }.map { index, stations in
            let list = stations.map { "'\($0.replacingOccurrences(of: "'", with: "''"))'" }.joined(separator: ", ")
            return """
                CASE WHEN EXISTS (SELECT 1 FROM vehicles AS v JOIN vehicle_tasks AS t ON t.id = v.task_id \
                WHERE v.station_id IN (\(list)) AND v.status <= 2 \
                AND t.dispatched_at IS NOT NULL AND t.completed_at IS NULL AND t.at_scene_at IS NULL AND (t.departed_at IS NULL OR t.departed_at > \
                (SELECT CAST(value AS DOUBLE PRECISION) FROM wallboard_interface WHERE key = 'simulated_time') - 60)) THEN \(1 << index) ELSE 0 END
                """
        }
        guard !bits.isEmpty else { return stationLists.map { _ in false } }
        let answer = Int(try await store.number("SELECT " + bits.joined(separator: " + ")) ?? 0)
        return stationLists.indices.map { answer & (1 << $0) != 0 }
    }

    /// Compares `instance`'s reads with the whole centre's at past moments: every `every` seconds
    /// of the simulated day, and at every `alertStride`th of the moments its door boards alerted
    /// from the last back, so that past alerts are compared too.
    static func comparePast(
        _ instance: Instance, alertMoments: [Date], every: TimeInterval, alertStride: Int,
        whole: (Date) async throws -> DispatchSnapshot, scoped: (Date) async throws -> DispatchSnapshot,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Seen {
        let renderers = try renderers(of: instance)
        var seen = Seen()
        let regular = stride(from: dayStart + every, to: dayEnd, by: every).map(Date.init(timeIntervalSince1970:))
        let alerts = stride(from: alertMoments.count - 1, through: 0, by: -alertStride).map { alertMoments[$0] }
        for moment in regular + alerts {
            compare(whole: try await whole(moment), scoped: try await scoped(moment), stations: instance.stations, renderers: renderers, seen: &seen, sourceLocation: sourceLocation)
        }
        return seen
    }

    @Test func aStationsInstanceShowsWhatTheWholeCentresShowsThroughASimulatedDay() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("city.db")
        let writer = try await SQLiteSimulationStore(path: path, journalMode: .wal)
        let comparison = try LiveComparison(
            store: writer, whole: Self.sqliteRead(path),
            scoped: try Self.instances.map { ($0, Self.sqliteRead(path, scope: ReadScope(boards: try Self.boards(of: $0)))) }, interval: 1200
        )
        let store = AfterEachCommit(writer) { try await comparison.compareNow() }
        let settings = SimulationSettings(
            seed: 3, start: Date(timeIntervalSince1970: Self.dayStart), end: Date(timeIntervalSince1970: Self.dayEnd), followsClock: false
        )
        try await DispatchSimulator(store: store, settings: settings).run()
        await comparison.expectWorthComparing(moments: 100)

        // An incident that a vehicle of S03 and one of another station work together: S03's
        // alert shows the other's call sign, which its read must therefore hold.
        let sharedBefore = await comparison.seen[0].sharedIncidents
        try Self.dispatchTogether(path, stations: ["S03", "S05"], at: Self.dayEnd - 30)
        try await comparison.compareNow()
        #expect(await comparison.seen[0].sharedIncidents == sharedBefore + 1)

        // The same day rebuilt at past moments, every hour.
        let whole = SQLiteSnapshotReader(configuration: SQLiteSourceConfiguration(path: path, dayBoundary: .shanghai))
        try whole.open()
        for (index, instance) in Self.instances.enumerated() {
            let reader = SQLiteSnapshotReader(configuration: SQLiteSourceConfiguration(
                path: path, dayBoundary: .shanghai, scope: ReadScope(boards: try Self.boards(of: instance))
            ))
            try reader.open()
            let seen = try await Self.comparePast(
                instance, alertMoments: await comparison.alertMoments[index], every: 3600, alertStride: 3,
                whole: { try whole.readSnapshot(at: $0) }, scoped: { try reader.readSnapshot(at: $0) }
            )
            Self.expectWorthComparing(seen, of: instance, moments: 35, wholeDay: true)
            if instance.stations == ["S03"] { #expect(seen.sharedIncidents >= 1) }
        }
    }

    /// Dispatches a vehicle of each of `stations` (one on standby if there is one) to one new
    /// incident at `time`, as a dispatch system would write it.
    static func dispatchTogether(_ path: String, stations: [String], at time: Double) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO incidents (id, received_at, answered_at, dispatched_at, priority, category, complaint, pickup_address, casualties) \
                VALUES ('SHARED', ?, ?, ?, 1, '车祸', '两车相撞 多人受伤', '测试路1号', 4)
                """, arguments: [time - 120, time - 110, time])
            for station in stations {
                guard let vehicle = try String.fetchOne(db, sql: "SELECT id FROM vehicles WHERE station_id = ? ORDER BY status <> 7, id", arguments: [station]) else {
                    throw TestFailure("no vehicle at \(station)")
                }
                try db.execute(sql: "INSERT INTO vehicle_tasks (id, incident_id, vehicle_id, dispatched_at) VALUES (?, 'SHARED', ?, ?)", arguments: ["SHARED-" + vehicle, vehicle, time])
                try db.execute(sql: "UPDATE vehicles SET status = 1, status_since = ?, incident_id = 'SHARED', task_id = ? WHERE id = ?", arguments: [time, "SHARED-" + vehicle, vehicle])
                try db.execute(sql: "INSERT INTO vehicle_status_log (vehicle_id, status, at, incident_id, task_id) VALUES (?, 1, ?, 'SHARED', ?)", arguments: [vehicle, time, "SHARED-" + vehicle])
            }
        }
    }

    /// The same day on a PostgreSQL primary, read through sessions kept open as the service keeps
    /// them, then rebuilt at past moments.
    @Test func onPostgreSQLToo() async throws {
        let server = try LocalPostgresServer.primary()
        try server.psql("CREATE DATABASE city")
        let settings = try PostgresSettings(url: "postgresql://\(LocalPostgresServer.user)@\(server.address)/city?sslmode=disable")
        let configurations = try Self.instances.map {
            PostgresSourceConfiguration(connection: settings, dayBoundary: .shanghai, scope: ReadScope(boards: try Self.boards(of: $0)))
        }
        let wholeConfiguration = PostgresSourceConfiguration(connection: settings, dayBoundary: .shanghai)
        let reads = ([wholeConfiguration] + configurations).map(PostgresRead.init)
        let writer = try await PostgresSimulationStore.open(settings)
        let comparison = try LiveComparison(
            store: writer, whole: { try await reads[0].read() },
            scoped: zip(Self.instances, reads.dropFirst()).map { instance, read in (instance, { try await read.read() }) },
            // Every half hour rather than twenty minutes: a day's reads cost as much as its writes.
            interval: 1800
        )
        let store = AfterEachCommit(writer) { try await comparison.compareNow() }
        // Eight stations of three vehicles each rather than twelve: each station's day is as busy,
        // and the writer, which takes half the test's time, has a third less to write.
        let simulation = SimulationSettings(
            seed: 3, stationCount: 8, vehicleCount: 24, start: Date(timeIntervalSince1970: Self.dayStart), end: Date(timeIntervalSince1970: Self.dayEnd),
            followsClock: false
        )
        do {
            try await DispatchSimulator(store: store, settings: simulation).run()
        } catch {
            for read in reads { await read.close() }
            await writer.close()
            throw error
        }
        for read in reads { await read.close() }
        await writer.close()
        await comparison.expectWorthComparing(moments: 80)

        // The same day rebuilt at noon, at midnight and at some of the alerts: a past read opens a
        // connection of its own and rebuilds the state from the day's log (half a second each).
        let whole = PostgresDispatchSource(configuration: wholeConfiguration)
        for (index, (instance, configuration)) in zip(Self.instances, configurations).enumerated() {
            let scoped = PostgresDispatchSource(configuration: configuration)
            let seen = try await Self.comparePast(
                instance, alertMoments: await comparison.alertMoments[index], every: 12 * 3600, alertStride: 24,
                whole: { try await whole.snapshot(at: $0) }, scoped: { try await scoped.snapshot(at: $0) }
            )
            Self.expectWorthComparing(seen, of: instance, moments: 5, wholeDay: false)
            #expect(seen.days.count == 2, "past moments of \(seen.days.count) days compared")
        }
    }
}

/// A store that runs `check` after each transaction it commits: the simulator waits for it, so
/// the check sees the database as the transaction left it.
struct AfterEachCommit: SimulationStore {
    let store: any SimulationStore
    let check: @Sendable () async throws -> Void

    init(_ store: any SimulationStore, check: @escaping @Sendable () async throws -> Void) {
        self.store = store
        self.check = check
    }

    var name: String { store.name }
    func installInterface() async throws { try await store.installInterface() }
    func setDurable(_ durable: Bool) async throws { try await store.setDurable(durable) }
    func number(_ sql: String) async throws -> Double? { try await store.number(sql) }

    func commit(_ statements: [InterfaceStatement]) async throws {
        try await store.commit(statements)
        try await check()
    }
}
