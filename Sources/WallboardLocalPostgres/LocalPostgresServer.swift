import CWallboardSys
import Foundation
import Glibc
import WallboardSupport

public struct PostgresFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A private PostgreSQL server for one test or benchmark: its own folder under /tmp, a free loopback port,
/// run as the `postgres` user when the tests run as root (PostgreSQL refuses to run as root),
/// stopped and removed when the test lets go of it. Nothing depends on a server the machine runs,
/// and nothing it runs needs to enter the checkout, which may sit in a folder only root can open.
public final class LocalPostgresServer: Sendable {
    public static let binaries = "/usr/lib/postgresql/15/bin"
    /// The role every test server is made with; it may log in and replicate without a password.
    public static let user = "wb"

    public let folder: URL
    public let port: Int
    /// More than the default 100 connections, for many instances at once.
    public let maxConnections: Int
    private var data: URL { folder.appendingPathComponent("data") }
    private var log: URL { folder.appendingPathComponent("server.log") }

    private init(folder: URL, port: Int, maxConnections: Int) {
        self.folder = folder
        self.port = port
        self.maxConnections = maxConnections
    }

    /// A new primary with WAL kept for a streaming standby.
    public static func primary(maxConnections: Int = 100) throws -> LocalPostgresServer {
        let server = try LocalPostgresServer(folder: makeFolder(), port: LoopbackPort.unused(), maxConnections: maxConnections)
        try server.run("\(binaries)/initdb", ["-D", server.data.path, "-A", "trust", "-U", user, "-E", "UTF8", "--locale=C"])
        try server.start()
        return server
    }

    /// A hot standby of this server, streaming from it (`pg_basebackup -R`), on a port of its own.
    public func standby() throws -> LocalPostgresServer {
        // A hot standby needs at least the primary's connection slots.
        let standby = try LocalPostgresServer(folder: Self.makeFolder(), port: LoopbackPort.unused(), maxConnections: maxConnections)
        try standby.run(
            "\(Self.binaries)/pg_basebackup", ["-h", "127.0.0.1", "-p", String(port), "-U", Self.user, "-D", standby.data.path, "-R", "--checkpoint=fast"]
        )
        try standby.start()
        return standby
    }

    public func start() throws {
        try run("\(Self.binaries)/pg_ctl", [
            "-D", data.path, "-w", "-l", log.path, "-o",
            "-p \(port) -k \(folder.path) -c listen_addresses=127.0.0.1 -c wal_level=replica -c fsync=off -c max_connections=\(maxConnections)", "start",
        ])
    }

    public func stop() {
        _ = try? run("\(Self.binaries)/pg_ctl", ["-D", data.path, "-w", "-m", "fast", "stop"])
    }

    /// `host:port` as a source's configuration names this server.
    public var address: String { "127.0.0.1:\(port)" }

    /// Makes `role` log in with `password` only (SCRAM), while every other role stays trusted.
    public func requirePassword(for role: String, password: String) throws {
        try psql("CREATE ROLE \(role) LOGIN PASSWORD '\(password)'")
        let hba = data.appendingPathComponent("pg_hba.conf")
        let rules = try String(contentsOf: hba, encoding: .utf8)
        // Written in place, so the file keeps its owner; the first matching rule wins.
        try ("host all \(role) 127.0.0.1/32 scram-sha-256\n" + rules).write(to: hba, atomically: false, encoding: .utf8)
        try run("\(Self.binaries)/pg_ctl", ["-D", data.path, "reload"])
    }

    /// Runs `sql` with psql (stopping at the first error) and returns what it printed, unaligned
    /// and without headers; notifications a session received are printed too.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        try psql(database, "-A", "-t", "-c", sql)
    }

    /// Runs `statements` as one psql session, a statement at a time as a person types them, and
    /// returns what it printed, the notifications the session received included.
    @discardableResult
    public func session(_ statements: String, database: String = "postgres") throws -> String {
        let script = folder.appendingPathComponent("session-\(UUID().uuidString).sql")
        try statements.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        return try psql(database, "-A", "-t", "-f", script.path)
    }

    /// Runs the script at `path` with psql. The script is opened by this process and given to psql
    /// as its input, so the `postgres` user never needs to read it where it lies.
    @discardableResult
    public func psql(file path: String, database: String = "postgres") throws -> String {
        guard FileManager.default.isReadableFile(atPath: path) else { throw PostgresFailure("cannot read the script \(path)") }
        return try run("/usr/bin/psql", psqlArguments(database) + ["-q", "-f", "-"], input: path)
    }

    private func psql(_ database: String, _ options: String...) throws -> String {
        try run("/usr/bin/psql", psqlArguments(database) + options)
    }

    /// psql on this server's `database`, as the test role, stopping at the first error, without ~/.psqlrc.
    private func psqlArguments(_ database: String) -> [String] {
        ["-h", "127.0.0.1", "-p", String(port), "-U", Self.user, "-d", database, "-v", "ON_ERROR_STOP=1", "-X"]
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs a PostgreSQL program as the server's owner, in the server's folder (PostgreSQL's programs
    /// go back to the folder they started in, which the `postgres` user may not be allowed to
    /// enter), reading `input` if given; throws with its messages when it fails.
    /// Spawned and waited for directly: Foundation's `Process` never saw `runuser` exit once
    /// `pg_ctl` had started a server under it.
    @discardableResult
    private func run(_ program: String, _ arguments: [String], input: String = "/dev/null") throws -> String {
        let command = getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", program] + arguments : [program] + arguments
        let output = folder.appendingPathComponent("output-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // The files are opened before runuser changes user, with this process's rights.
        posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o666)
        wb_spawn_file_actions_addchdir(&actions, folder.path)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var argv = command.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, &argv, environ)
        guard spawned == 0 else { throw PostgresFailure("cannot start \(command[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        // Exited normally with status 0 (the low seven bits hold a killing signal, bits 8-15 the status).
        guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
            let serverLog = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            let reading = input == "/dev/null" ? "" : " < \(input)"
            throw PostgresFailure("\(program) \(arguments.joined(separator: " "))\(reading) failed (status \(status)): \(text)\(serverLog.suffix(2000))")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A folder the `postgres` user can enter and write: every folder above it is traversable, and
    /// it belongs to postgres when the tests run as root.
    private static func makeFolder() throws -> URL {
        let folder = URL(fileURLWithPath: "/tmp/wallboard-postgres-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        if getuid() == 0 {
            try FileManager.default.setAttributes([.ownerAccountName: "postgres", .groupOwnerAccountName: "postgres"], ofItemAtPath: folder.path)
        }
        return folder
    }
}
