import Foundation
import Synchronization
import WallboardDispatch
import WallboardSupport

/// The live reader's connection on a serial queue of its own: every SQLite call of a poll runs
/// there, never on Swift's cooperative pool, and the poll loop awaits each poll's outcome. One
/// hop per poll, whatever the snapshot holds.
final class SQLitePoller: Sendable {
    enum Outcome: Sendable {
        case changed(DispatchSnapshot, journalWarning: String?)
        case unchanged
    }

    private let queue = DispatchQueue(label: "wallboard.sqlite.reader")
    /// Locked only on `queue`, so never contended: the Mutex makes the reader's sharing checked by the compiler.
    private let reader: Mutex<SQLiteSnapshotReader>

    init(configuration: SQLiteSourceConfiguration) {
        reader = Mutex(SQLiteSnapshotReader(configuration: configuration))
    }

    /// Opens the file if it is not open, then reads a snapshot if `readAnyway`, if the file was
    /// just (re)opened, or if another connection committed since the last snapshot.
    func poll(readAnyway: Bool) async throws(SourceProblem) -> Outcome {
        try await queue.perform { () throws(SourceProblem) -> Outcome in
            dispatchPrecondition(condition: .onQueue(self.queue))
            return try self.reader.withLock { reader throws(SourceProblem) -> Outcome in
                var mustRead = readAnyway
                if !reader.isOpen {
                    try reader.open()
                    mustRead = true
                }
                let version = try reader.dataVersion()
                guard mustRead || version != reader.snapshotDataVersion else { return .unchanged }
                return .changed(try reader.readSnapshot(), journalWarning: reader.journalWarning)
            }
        }
    }

    func close() async {
        await queue.perform { self.reader.withLock { $0.close() } }
    }
}
