import Foundation
import Logging
import Testing
import WallboardDispatch
import WallboardInterface
@testable import WallboardPostgres
import WallboardLocalPostgres

@Suite struct PostgresURLTests {
    @Test func aURLNamesHostsDatabaseUserAndOptions() throws {
        let settings = try PostgresSettings(url: "postgresql://station@db1:5433,[::1]:5434,db3/dispatch?sslmode=require&passwordFile=/etc/wallboard/pw&application_name=station-7")
        #expect(settings.hosts.map(\.description) == ["db1:5433", "[::1]:5434", "db3:5432"])
        #expect(settings.database == "dispatch")
        #expect(settings.user == "station")
        #expect(settings.tls == .require)
        #expect(settings.passwordFile == "/etc/wallboard/pw")
        #expect(settings.applicationName == "station-7")
    }

    @Test func aPasswordInTheURLIsRefused() {
        #expect(throws: SourceProblem.self) { try PostgresSettings(url: "postgresql://station:secret@db1/dispatch") }
        #expect(throws: SourceProblem.self) { try PostgresSettings(url: "postgresql://db1") }
        #expect(throws: SourceProblem.self) { try PostgresSettings(url: "postgresql://db1/dispatch?sslmode=sometimes") }
        #expect(throws: SourceProblem.self) { try PostgresSettings(url: "mysql://db1/dispatch") }
    }
}

@Suite struct PostgresScriptTests {
    @Test func statementsSplitOutsideQuotesDollarQuotesAndComments() {
        let script = """
            -- a comment; with a semicolon
            CREATE TABLE a (b text DEFAULT ';');
            CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $body$
            BEGIN PERFORM 1; END;
            $body$;
            SELECT $$x;y$$
            """
        #expect(PostgresInterface.statements(in: script) == [
            "CREATE TABLE a (b text DEFAULT ';')",
            "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $body$\nBEGIN PERFORM 1; END;\n$body$",
            "SELECT $$x;y$$",
        ])
    }

    @Test func theShippedScriptsAreTheFilesBesideTheSource() throws {
        #expect(PostgresInterface.schemaScript == (try String(contentsOfFile: InterfaceScriptTests.schema, encoding: .utf8)))
        #expect(PostgresInterface.notifyScript == (try String(contentsOfFile: InterfaceScriptTests.notify, encoding: .utf8)))
    }
}

@Suite struct PostgresCellTests {
    func cell(_ type: UInt32, _ bytes: [UInt8]?) -> Cell {
        guard let bytes else { return PostgresCells.cell(type: type, bytes: nil) }
        return bytes.withUnsafeBytes { PostgresCells.cell(type: type, bytes: $0) }
    }

    @Test func binaryValuesDecode() {
        #expect(cell(PostgresCells.TypeID.int4, [0xFF, 0xFF, 0xFF, 0xFE]) == .integer(-2))
        #expect(cell(PostgresCells.TypeID.int8, [0, 0, 0, 0, 0x69, 0x1F, 0x4A, 0xA0]) == .integer(1_763_658_400))
        #expect(cell(PostgresCells.TypeID.float8, Array(withUnsafeBytes(of: (1.5).bitPattern.bigEndian, Array.init))) == .real(1.5))
        #expect(cell(PostgresCells.TypeID.bool, [1]) == .integer(1))
        #expect(cell(PostgresCells.TypeID.text, Array("急救".utf8)) == .text("急救"))
        #expect(cell(PostgresCells.TypeID.text, nil) == .null)
    }

    /// extract(epoch FROM …) is numeric: 1763700000.25 is digits 17 6370 0000 . 2500, weight 2.
    @Test func numericDecodes() {
        let bytes: [UInt8] = [0, 4, 0, 2, 0, 0, 0, 2, 0, 17, 0x18, 0xE2, 0, 0, 0x09, 0xC4]
        #expect(cell(PostgresCells.TypeID.numeric, bytes) == .real(1_763_700_000.25))
        #expect(cell(PostgresCells.TypeID.numeric, [0, 1, 0, 0, 0x40, 0, 0, 0, 0, 7]) == .real(-7))
    }

    @Test func bytesThatDoNotFitTheirTypeBecomeABlob() {
        #expect(cell(PostgresCells.TypeID.int4, [1, 2]) == .blob([1, 2]))
        #expect(cell(PostgresCells.TypeID.numeric, [0, 9, 0, 0, 0, 0, 0, 0]) == .blob([0, 9, 0, 0, 0, 0, 0, 0]))
        #expect(cell(PostgresCells.TypeID.numeric, [0, 1, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]) == .blob([0, 1, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]))
    }
}

@Suite struct ReplayLagTests {
    let start = ContinuousClock.now

    func position(received: Double?, replayed: Double?, streaming: Bool = true) -> ReplayPosition {
        ReplayPosition(inRecovery: true, received: received, replayed: replayed, streaming: streaming)
    }

    @Test func caughtUpIsCurrentNow() {
        var lag = ReplayLag()
        #expect(lag.observe(position(received: 100, replayed: 100), at: start) == start)
        #expect(lag.observe(position(received: 100, replayed: 100), at: start + .seconds(5)) == start + .seconds(5))
    }

    /// Replay paused while changes keep arriving: the data stays as old as the first change it lacks.
    @Test func behindIsCurrentAsOfTheLastPositionItReplayed() {
        var lag = ReplayLag()
        #expect(lag.observe(position(received: 100, replayed: 100), at: start) == start)
        #expect(lag.observe(position(received: 200, replayed: 100), at: start + .seconds(1)) == start)
        #expect(lag.observe(position(received: 300, replayed: 100), at: start + .seconds(2)) == start)
        #expect(lag.observe(position(received: 300, replayed: 200), at: start + .seconds(3)) == start + .seconds(1))
        #expect(lag.observe(position(received: 300, replayed: 300), at: start + .seconds(4)) == start + .seconds(4))
    }

    @Test func aStandbyThatLostItsPrimaryIsNotCurrent() {
        var lag = ReplayLag()
        #expect(lag.observe(position(received: 100, replayed: 100, streaming: false), at: start) == nil)
    }
}

@Suite struct PreparedStatementTests {
    @Test func eachStatementIsPreparedOnceAndItsArgumentsReadBackExactly() async throws {
        let server = try LocalPostgresServer.primary()
        defer { server.stop() }
        let host = try #require(PostgresSettings.Host(server.address))
        let settings = PostgresSettings(hosts: [host], database: "postgres", user: LocalPostgresServer.user, passwordFile: nil, tls: .disable, applicationName: "wallboard-test")
        let logger = Logger(label: "wallboard-test")
        let connection = try await settings.connect(to: host, logger: logger)
        let values: [Double] = [1_733_180_000.123_456, 0.1, -2.5e-300, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .pi, .infinity, -.infinity, .nan]
        let (readBack, preparedCount) = try await DispatchQueue.global().perform {
            let prepared = BlockingConnection(connection: connection, logger: logger, timeout: .seconds(10), prepared: PreparedStatements())
            var readBack: [Double] = []
            for value in values {
                try prepared.each("SELECT ?", [value]) { row, _ in
                    if case .number(let number) = row.stored(0) { readBack.append(number) }
                }
            }
            let unprepared = BlockingConnection(connection: connection, logger: logger, timeout: .seconds(10))
            var count: Double?
            try unprepared.each("SELECT count(*)::float8 FROM pg_prepared_statements", []) { row, _ in
                if case .number(let number) = row.stored(0) { count = number }
            }
            return (readBack, count)
        }
        try await connection.close()
        #expect(readBack.dropLast() == values.dropLast())
        #expect(readBack.last?.isNaN == true)
        #expect(preparedCount == 1)
    }
}
