import Foundation
import Logging
import NIOCore
import NIOConcurrencyHelpers
import PostgresNIO
import WallboardDispatch
import WallboardSQLite

/// The interface's shared, synchronous queries on a PostgreSQL connection: each statement waits
/// for its answer, at most `timeout`. Only for `PostgresSession`'s read threads, never an event
/// loop or Swift's cooperative pool.
struct BlockingConnection: InterfaceConnection {
    let connection: PostgresConnection
    let logger: Logger
    /// The server's statement timeout and a margin: a connection that lost its server without
    /// noticing (or a query its closed connection never sent) cannot hold a read thread for ever.
    let timeout: Duration

    func each(_ sql: String, _ arguments: [Double], _ body: (CellRow, Int) throws -> Void) throws {
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments { binds.append(argument) }
        let result = try answer(connection.query(PostgresQuery(unsafeSQL: Self.numberedPlaceholders(sql), binds: binds), logger: logger))
        var position = 0
        for row in result.rows {
            position += 1
            try body(CellRow(row.map(Self.cell)), position)
        }
    }

    func execute(_ sql: String) throws {
        _ = try answer(connection.query(PostgresQuery(unsafeSQL: sql), logger: logger))
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
