import Foundation
import Logging
import NIOCore
import PostgresNIO
import WallboardDispatch
import WallboardInterface
import WallboardSimulator

/// The simulator's rows on a PostgreSQL primary, in short transactions as a dispatch system would
/// write them. It installs the interface and the NOTIFY triggers first. Every statement is awaited:
/// nothing waits on a thread for the server.
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

    package func installInterface() async throws {
        for statement in PostgresInterface.statements(in: PostgresInterface.schemaScript) + PostgresInterface.statements(in: PostgresInterface.notifyScript) {
            try await run(InterfaceStatement(statement))
        }
        // A database made before the interface had positions gets their columns.
        try await run(InterfaceStatement("""
            ALTER TABLE vehicles ADD COLUMN IF NOT EXISTS latitude double precision, ADD COLUMN IF NOT EXISTS longitude double precision, \
            ADD COLUMN IF NOT EXISTS heading double precision, ADD COLUMN IF NOT EXISTS position_at double precision
            """))
    }

    package func commit(_ statements: [InterfaceStatement]) async throws {
        try await run(InterfaceStatement("BEGIN"))
        do {
            for statement in statements { try await run(statement) }
            try await run(InterfaceStatement("COMMIT"))
        } catch {
            _ = try? await run(InterfaceStatement("ROLLBACK"))
            throw error
        }
    }

    package func setDurable(_ durable: Bool) async throws {
        try await run(InterfaceStatement("SET synchronous_commit = \(durable ? "on" : "off")"))
    }

    package func number(_ sql: String) async throws -> Double? {
        guard let row = try await run(InterfaceStatement(sql)).first, case .number(let number) = row.stored(0) else { return nil }
        return number
    }

    @discardableResult
    private func run(_ statement: InterfaceStatement) async throws -> [CellRow] {
        var binds = PostgresBindings(capacity: statement.arguments.count)
        for argument in statement.arguments {
            switch argument {
            case .null: binds.appendNull()
            case .integer(let number): binds.append(number)
            case .real(let number): binds.append(number)
            case .text(let text): binds.append(text)
            case .blob(let bytes): binds.append(ByteBuffer(bytes: bytes))
            }
        }
        do {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: BlockingConnection.numberedPlaceholders(statement.sql), binds: binds), logger: logger)
            var result: [CellRow] = []
            for try await row in rows {
                result.append(CellRow(row.map(BlockingConnection.cell)))
            }
            return result
        } catch let error as PSQLError {
            throw SimulationError(description: "\(name): \(error.serverInfo?[.message] ?? "\(error.code)") in \(statement.sql)")
        }
    }
}
