import Foundation
import GRDB
import Testing
import WallboardDispatch
import WallboardInterface
import WallboardTestKit
@testable import WallboardSQLite

/// A fresh directory per test, removed afterwards.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("wallboard-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Unix seconds now, as SQL, for writers in another process.
let sqlNow = "((julianday('now') - 2440587.5) * 86400.0)"

/// The `sqlite3` program, run as a separate process. Output goes to files (Foundation's pipe
/// reading traps on interrupted system calls).
struct SQLiteShell {
    static let executable = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first { FileManager.default.isExecutableFile(atPath: $0) }

    struct Result {
        let status: Int32
        let output: String
        let errors: String
    }

    /// Runs `sql` against `path`, waits for the process to end, and throws if sqlite3 failed.
    @discardableResult
    static func run(_ path: String, _ sql: String) throws -> Result {
        let running = try start(path, script: sql)
        running.process.waitUntilExit()
        let result = running.result()
        guard result.status == 0 else { throw TestFailure("sqlite3 \(path) failed: \(result.errors)") }
        return result
    }

    /// Runs `sql` against `path` in another process while the caller keeps running.
    static func runConcurrently(_ path: String, _ sql: String) async throws -> Result {
        try await start(path, script: sql).finished()
    }

    /// Starts `sqlite3 path`, reading `script`, or else a pipe (see `send`) so a test can hold a transaction open.
    static func start(_ path: String, script: String? = nil) throws -> Running {
        guard let executable else { throw TestFailure("the sqlite3 program is not installed (apt-get install sqlite3)") }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sqlite3-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // Like a dispatch system, the writer waits out the reader's short reads rather than failing
        // at once; a script can set a shorter `.timeout` to catch a reader that holds on too long.
        process.arguments = ["-bail", "-cmd", ".timeout 2000", path]
        let outputURL = scratch.appendingPathExtension("out")
        let errorsURL = scratch.appendingPathExtension("err")
        try Data().write(to: outputURL)
        try Data().write(to: errorsURL)
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorsURL)
        var input: Pipe?
        if let script {
            let scriptURL = scratch.appendingPathExtension("sql")
            try Data(script.utf8).write(to: scriptURL)
            process.standardInput = try FileHandle(forReadingFrom: scriptURL)
        } else {
            let pipe = Pipe()
            process.standardInput = pipe
            input = pipe
        }
        let running = Running(process: process, input: input, outputURL: outputURL, errorsURL: errorsURL)
        try process.run()
        return running
    }

    final class Running: @unchecked Sendable {
        let process: Process
        let input: Pipe?
        let outputURL: URL
        let errorsURL: URL
        private let exited = Locked<CheckedContinuation<Void, Never>?>(nil)
        private let hasExited = Locked(false)

        init(process: Process, input: Pipe?, outputURL: URL, errorsURL: URL) {
            self.process = process
            self.input = input
            self.outputURL = outputURL
            self.errorsURL = errorsURL
            process.terminationHandler = { [exited, hasExited] _ in
                hasExited.withLock { $0 = true }
                exited.withLock { $0?.resume(); $0 = nil }
            }
        }

        func send(_ sql: String) throws {
            try input?.fileHandleForWriting.write(contentsOf: Data(sql.utf8))
        }

        func result() -> Result {
            let output = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
            let errors = (try? String(contentsOf: errorsURL, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(at: outputURL)
            try? FileManager.default.removeItem(at: errorsURL)
            return Result(status: process.terminationStatus, output: output, errors: errors)
        }

        /// Closes the input and waits for the process to end without blocking a concurrency thread.
        func finished() async -> Result {
            try? input?.fileHandleForWriting.close()
            await withCheckedContinuation { continuation in
                exited.withLock { $0 = continuation }
                if hasExited.withLock({ $0 }) {
                    exited.withLock { $0?.resume(); $0 = nil }
                }
            }
            process.waitUntilExit()
            return result()
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Creates a database with the interface schema and a small city: two stations, three vehicles, one
/// seat, committed at once, so that a source watching the path never sees the tables without their rows.
func makeFixtureDatabase(at path: String, journal: SQLiteJournalMode = .delete) throws {
    let result = try SQLiteShell.run(path, """
        PRAGMA journal_mode = \(journal.rawValue);
        BEGIN;
        \(InterfaceSchema.sql)
        INSERT INTO stations (id, name, district, sort_order) VALUES ('S1', '城东分站', '东城区', 1), ('S2', '城西分站', '西城区', 2);
        INSERT INTO vehicles (id, call_sign, plate, station_id, status, status_since) VALUES
            ('V1', '急救1号', '粤A·10001', 'S1', 7, \(sqlNow)),
            ('V2', '急救2号', '粤A·10002', 'S1', 7, \(sqlNow)),
            ('V3', '急救3号', '粤A·10003', 'S2', 7, \(sqlNow));
        INSERT INTO seats (id, name, dispatcher_name, state) VALUES ('D1', '1号台', '刘晓燕', 'idle');
        COMMIT;
        """)
    guard result.status == 0 else { throw TestFailure("sqlite3 failed creating \(path): \(result.errors)") }
}

/// A source watching `path`, running until the test ends.
final class RunningSource: Sendable {
    let source: SQLiteDispatchSource
    private let task: Task<Void, Never>

    init(_ configuration: SQLiteSourceConfiguration) {
        let source = SQLiteDispatchSource(configuration: configuration)
        self.source = source
        task = Task { await source.run() }
    }

    convenience init(path: String, poll: Duration = .milliseconds(2), retry: Duration = .milliseconds(20)) {
        self.init(SQLiteSourceConfiguration(path: path, dayBoundary: .shanghai, pollInterval: poll, retryInterval: retry))
    }

    /// Waits until a published state satisfies `condition`; fails after `timeout` seconds.
    @discardableResult
    func wait(
        timeout: Double = 10, sourceLocation: SourceLocation = #_sourceLocation,
        until condition: @escaping @Sendable (SourceState) -> Bool
    ) async throws -> SourceState {
        let states = source.states()
        let found = await withTaskGroup(of: SourceState?.self) { group in
            group.addTask {
                for await state in states where condition(state) { return state }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(timeout))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let found else {
            let current = source.currentState
            Issue.record("no matching state within \(timeout) s; last health: \(current.health)", sourceLocation: sourceLocation)
            throw TestFailure("timed out")
        }
        return found
    }

    deinit { task.cancel() }
}
