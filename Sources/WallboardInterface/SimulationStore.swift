import Foundation

/// A value written into a column.
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

extension Cell: CellConvertible {
    package var cell: Cell { self }
}

extension Optional: CellConvertible where Wrapped: CellConvertible {
    package var cell: Cell { self?.cell ?? .null }
}

/// One statement to run or write, the same for both databases (`?` for each argument).
package struct InterfaceStatement: Sendable, Equatable {
    package let sql: String
    package let arguments: [Cell]

    package init(_ sql: String, _ arguments: [any CellConvertible] = []) {
        self.sql = sql
        self.arguments = arguments.map(\.cell)
    }
}

/// A problem with the simulator's settings or its database.
public struct SimulationError: Error, CustomStringConvertible {
    public let description: String

    package init(description: String) {
        self.description = description
    }
}

/// Where a writer of the interface (the simulator) writes: a SQLite file or a PostgreSQL primary,
/// in short transactions as a dispatch system would. Every call runs its I/O off Swift's
/// cooperative pool: on the connection's own queue, or as awaited network I/O.
package protocol SimulationStore: Sendable {
    /// Where the rows go, for messages.
    var name: String { get }
    /// Creates whatever of the interface is missing.
    func installInterface() async throws
    /// Whether commits may skip waiting for the disk (while catching up with the clock).
    func setDurable(_ durable: Bool) async throws
    /// Runs `statements` in order in one transaction, and commits it.
    func commit(_ statements: [InterfaceStatement]) async throws
    /// The first column of the first row as a number; nil for no row or NULL.
    func number(_ sql: String) async throws -> Double?
}
