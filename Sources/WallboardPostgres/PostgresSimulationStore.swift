import Foundation
import Logging
import NIOCore
import PostgresNIO
import WallboardConfig
import WallboardDispatch
import WallboardInterface
import WallboardSQLite

/// The simulator's rows on a PostgreSQL primary, in short transactions as a dispatch system would
/// write them. It installs the interface and the NOTIFY triggers first.
///
/// Its statements wait for their answers on the calling thread: the simulator is a program of its
/// own, with nothing else to run meanwhile.
public final class PostgresSimulationStore: SimulationStore {
    public let name: String
    private let connection: PostgresConnection
    private let logger: Logger

    private init(name: String, connection: PostgresConnection, logger: Logger) {
        self.name = name
        self.connection = connection
        self.logger = logger
    }

    /// Simulates `simulation` onto the primary among `settings`' hosts, then closes the connection.
    public static func simulate(_ simulation: SimulationSettings, onto settings: PostgresSettings) async throws {
        let store = try await open(settings)
        do {
            try await DispatchSimulator(store: store, settings: simulation).run()
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    /// Connects to the first host that answers and is a primary.
    public static func open(_ settings: PostgresSettings, logger: Logger = Logger(label: "wallboard.simulator")) async throws -> PostgresSimulationStore {
        do {
            let (host, connection) = try await settings.connectToFirstHost(logger: logger) { connection in
                let rows = try await connection.query("SELECT pg_is_in_recovery()", logger: logger)
                for try await inRecovery in rows.decode(Bool.self) where inRecovery { return "a standby (read-only)" }
                return nil
            }
            return PostgresSimulationStore(name: "\(host)/\(settings.database)", connection: connection, logger: logger)
        } catch {
            throw SimulationError(description: "no PostgreSQL primary to write to: \(error.message)")
        }
    }

    public func close() async {
        try? await connection.close()
    }

    package func installInterface() throws {
        for statement in PostgresInterface.statements(in: PostgresInterface.schemaScript) + PostgresInterface.statements(in: PostgresInterface.notifyScript) {
            try run(statement, [])
        }
        // A database made before the interface had positions gets their columns.
        try run("""
            ALTER TABLE vehicles ADD COLUMN IF NOT EXISTS latitude double precision, ADD COLUMN IF NOT EXISTS longitude double precision, \
            ADD COLUMN IF NOT EXISTS heading double precision, ADD COLUMN IF NOT EXISTS position_at double precision
            """, [])
    }

    package func transaction(_ body: () throws -> Void) throws {
        try run("BEGIN", [])
        do {
            try body()
            try run("COMMIT", [])
        } catch {
            _ = try? run("ROLLBACK", [])
            throw error
        }
    }

    package func setDurable(_ durable: Bool) throws {
        try run("SET synchronous_commit = \(durable ? "on" : "off")", [])
    }

    package func execute(_ sql: String, _ arguments: [any CellConvertible]) throws {
        try run(sql, arguments)
    }

    package func text(_ sql: String, _ arguments: [any CellConvertible]) throws -> String? {
        guard let row = try run(sql, arguments).first, case .text(let text) = row[0] else { return nil }
        return text
    }

    package func number(_ sql: String, _ arguments: [any CellConvertible]) throws -> Double? {
        guard let row = try run(sql, arguments).first, case .number(let number) = row.stored(0) else { return nil }
        return number
    }

    @discardableResult
    private func run(_ sql: String, _ arguments: [any CellConvertible]) throws -> [CellRow] {
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument.cell {
            case .null: binds.appendNull()
            case .integer(let number): binds.append(number)
            case .real(let number): binds.append(number)
            case .text(let text): binds.append(text)
            case .blob(let bytes): binds.append(ByteBuffer(bytes: bytes))
            }
        }
        do {
            let result = try connection.query(PostgresQuery(unsafeSQL: BlockingConnection.numberedPlaceholders(sql), binds: binds), logger: logger).wait()
            return result.rows.map { CellRow($0.map(BlockingConnection.cell)) }
        } catch let error as PSQLError {
            throw SimulationError(description: "\(name): \(error.serverInfo?[.message] ?? "\(error.code)") in \(sql)")
        }
    }
}
