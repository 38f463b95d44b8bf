import ArgumentParser
import Foundation
import Glibc
import Synchronization
import WallboardCommandLine
import WallboardEmulator
import WallboardProtocols
import WallboardSupport
import WallboardTransport
import WallboardTransportCore

/// `wallboard-dev emulate-fleet`: many door boards on pseudo-terminals in one process (Onbon font
/// cards, and C-Power cards beside them), logging when each text reached each board. The soak and scale runs drive a service against it,
/// so the service's CPU, memory and descriptors are measured apart from the boards'.
struct EmulateFleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulate-fleet",
        abstract: "Play many door boards (BX-5K, C-Power) on pseudo-terminals and log every text they show, with its arrival time.",
        discussion: """
            Writes the boards' serial devices to --devices (one per line) once all are open, serves them until \
            standard input closes, then writes the log: one line per text change, tab-separated: board index, \
            Unix time of arrival, area id, text.
            """
    )

    @Option(help: "How many boards.")
    var count: Int

    @Option(help: "The boards' controllers, comma-separated, taken in turn: board i plays the (i mod count)th. bx5k, cpower.")
    var models = FleetModel.bx5k.rawValue

    @Option(help: "Write the boards' devices here, one per line, once all are serving.")
    var devices: String

    @Option(help: "Write the text log here when standard input closes.")
    var log: String

    @OptionGroup var fonts: FontsOptions

    func run() async throws {
        guard count > 0 else { throw ValidationError("--count must be at least 1") }
        let kinds = try FleetModel.list(models)
        let library = try fonts.library()
        let painter = FontChainPainter(chains: [16: try library.chain("cjk-16"), 24: try library.chain("cjk-24"), 32: try library.chain("cjk-32")])
        let journal = ArrivalJournal()
        var servers: [PseudoTerminalBoardServer] = []
        for index in 0..<count {
            let board = LoggingBoard(index: index, model: kinds[index % kinds.count], painter: painter, journal: journal)
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

/// A controller the fleet plays: one with a minimum time between updates and one without.
enum FleetModel: String, CaseIterable, Sendable {
    case bx5k
    case cpower

    /// `list` ("bx5k,cpower") as models, refusing a name the fleet cannot play.
    static func list(_ list: String) throws -> [FleetModel] {
        let models = try list.split(separator: ",").map { name in
            guard let model = FleetModel(rawValue: String(name)) else {
                throw ValidationError("--models: the fleet plays \(allCases.map(\.rawValue).joined(separator: ", ")), not '\(name)'")
            }
            return model
        }
        guard !models.isEmpty else { throw ValidationError("--models names no controller") }
        return models
    }

    /// The least time the controller allows between two updates (the protocols' registry); nil: none.
    var minimumUpdateInterval: Duration? { BoardProtocols.model(named: rawValue)?.minimumUpdateInterval }

    /// The name and the interval, for reports: "bx5k (minimum interval 1.0 s)".
    var described: String {
        rawValue + (minimumUpdateInterval.map { " (minimum interval \($0.inSeconds) s)" } ?? " (no minimum interval)")
    }
}

/// A door board that notes each area's (window's) text the moment it changes.
private actor LoggingBoard: ServedBoard {
    let index: Int
    /// One of the two, as `model` says.
    private var fontCard: OnbonFontCardEmulator?
    private var cpower: CPowerEmulator?
    private var shown: [UInt8: String] = [:]
    private let journal: ArrivalJournal

    init(index: Int, model: FleetModel, painter: any BoardTextPainter, journal: ArrivalJournal) {
        self.index = index
        switch model {
        case .bx5k: fontCard = OnbonFontCardEmulator(configuration: .init(width: 192, height: 32, model: .bx5k), painter: painter)
        case .cpower: cpower = CPowerEmulator(configuration: .init(width: 192, height: 32), painter: painter)
        }
        self.journal = journal
    }

    func receive(_ bytes: [UInt8]) async -> [UInt8] {
        // Stamped as the bytes reach the board, before decoding them: the log tells when the
        // service's update arrived, not how long this process took to decode a thousand of them.
        let arrived = Date().timeIntervalSince1970
        var answer: [UInt8] = []
        var texts: [UInt8: String] = [:]
        if let reply = fontCard?.receive(bytes) {
            answer = reply
            texts = fontCard?.areas.mapValues(\.text.plainText) ?? [:]
        } else if let reply = cpower?.receive(bytes) {
            answer = reply
            texts = cpower?.texts.mapValues(\.text) ?? [:]
        }
        for (id, text) in texts where shown[id] != text {
            shown[id] = text
            journal.add(board: index, at: arrived, area: id, text: text)
        }
        return answer
    }
}

/// Every board's text changes, in arrival order per board.
private final class ArrivalJournal: Sendable {
    private struct Entry {
        let board: Int
        let time: Double
        let area: UInt8
        let text: String
    }

    private let entries = Mutex<[Entry]>([])

    /// Kept as given and written out only in `lines()`: formatting here would cost the process
    /// that plays a thousand boards its time at the minute's turn, and delay the next board's reading.
    func add(board: Int, at time: Double, area: UInt8, text: String) {
        entries.withLock { $0.append(Entry(board: board, time: time, area: area, text: text)) }
    }

    func lines() -> String {
        entries.withLock { entries in
            entries.map { entry in
                let clean = entry.text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
                return "\(entry.board)\t\(String(format: "%.6f", entry.time))\t\(entry.area)\t\(clean)\n"
            }.joined()
        }
    }
}
