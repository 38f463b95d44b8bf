import ArgumentParser
import Foundation
import Glibc
import Synchronization
import WallboardCommandLine
import WallboardEmulator
import WallboardProtocols
import WallboardTransport
import WallboardTransportCore

/// `wallboard-dev emulate-fleet`: many Onbon font-card door boards on pseudo-terminals in one process,
/// logging when each text reached each board. The soak and scale runs drive a service against it,
/// so the service's CPU, memory and descriptors are measured apart from the boards'.
struct EmulateFleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulate-fleet",
        abstract: "Play many BX-5K door boards on pseudo-terminals and log every text they show, with its arrival time.",
        discussion: """
            Writes the boards' serial devices to --devices (one per line) once all are open, serves them until \
            standard input closes, then writes the log: one line per text change, tab-separated: board index, \
            Unix time of arrival, area id, text.
            """
    )

    @Option(help: "How many boards.")
    var count: Int

    @Option(help: "Write the boards' devices here, one per line, once all are serving.")
    var devices: String

    @Option(help: "Write the text log here when standard input closes.")
    var log: String

    @OptionGroup var fonts: FontsOptions

    func run() async throws {
        guard count > 0 else { throw ValidationError("--count must be at least 1") }
        let library = try fonts.library()
        let painter = FontChainPainter(chains: [16: try library.chain("cjk-16"), 24: try library.chain("cjk-24"), 32: try library.chain("cjk-32")])
        let journal = ArrivalJournal()
        var servers: [PseudoTerminalBoardServer] = []
        for index in 0..<count {
            let board = LoggingFontCard(index: index, painter: painter, journal: journal)
            servers.append(try PseudoTerminalBoardServer(board: board))
        }
        defer { for server in servers { server.close() } }
        let listing = servers.map(\.devicePath).joined(separator: "\n") + "\n"
        try Data(listing.utf8).write(to: URL(fileURLWithPath: devices), options: .atomic)
        await withTaskGroup(of: Void.self) { group in
            for server in servers {
                group.addTask { try? await server.run() }
            }
            await Self.standardInputClosed()
            group.cancelAll()
            for server in servers { server.close() }
        }
        try Data(journal.lines().utf8).write(to: URL(fileURLWithPath: log), options: .atomic)
    }

    /// Returns once standard input reaches its end (the driving process closed its side or ended).
    static func standardInputClosed() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                var buffer = [UInt8](repeating: 0, count: 256)
                while true {
                    let count = read(0, &buffer, buffer.count)
                    if count == 0 || (count < 0 && errno != EINTR) { break }
                }
                continuation.resume()
            }
        }
    }
}

/// A BX-5K font card that notes each area's text the moment it changes.
private actor LoggingFontCard: ServedBoard {
    let index: Int
    private var emulator: OnbonFontCardEmulator
    private var shown: [UInt8: String] = [:]
    private let journal: ArrivalJournal

    init(index: Int, painter: any BoardTextPainter, journal: ArrivalJournal) {
        self.index = index
        emulator = OnbonFontCardEmulator(configuration: .init(width: 192, height: 32, model: .bx5k), painter: painter)
        self.journal = journal
    }

    func receive(_ bytes: [UInt8]) async -> [UInt8] {
        let answer = emulator.receive(bytes)
        let now = Date().timeIntervalSince1970
        for (id, area) in emulator.areas {
            let text = area.text.plainText
            if shown[id] != text {
                shown[id] = text
                journal.add(board: index, at: now, area: id, text: text)
            }
        }
        return answer
    }
}

/// Every board's text changes, in arrival order per board.
private final class ArrivalJournal: Sendable {
    private let entries = Mutex<[String]>([])

    func add(board: Int, at time: Double, area: UInt8, text: String) {
        let clean = text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
        let line = "\(board)\t\(String(format: "%.6f", time))\t\(area)\t\(clean)"
        entries.withLock { $0.append(line) }
    }

    func lines() -> String {
        entries.withLock { $0.map { $0 + "\n" }.joined() }
    }
}
