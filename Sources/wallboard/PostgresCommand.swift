import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import WallboardConfig
import WallboardDispatch
import WallboardPostgres

/// `wallboard postgres`: the dispatch interface on a PostgreSQL server.
struct PostgresCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postgres",
        abstract: "Install the dispatch interface on a PostgreSQL server, or print its scripts.",
        subcommands: [Install.self, Script.self]
    )

    struct Install: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the interface tables (schema-postgres.sql) and the NOTIFY triggers (notify-postgres.sql).",
            discussion: "Both scripts may run again on a database that has them. Run as a role that may create tables."
        )

        @Option(help: ArgumentHelp("postgresql://USER@HOST[:PORT]/DATABASE[?passwordFile=PATH&sslmode=…]", valueName: "url"))
        var url: String

        @Flag(name: .customLong("no-notify"), help: "Leave out the triggers (the source then finds changes by polling).")
        var noNotify = false

        func run() async throws {
            let settings = try PostgresSettings(url: url)
            let logger = Logger(label: "wallboard.postgres.install")
            let (host, connection): (PostgresSettings.Host, PostgresConnection)
            do {
                (host, connection) = try await settings.connectToFirstHost(logger: logger)
            } catch {
                throw ValidationError("cannot connect: \(error.message)")
            }
            do {
                try await PostgresInterface.install(on: connection, notifications: !noNotify, logger: logger)
            } catch let error as PSQLError {
                try? await connection.close()
                throw ValidationError("\(host)/\(settings.database): \(error.serverInfo?[.message] ?? "\(error.code)")")
            }
            try? await connection.close()
            print("installed the Wallboard interface\(noNotify ? "" : " and its NOTIFY triggers") on \(host)/\(settings.database)")
        }
    }

    struct Script: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the interface script (for psql -f), with --notify the triggers' script.")

        @Flag(help: "Print notify-postgres.sql instead of schema-postgres.sql.")
        var notify = false

        func run() {
            print(notify ? PostgresInterface.notifyScript : PostgresInterface.schemaScript, terminator: "")
        }
    }
}
