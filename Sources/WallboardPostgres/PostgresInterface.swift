import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The interface's PostgreSQL scripts (`schema-postgres.sql`, `notify-postgres.sql`, shipped beside
/// this file and built into the program), run statement by statement.
public enum PostgresInterface {
    public static var schemaScript: String { String(decoding: PackageResources.schema_postgres_sql, as: UTF8.self) }
    public static var notifyScript: String { String(decoding: PackageResources.notify_postgres_sql, as: UTF8.self) }

    /// Creates whatever is missing of the interface and, with `notifications`, the triggers that send NOTIFY.
    /// Both scripts may run again on a database that has them.
    public static func install(on connection: PostgresConnection, notifications: Bool, logger: Logger) async throws {
        for statement in statements(in: schemaScript) + (notifications ? statements(in: notifyScript) : []) {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
    }

    /// The statements of a script: split at semicolons outside quotes, dollar quotes and comments.
    public static func statements(in script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var characters = Array(script)[...]
        while let character = characters.popFirst() {
            switch character {
            case "-" where characters.first == "-":
                while let next = characters.first, next != "\n" { characters.removeFirst() }
            case "'", "\"":
                current.append(character)
                while let next = characters.popFirst() {
                    current.append(next)
                    if next == character { break }
                }
            case "$":
                let tagEnd = characters.firstIndex { !($0.isLetter || $0.isNumber || $0 == "_") }
                guard let tagEnd, characters[tagEnd] == "$" else {
                    current.append(character)
                    continue
                }
                let tag = "$" + String(characters[..<tagEnd]) + "$"
                characters = characters[characters.index(after: tagEnd)...]
                current += tag
                var body = ""
                while let next = characters.popFirst() {
                    body.append(next)
                    if body.hasSuffix(tag) { break }
                }
                current += body
            case ";":
                let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !statement.isEmpty { statements.append(statement) }
                current = ""
            default:
                current.append(character)
            }
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty { statements.append(last) }
        return statements
    }
}
