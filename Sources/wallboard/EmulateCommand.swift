import ArgumentParser
import Foundation
import WallboardCommandLine
import WallboardEmulator
import WallboardExport
import WallboardProtocols
import WallboardRender
import WallboardTransport

/// `wallboard emulate`: plays a board on a pseudo-terminal or a TCP port and shows what it shows.
struct EmulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulate",
        abstract: "Play an LED board on a pseudo-terminal or TCP port: decode frames, answer like the controller, show the board.",
        discussion: "Prints the serial device (or port) to point a sender at, then runs until interrupted."
    )

    @Option(name: .customLong("protocol"), help: ArgumentHelp("The board's protocol and controller: \(emulatedModels.map(\.name).joined(separator: ", ")); or \(NovaStarProcessorEmulator.protocolName), a NovaStar H-series video-wall processor (with --udp)."))
    var boardProtocol: String

    @Flag(help: "Serve on a new pseudo-terminal (the default).")
    var pty = false

    @Option(help: "Serve on this TCP port of 127.0.0.1 instead (0: any free port).")
    var tcp: UInt16?

    @Option(help: "Serve a video-wall processor on this UDP port of 127.0.0.1 (0: any free port; the processors' own is 6000).")
    var udp: UInt16?

    @Option(help: "A video-wall processor's screens, each with presets 1...16.")
    var screens = 1

    @Option(help: "A video-wall processor's input cards (slots), each with 4 interfaces.")
    var slots = 1

    @Option(help: "The board's size, WIDTHxHEIGHT.")
    var size = BoardSize(width: 192, height: 32)

    @Option(help: "A font card's font library: gb2312 or gbk.")
    var charset = ControllerCharset.gb2312

    @Option(name: .customLong("card-id"), help: "A C-Power card's card ID, 1...255 (it also takes 255, FF, the broadcast); packets for another are ignored.")
    var cardID: UInt8 = CPower.defaultCardID

    @Option(name: .customLong("id-code"), help: "A C-Power card's network ID code, eight hexadecimal digits; network packets with another are ignored.")
    var idCode = "FFFFFFFF"

    @Option(help: "Write what the board shows to this PNG after every change.")
    var png: String?

    @Flag(help: "Draw what the board shows in the terminal after every change.")
    var terminal = false

    @Option(help: "Stop after this many seconds (default: run until interrupted).")
    var seconds: Double?

    @OptionGroup var fonts: FontsOptions

    func run() async throws {
        if boardProtocol == NovaStarProcessorEmulator.protocolName {
            try await runProcessor()
            return
        }
        guard let board = emulatedModels.first(where: { $0.name == boardProtocol }) else {
            throw ValidationError("unknown protocol '\(boardProtocol)'; use \(emulatedModels.map(\.name).joined(separator: ", "))")
        }
        let library = try fonts.library()
        let painter = FontChainPainter(chains: [12: try library.chain("cjk-12"), 16: try library.chain("cjk-16"), 24: try library.chain("cjk-24"), 32: try library.chain("cjk-32")])
        guard cardID >= 1, idCode.count == 8, let code = UInt32(idCode, radix: 16) else {
            throw ValidationError("--card-id is 1...255 and --id-code eight hexadecimal digits (FFFFFFFF until it is set), not \(cardID) and '\(idCode)'")
        }
        let card = CPowerCardAddress(cardID: cardID, idCode: code)
        guard let emulated = EmulatedBoard(board, width: size.width, height: size.height, painter: painter, charset: charset, card: card) else {
            throw ValidationError("no emulator for \(boardProtocol)")
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let port = tcp {
                let server = try TCPBoardServer(board: emulated, port: port)
                announce("\(board.name) \(size.width)x\(size.height) board\(await Self.addressed(emulated)) listening on 127.0.0.1:\(server.port)")
                group.addTask { try await server.run() }
            } else {
                let server = try PseudoTerminalBoardServer(board: emulated)
                announce("\(board.name) \(size.width)x\(size.height) board\(await Self.addressed(emulated)) on \(server.devicePath)")
                group.addTask { try await server.run() }
            }
            group.addTask { try await show(emulated) }
            if let seconds {
                group.addTask { try await Task.sleep(for: .seconds(seconds)) }
                _ = try await group.next()
                group.cancelAll()
            } else {
                try await group.waitForAll()
            }
        }
    }

    /// The card a C-Power emulator answers to, as its setup software shows it; empty for other boards.
    private static func addressed(_ emulated: EmulatedBoard) async -> String {
        guard let card = await emulated.state as? CPowerEmulator else { return "" }
        return " (card ID \(card.configuration.cardID), ID code \(String(format: "%08X", card.configuration.idCode)))"
    }

    /// Plays a NovaStar processor on a UDP port and prints each command it receives and what it did.
    private func runProcessor() async throws {
        guard let port = udp else { throw ValidationError("\(boardProtocol) is served over UDP: give --udp PORT") }
        let emulated = NovaStarProcessorEmulator(screens: screens, slots: slots)
        let server = try UDPDeviceServer(device: emulated, port: port)
        announce("\(boardProtocol) processor, \(screens) screen(s) and \(slots) input card(s), on udp 127.0.0.1:\(server.port)")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            group.addTask {
                var printed = 0
                while !Task.isCancelled {
                    let journal = await emulated.journal
                    for event in journal.dropFirst(printed) { print(event) }
                    printed = journal.count
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            if let seconds {
                group.addTask { try await Task.sleep(for: .seconds(seconds)) }
                _ = try await group.next()
                server.close()
                group.cancelAll()
            } else {
                try await group.waitForAll()
            }
        }
    }

    /// Redraws the PNG or the terminal picture whenever the board took new bytes.
    private func show(_ emulated: EmulatedBoard) async throws {
        var shown = -1
        while !Task.isCancelled {
            let generation = await emulated.generation
            if generation != shown {
                shown = generation
                let bitmap = await emulated.render()
                if let png {
                    let temporary = png + ".partial"
                    try Data(PNG.encode(bitmap, scale: 4, ledDots: true)).write(to: URL(fileURLWithPath: temporary))
                    _ = rename(temporary, png)
                }
                if terminal {
                    FileHandle.standardOutput.write(Data(("\u{1B}[H\u{1B}[2J" + AsciiPicture.render(bitmap) + "\n").utf8))
                    for event in await emulated.journal.suffix(3) { print(event) }
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

extension ControllerCharset: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(rawValue: argument.uppercased())
    }

    public static var allValueStrings: [String] { allCases.map { $0.rawValue.lowercased() } }
}

/// Prints where an emulator listens and flushes it at once, also into a pipe or file, so that
/// whoever started it (a script, a test) can read the port while it runs.
private func announce(_ line: String) {
    print(line)
    fflush(nil)
}
