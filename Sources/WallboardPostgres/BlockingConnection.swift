import Foundation
import Logging
import NIOCore
import NIOConcurrencyHelpers
import PostgresNIO
import Synchronization
import WallboardDispatch
import WallboardInterface

/// The interface's shared, synchronous queries on a PostgreSQL connection: each statement waits
/// for its answer, at most `timeout`. Only for `PostgresSession`'s read threads, never an event
/// loop or Swift's cooperative pool.
struct BlockingConnection: InterfaceConnection {
    let connection: PostgresConnection
    let logger: Logger
    /// The server's statement timeout and a margin: a connection that lost its server without
    /// noticing (or a query its closed connection never sent) cannot hold a read thread for ever.
    let timeout: Duration
    /// The connection's prepared statements; nil runs every statement unprepared.
    var prepared: PreparedStatements? = nil
    /// Statements sent before they were asked for (see `expect`); nil sends each when it is asked for.
    var ahead: StatementsAhead? = nil

    func each(_ sql: String, binding arguments: [Cell], _ body: (CellRow, Int) throws -> Void) throws {
        let sent = try ahead?.take(sql, arguments) ?? connection.query(try query(sql, arguments), logger: logger)
        let result = try answer(sent)
        var position = 0
        for row in result.rows {
            position += 1
            try body(CellRow(row.map(Self.cell)), position)
        }
    }

    /// Sends `sql` now: the server answers the statements on a connection in the order they were
    /// sent, so the answers of `expect`ed statements queue behind each other without a wait between.
    func expect(_ sql: String, binding arguments: [Cell]) throws {
        guard let ahead else { return }
        ahead.keep(connection.query(try query(sql, arguments), logger: logger), for: sql, arguments)
    }

    func execute(_ sql: String) throws {
        try wait(send(sql))
    }

    /// Sends a statement that returns no rows; `wait` for its answer.
    func send(_ sql: String) -> EventLoopFuture<PostgresQueryResult> {
        connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }

    func wait(_ sent: EventLoopFuture<PostgresQueryResult>) throws {
        _ = try answer(sent)
    }

    func firstFlag(_ sql: String) throws -> Bool {
        var flag = false
        try each(sql, []) { row, _ in flag = row.flag(0) }
        return flag
    }

    func firstText(_ sql: String) throws -> String {
        var text = ""
        try each(sql, []) { row, _ in
            if case .text(let value) = row[0] { text = value }
        }
        return text
    }

    /// The query to send for `sql`: an EXECUTE of its prepared statement, prepared now if this is
    /// its first use on the connection, or `sql` itself with its arguments bound when nothing is
    /// prepared or an argument is not a number (text never goes into the SQL).
    private func query(_ sql: String, _ cells: [Cell]) throws -> PostgresQuery {
        let numbered = Self.numberedPlaceholders(sql)
        let numbers = cells.compactMap { cell -> Double? in
            if case .real(let number) = cell { return number }
            return nil
        }
        guard let prepared, numbers.count == cells.count else {
            var binds = PostgresBindings(capacity: cells.count)
            for cell in cells {
                switch cell {
                case .null: binds.appendNull()
                case .integer(let number): binds.append(number)
                case .real(let number): binds.append(number)
                case .text(let text): binds.append(text)
                case .blob(let bytes): binds.append(ByteBuffer(bytes: bytes))
                }
            }
            return PostgresQuery(unsafeSQL: numbered, binds: binds)
        }
        let arguments = numbers
        let name: String
        if let known = prepared.name(of: numbered) {
            name = known
        } else {
            name = prepared.nextName()
            let types = arguments.isEmpty ? "" : "(" + Array(repeating: "float8", count: arguments.count).joined(separator: ", ") + ")"
            try execute("PREPARE \(name)\(types) AS \(numbered)")
            prepared.add(name, for: numbered)
        }
        // EXECUTE takes no protocol parameters ("there is no parameter $1"), so its arguments are
        // written as literals: they are the reader's own numbers, never text from outside.
        return PostgresQuery(unsafeSQL: arguments.isEmpty ? "EXECUTE \(name)" : "EXECUTE \(name)(" + arguments.map(Self.literal).joined(separator: ", ") + ")")
    }

    /// `value` as a float8 literal that reads back as exactly `value`.
    static func literal(_ value: Double) -> String {
        if value.isNaN { return "'NaN'::float8" }
        if value.isInfinite { return value > 0 ? "'Infinity'::float8" : "'-Infinity'::float8" }
        return "\(value)::float8"
    }

    private func answer(_ future: EventLoopFuture<PostgresQueryResult>) throws -> PostgresQueryResult {
        let closed = SourceProblem(kind: .unreachable, message: "the connection to the server is closed; reconnecting")
        guard !connection.isClosed else { throw closed }
        let answered = DispatchSemaphore(value: 0)
        let result = NIOLockedValueBox<Result<PostgresQueryResult, any Error>?>(nil)
        future.whenComplete { outcome in
            result.withLockedValue { $0 = outcome }
            answered.signal()
        }
        guard answered.wait(timeout: .now() + .milliseconds(Int(timeout.inMilliseconds))) == .success else {
            let _: EventLoopFuture<Void> = connection.close()
            throw SourceProblem(kind: .unreachable, message: "no answer within \(timeout); reconnecting")
        }
        guard let outcome = result.withLockedValue({ $0 }) else { throw closed }
        return try outcome.get()
    }

    /// The shared SQL's `?` placeholders as PostgreSQL's `$1`, `$2`, …; the interface's SQL has no `?` in literals.
    static func numberedPlaceholders(_ sql: String) -> String {
        guard sql.contains("?") else { return sql }
        var numbered = ""
        var count = 0
        for character in sql {
            if character == "?" {
                count += 1
                numbered += "$\(count)"
            } else {
                numbered.append(character)
            }
        }
        return numbered
    }

    static func cell(_ cell: PostgresCell) -> Cell {
        guard var bytes = cell.bytes else { return .null }
        let count = bytes.readableBytes
        guard cell.format == .binary else {
            return .text(bytes.readString(length: count) ?? "")
        }
        return bytes.withUnsafeReadableBytes { PostgresCells.cell(type: cell.dataType.rawValue, bytes: $0) }
    }
}

/// The statements of one read sent ahead of the rows that come before them, by their SQL and
/// arguments. One that is never asked for is answered and dropped.
final class StatementsAhead: Sendable {
    private struct Key: Hashable {
        let sql: String
        let arguments: [Cell]
    }

    private let sent = Mutex<[Key: EventLoopFuture<PostgresQueryResult>]>([:])

    func keep(_ answer: EventLoopFuture<PostgresQueryResult>, for sql: String, _ arguments: [Cell]) {
        sent.withLock { $0[Key(sql: sql, arguments: arguments)] = answer }
    }

    func take(_ sql: String, _ arguments: [Cell]) -> EventLoopFuture<PostgresQueryResult>? {
        sent.withLock { $0.removeValue(forKey: Key(sql: sql, arguments: arguments)) }
    }
}

/// The statements prepared on one connection, by their SQL: a snapshot's dozen statements are
/// parsed and planned once per connection rather than on every read. Prepared statements belong to
/// the server's session, not to a transaction, so they outlive the read that prepared them.
final class PreparedStatements: Sendable {
    private let names = Mutex<[String: String]>([:])

    func name(of sql: String) -> String? {
        names.withLock { $0[sql] }
    }

    func nextName() -> String {
        names.withLock { "wallboard_\($0.count + 1)" }
    }

    func add(_ name: String, for sql: String) {
        names.withLock { $0[sql] = name }
    }
}
