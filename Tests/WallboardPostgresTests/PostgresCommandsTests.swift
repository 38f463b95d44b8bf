import Foundation
import HummingbirdTesting
import NIOCore
import Testing
import WallboardEmulator
import WallboardFonts
import WallboardProtocols
import WallboardLocalPostgres
import WallboardTestKit
import WallboardTransport

/// The `wallboard` program against real servers: installing the interface, simulating onto a
/// primary, reading it back, and a station's own instance (another process) on a hot standby
/// driving that station's emulated door board.
@Suite(.serialized) struct PostgresCommandsTests {
    static let repository = WallboardProgram.repository

    /// Runs `wallboard arguments…` to its end; returns what it printed, or throws with its errors.
    @discardableResult
    static func run(_ arguments: [String], in folder: URL) throws -> String {
        let finished = try WallboardProgram.run(arguments, in: folder)
        guard finished.status == 0 else {
            throw PostgresFailure("wallboard \(arguments.joined(separator: " ")) exited with \(finished.status): \(finished.errors)")
        }
        return finished.output
    }

    static func url(_ server: LocalPostgresServer, user: String = LocalPostgresServer.user) -> String {
        "postgresql://\(user)@\(server.address)/\(DispatchDatabase.name)?sslmode=disable"
    }

    @Test func theSimulatorWritesOntoAPrimaryAndEveryCommandReadsIt() throws {
        let server = try LocalPostgresServer.primary()
        try server.psql("CREATE DATABASE \(DispatchDatabase.name)")
        let folder = server.folder
        let installed = try Self.run(["postgres", "install", "--url", Self.url(server)], in: folder)
        #expect(installed.contains("installed the Wallboard interface and its NOTIFY triggers"), "\(installed)")
        try Self.run(["postgres", "install", "--url", Self.url(server)], in: folder)
        try Self.run(["simulate", "--postgres", Self.url(server), "--start", "2026-11-20 08:00", "--duration", "2h", "--fast"], in: folder)
        #expect(try server.psql("SELECT count(*) FROM vehicles", database: DispatchDatabase.name) == "36")
        #expect(try Int(server.psql("SELECT count(*) FROM calls", database: DispatchDatabase.name)) ?? 0 > 10)

        let state = try Self.run(["state", "--postgres", Self.url(server), "--json"], in: folder)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(state.utf8)) as? [String: Any])
        #expect((json["vehicles"] as? [Any])?.count == 36, "\(state.prefix(400))")
        let past = try Self.run(["state", "--postgres", Self.url(server), "--at", "2026-11-20 09:00", "--json"], in: folder)
        #expect(past.contains("\"vehicles\""), "\(past.prefix(400))")
        let refused = try? Self.run(["simulate", "--postgres", Self.url(server), "--duration", "1m", "--fast"], in: folder)
        #expect(refused == nil, "a database holding dispatch rows is refused without --fresh")
    }

    /// `state --watch` prints each change with its delay, as it does from a SQLite file: from a
    /// primary (notified) and from its hot standby (polled), both watched while the primary is written.
    @Test func stateWatchPrintsEachChangeFromAPrimaryAndItsStandby() async throws {
        let primary = try LocalPostgresServer.primary()
        let database = try DispatchDatabase.make(on: primary)
        let standby = try primary.standby()
        let watchers = try [primary, standby].map { server in
            try WallboardProgram.start(["state", "--postgres", Self.url(server, user: DispatchDatabase.reader), "--watch"], in: server.folder)
        }
        defer { for watcher in watchers { watcher.process.terminate() } }
        /// What a watcher printed after each "--- change noticed at" line, in order.
        func changes(_ watcher: WallboardProgram) -> [String] {
            let printed = (try? String(contentsOf: watcher.output, encoding: .utf8)) ?? ""
            return Array(printed.components(separatedBy: "--- change noticed at ").dropFirst())
        }
        for (watcher, role) in zip(watchers, ["primary", "standby"]) {
            try await eventually("the first state from the \(role)", within: .seconds(10), describe: { changes(watcher).joined() }) {
                changes(watcher).last?.contains("vehicles: 站内待命 1") == true
            }
        }
        for (status, name) in [(1, "收到指令"), (2, "驶向现场"), (3, "到达现场")] {
            try database.setStatus(status)
            for (watcher, role) in zip(watchers, ["primary", "standby"]) {
                let change = try await eventually("\(name) from the \(role)", within: .seconds(5), describe: { changes(watcher).joined() }) {
                    changes(watcher).last.flatMap { $0.contains("vehicles: \(name) 1") ? $0 : nil }
                }
                #expect(change.contains(" s after the newest time stamp)"), "\(change)")
            }
        }
    }

    @Test func aStationInstanceOnTheStandbyDrivesItsDoorBoard() async throws {
        let primary = try LocalPostgresServer.primary()
        let database = try DispatchDatabase.make(on: primary)
        let standby = try primary.standby()
        let library = try FontLibrary.locate(explicit: Self.repository.appendingPathComponent("Fonts").path)
        let painter = FontChainPainter(chains: [16: try library.chain("cjk-16"), 24: try library.chain("cjk-24"), 32: try library.chain("cjk-32")])
        let model = try #require(BoardProtocols.model(named: "bx5k"))
        let board = try #require(EmulatedBoard(model, width: 192, height: 32, painter: painter))
        let line = try PseudoTerminalBoardServer(board: board)
        defer { line.close() }
        let config = standby.folder.appendingPathComponent("station.yaml")
        try """
            centre: 测试急救中心
            source:
              postgres:
                hosts: [\(standby.address)]
                database: \(DispatchDatabase.name)
                user: \(DispatchDatabase.reader)
                sslmode: disable
                applicationName: wallboard-station-s1
              staleAfter: 2s
            http:
              port: 0
            boards:
              - id: door-s1
                station: S1
                layout: \(Self.repository.appendingPathComponent("Layouts/door-192x32-bicolor.yaml").path)
                protocol: bx5k
                transport:
                  serial: \(line.devicePath)
            """.write(to: config, atomically: true, encoding: .utf8)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await line.run() }
            defer { group.cancelAll() }
            let instance = try WallboardProgram.start(["serve", "--config", config.path], in: standby.folder)
            defer { instance.process.terminate() }
            _ = try await eventually("the idle door board", within: .seconds(20)) {
                let texts = await Self.texts(board)
                return texts.first == "城东站" ? texts : nil
            }
            let committed = ContinuousClock.now
            try database.write("""
                BEGIN;
                INSERT INTO incidents (id, received_at, answered_at, dispatched_at, priority, category, complaint, incident_address, pickup_address)
                VALUES ('I1', extract(epoch FROM now()) - 60, extract(epoch FROM now()) - 55, extract(epoch FROM now()), 1, '疾病', '胸痛', '测试路1号', '测试路1号东门');
                INSERT INTO vehicle_tasks (id, incident_id, vehicle_id, dispatched_at) VALUES ('T1', 'I1', 'V1', extract(epoch FROM now()));
                UPDATE vehicles SET status = 1, status_since = extract(epoch FROM now()), incident_id = 'I1', task_id = 'T1' WHERE id = 'V1';
                COMMIT;
                """)
            let alert = try await eventually("the alert on the door board", within: .seconds(5)) {
                let texts = await Self.texts(board)
                return texts.first?.hasPrefix("急救1号") == true ? texts : nil
            }
            let delay = ContinuousClock.now - committed
            // The second line takes turns (complaint, pickup address), so the address may come a page later.
            _ = try await eventually("the pickup address on the door board", within: .seconds(10)) {
                await Self.texts(board).contains { $0.contains("测试路1号东门") } ? true : nil
            }
            #expect(delay < .seconds(2), "commit on the primary to the station's board took \(delay): \(alert)")

            // Replay paused on the replica: a commit made meanwhile ages the data, the banner shows
            // after staleAfter (2 s) and /healthz reports the age; resumed, the commit shows.
            let address = try await eventually("the instance's address") {
                (try? String(contentsOf: instance.output, encoding: .utf8))?.split(separator: " ").last.flatMap { URL(string: String($0.trimmingCharacters(in: .whitespacesAndNewlines))) }
            }
            try standby.psql("SELECT pg_wal_replay_pause()")
            let paused = ContinuousClock.now
            try database.write("UPDATE incidents SET pickup_address = '测试路2号西门' WHERE id = 'I1'")
            _ = try await eventually("the banner on the door board", within: .seconds(8)) {
                await Self.texts(board).contains { $0.contains("数据中断") } ? true : nil
            }
            #expect(ContinuousClock.now - paused >= .seconds(2), "the banner showed before staleAfter")
            let stale = try await Self.health(address)
            #expect(stale.status == "stale", "\(stale)")
            #expect((stale.age ?? 0) >= 2, "\(stale)")
            #expect(!(await Self.texts(board).contains { $0.contains("测试路2号西门") }))

            try standby.psql("SELECT pg_wal_replay_resume()")
            let resumed = ContinuousClock.now
            _ = try await eventually("the banner to clear", within: .seconds(2)) {
                await Self.texts(board).contains { $0.contains("数据中断") } ? nil : true
            }
            #expect(ContinuousClock.now - resumed < .seconds(2))
            _ = try await eventually("the commit made while replay was paused", within: .seconds(10)) {
                await Self.texts(board).contains { $0.contains("测试路2号西门") } ? true : nil
            }
            let current = try await Self.health(address)
            #expect(current.status == "ok", "\(current)")
            #expect((current.age ?? 99) < 1, "\(current)")
        }
    }

    /// `/healthz` of the instance at `address`: its status and the data's age in seconds.
    static func health(_ address: URL) async throws -> (status: String, age: Double?) {
        let host = try #require(address.host)
        let port = try #require(address.port)
        let response = try await TestClient.withClient(host: host, port: port, configuration: .init(timeout: .seconds(5))) { client in
            try await client.execute(TestClient.Request("/healthz", method: .get))
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body ?? ByteBuffer())) as? [String: Any])
        return (json["status"] as? String ?? "", json["snapshotAgeSeconds"] as? Double)
    }

    static func texts(_ board: EmulatedBoard) async -> [String] {
        guard let card = await board.state as? OnbonFontCardEmulator else { return [] }
        return card.areas.keys.sorted().compactMap { card.areas[$0]?.text.plainText }
    }
}
