import Foundation
import GRDB
import WallboardDispatch
import WallboardInterface

/// A value the simulator writes into a column.
package protocol CellConvertible {
    var cell: Cell { get }
}

extension String: CellConvertible {
    package var cell: Cell { .text(self) }
}

extension Double: CellConvertible {
    package var cell: Cell { .real(self) }
}

extension Int: CellConvertible {
    package var cell: Cell { .integer(Int64(self)) }
}

extension Optional: CellConvertible where Wrapped: CellConvertible {
    package var cell: Cell { self?.cell ?? .null }
}

/// Where the simulator writes: a SQLite file or a PostgreSQL server, through the same statements
/// (`?` for each argument), in short transactions as a dispatch system would.
package protocol SimulationStore: AnyObject {
    /// Where the rows go, for messages.
    var name: String { get }
    /// Creates whatever of the interface is missing.
    func installInterface() throws
    /// Runs `body` in one transaction, committed when it returns.
    func transaction(_ body: () throws -> Void) throws
    /// Whether commits may skip waiting for the disk (while catching up with the clock).
    func setDurable(_ durable: Bool) throws
    func execute(_ sql: String, _ arguments: [any CellConvertible]) throws
    /// The first column of the first row as text; nil for no row or NULL.
    func text(_ sql: String, _ arguments: [any CellConvertible]) throws -> String?
    /// The first column of the first row as a number; nil for no row or NULL.
    func number(_ sql: String, _ arguments: [any CellConvertible]) throws -> Double?
}

/// The simulator's SQLite file.
final class SQLiteSimulationStore: SimulationStore {
    let name: String
    private let queue: DatabaseQueue
    private let journalMode: SimulationSettings.JournalMode?
    /// The open transaction's connection while `transaction` runs.
    private var db: Database?

    init(path: String, journalMode: SimulationSettings.JournalMode?) throws {
        name = path
        self.journalMode = journalMode
        var configuration = Configuration()
        configuration.label = "wallboard.simulator"
        configuration.busyMode = .timeout(5)
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw SimulationError(description: "cannot open \(path) for writing: \(error)")
        }
    }

    func installInterface() throws {
        if let journalMode {
            try queue.writeWithoutTransaction { db in
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = \(journalMode.rawValue)")
            }
        }
        try queue.write { db in
            try db.execute(sql: InterfaceSchema.sql)
            // A file made before the interface had positions gets their columns.
            let present = try Set(String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('vehicles')"))
            for column in InterfaceSchema.vehiclePositionColumns where !present.contains(column) {
                try db.execute(sql: "ALTER TABLE vehicles ADD COLUMN \(column) REAL")
            }
        }
    }

    func transaction(_ body: () throws -> Void) throws {
        try queue.inTransaction(.immediate) { db in
            self.db = db
            defer { self.db = nil }
            try body()
            return .commit
        }
    }

    func setDurable(_ durable: Bool) throws {
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(durable ? "NORMAL" : "OFF")") }
    }

    func execute(_ sql: String, _ arguments: [any CellConvertible]) throws {
        try connection().cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
    }

    func text(_ sql: String, _ arguments: [any CellConvertible]) throws -> String? {
        try String.fetchOne(connection().cachedStatement(sql: sql), arguments: Self.arguments(arguments))
    }

    func number(_ sql: String, _ arguments: [any CellConvertible]) throws -> Double? {
        try Double.fetchOne(connection().cachedStatement(sql: sql), arguments: Self.arguments(arguments))
    }

    private func connection() throws -> Database {
        guard let db else { throw SimulationError(description: "\(name): a write outside a transaction") }
        return db
    }

    private static func arguments(_ values: [any CellConvertible]) -> StatementArguments {
        StatementArguments(values.map { value -> (any DatabaseValueConvertible)? in
            switch value.cell {
            case .null: nil
            case .integer(let number): number
            case .real(let number): number
            case .text(let text): text
            case .blob(let bytes): Data(bytes)
            }
        })
    }
}
