import WallboardProtocols
import WallboardRender
import WallboardTransportCore

/// A board emulator served on a transport: bytes from the line in, the controller's answers out,
/// and what the board shows for previews and tests.
public actor EmulatedBoard: ServedBoard {
    private var emulator: any BoardEmulator
    /// Bumped whenever the emulator takes bytes, so watchers redraw only after a change.
    public private(set) var generation = 0

    public init(_ emulator: any BoardEmulator) {
        self.emulator = emulator
    }

    /// The emulator for `model` of the given size; nil for boards with no byte-stream emulator.
    public init?(
        _ model: BoardModel, width: Int, height: Int, painter: any BoardTextPainter, charset: ControllerCharset = .gb2312,
        card: CPowerCardAddress = CPowerCardAddress()
    ) {
        guard let emulator = makeEmulator(for: model, width: width, height: height, painter: painter, charset: charset, card: card) else { return nil }
        self.init(emulator)
    }

    public func receive(_ bytes: [UInt8]) async -> [UInt8] {
        generation += 1
        return emulator.receive(bytes)
    }

    public func receive(_ bytes: [UInt8], on connection: Int) async -> [UInt8] {
        generation += 1
        return emulator.receive(bytes, on: connection)
    }

    public func connectionClosed(_ connection: Int) async {
        emulator.connectionClosed(connection)
    }

    /// What the board shows now.
    public func render() -> Bitmap { emulator.render() }

    public var journal: [BoardEvent] { emulator.journal }

    /// The emulator itself, for checking its state.
    public var state: any BoardEmulator { emulator }
}
