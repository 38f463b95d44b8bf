import Foundation
import GRDB
import WallboardInterface
import WallboardSupport

/// How the simulator leaves a SQLite file's journal.
public enum SQLiteJournalMode: String, Sendable, CaseIterable {
    case wal
    case delete
}

/// The simulator's SQLite file. Every statement runs on the connection's own serial queue
/// (GRDB's asynchronous `write`), never on Swift's cooperative pool.
package final class SQLiteSimulationStore: SimulationStore {
    package let name: String
    private let queue: DatabaseQueue
    private let journalMode: SQLiteJournalMode?

    /// Opens (creating if needed) the file, on a queue of its own; `journalMode` is set when the
    /// interface is installed, nil leaves it as it is.
    package init(path: String, journalMode: SQLiteJournalMode? = nil) async throws {
        name = path
        self.journalMode = journalMode
        do {
            queue = try await DispatchQueue(label: "wallboard.simulator.open").perform {
                var configuration = Configuration()
                configuration.label = "wallboard.simulator"
                configuration.busyMode = .timeout(5)
                return try DatabaseQueue(path: path, configuration: configuration)
            }
        } catch {
            throw SimulationError(description: "cannot open \(path) for writing: \(error)")
        }
    }

    package func installInterface() async throws {
        if let journalMode {
            try await queue.writeWithoutTransaction { db in
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = \(journalMode.rawValue)")
            }
        }
        try await queue.write { db in
            try db.execute(sql: InterfaceSchema.sql)
            // A file made before the interface had positions gets their columns.
            let present = try Set(String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('vehicles')"))
            for column in InterfaceSchema.vehiclePositionColumns where !present.contains(column) {
                try db.execute(sql: "ALTER TABLE vehicles ADD COLUMN \(column) REAL")
            }
        }
    }

    package func commit(_ statements: [InterfaceStatement]) async throws {
        try await queue.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                for statement in statements {
                    try db.cachedStatement(sql: statement.sql).execute(arguments: Self.arguments(statement.arguments))
                }
                return .commit
            }
        }
    }

    package func setDurable(_ durable: Bool) async throws {
        try await queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(durable ? "NORMAL" : "OFF")") }
    }

    package func number(_ sql: String) async throws -> Double? {
        try await queue.read { db in try Double.fetchOne(db, sql: sql) }
    }

    private static func arguments(_ cells: [Cell]) -> StatementArguments {
        StatementArguments(cells.map { cell -> (any DatabaseValueConvertible)? in
            switch cell {
            case .null: nil
            case .integer(let number): number
            case .real(let number): number
            case .text(let text): text
            case .blob(let bytes): Data(bytes)
            }
        })
    }
}
