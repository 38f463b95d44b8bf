import Foundation
import Testing
import WallboardLocalPostgres
import WallboardTestKit

/// The dispatch interface as PostgreSQL scripts, installed on real servers that each test starts.
@Suite(.serialized) struct InterfaceScriptTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/WallboardInterface")
    static let postgresSources = sources.deletingLastPathComponent().appendingPathComponent("WallboardPostgres")
    static let schema = postgresSources.appendingPathComponent("schema-postgres.sql").path
    static let notify = postgresSources.appendingPathComponent("notify-postgres.sql").path

    /// Each table's columns in order, as SQLite's schema.sql declares them.
    static func sqliteColumns() throws -> [String: [String]] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("schema.db").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        let script = directory.appendingPathComponent("columns.sql")
        try """
            .read \(sources.appendingPathComponent("schema.sql").path)
            SELECT m.name || '|' || group_concat(p.name, ',') FROM sqlite_master m, pragma_table_info(m.name) p
            WHERE m.type = 'table' GROUP BY m.name ORDER BY m.name;
            """.write(to: script, atomically: true, encoding: .utf8)
        process.arguments = [database, ".read \(script.path)"]
        let output = directory.appendingPathComponent("out")
        try Data().write(to: output)
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try columns(String(contentsOf: output, encoding: .utf8))
    }

    static func columns(_ listing: String) -> [String: [String]] {
        Dictionary(listing.split(separator: "\n").compactMap { line -> (String, [String])? in
            let parts = line.split(separator: "|", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            return (String(parts[0]), parts[1].split(separator: ",").map(String.init))
        }, uniquingKeysWith: { first, _ in first })
    }

    @Test func theScriptHasSQLitesTablesAndColumnsAndRunsTwice() throws {
        let server = try LocalPostgresServer.primary()
        try server.psql(file: Self.schema)
        try server.psql(file: Self.schema)
        let listing = try server.psql("""
            SELECT table_name || '|' || string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns
            WHERE table_schema = 'public' GROUP BY table_name ORDER BY table_name
            """)
        #expect(Self.columns(listing) == (try Self.sqliteColumns()))
        #expect(try server.psql("SELECT value FROM wallboard_interface WHERE key = 'version'") == "1")
    }

    /// One notification per statement, named after the table, sent when the writer commits;
    /// a view's base table can be watched the same way.
    @Test func triggersNotifyOnceAStatementCommits() throws {
        let server = try LocalPostgresServer.primary()
        try server.psql(file: Self.schema)
        try server.psql(file: Self.notify)
        try server.psql(file: Self.notify)
        let session = try server.session("""
            LISTEN wallboard_changed;
            INSERT INTO stations (id, name) VALUES ('S1', '越秀急救站'), ('S2', '天河急救站');
            BEGIN; UPDATE stations SET sort_order = 2 WHERE id = 'S2'; ROLLBACK;
            DELETE FROM stations WHERE id = 'S2';
            """)
        let notifications = session.split(separator: "\n").filter { $0.contains("Asynchronous notification") }
        #expect(notifications.count == 2, "\(session)")
        #expect(notifications.allSatisfy { $0.contains(#"payload "stations""#) }, "\(session)")

        try server.psql("""
            CREATE TABLE vendor_units (unit_no text PRIMARY KEY, unit_state integer);
            CREATE VIEW vendor_vehicles AS SELECT unit_no AS id, unit_state AS status FROM vendor_units;
            SELECT wallboard_watch('vendor_units');
            """)
        let vendor = try server.session("LISTEN wallboard_changed;\nINSERT INTO vendor_units VALUES ('A1', 1);\n")
        #expect(vendor.contains(#"payload "vendor_units""#), "\(vendor)")
    }

    /// What the PostgreSQL source will build on: a hot standby replays the primary's commits,
    /// refuses LISTEN, and reports how far it has replayed.
    @Test func aHotStandbyReplaysAndRefusesListen() async throws {
        let primary = try LocalPostgresServer.primary()
        try primary.psql(file: Self.schema)
        let standby = try primary.standby()
        try primary.psql("INSERT INTO vehicles (id, call_sign, station_id) VALUES ('V1', '急救3号', 'S1')")
        try await eventually("the standby has the primary's row") {
            (try? standby.psql("SELECT call_sign FROM vehicles WHERE id = 'V1'")) == "急救3号"
        }
        #expect(try standby.psql("SELECT pg_is_in_recovery()") == "t")
        #expect(try !standby.psql("SELECT pg_last_wal_replay_lsn()").isEmpty)
        #expect {
            try standby.psql("LISTEN wallboard_changed")
        } throws: { error in
            String(describing: error).contains("cannot execute LISTEN during recovery")
        }
    }
}
