import Synchronization
import Testing
@testable import WallboardTransport
import WallboardTransportCore

/// A board that collects bytes until its frame end byte and answers each whole frame with `AC`,
/// as a TPM2 device does.
final class FrameCountingBoard: ServedBoard {
    private let state = Mutex<(pending: [UInt8], frames: [[UInt8]])>(([], []))
    let frameEnd: UInt8

    init(frameEnd: UInt8 = 0x36) { self.frameEnd = frameEnd }

    var frames: [[UInt8]] { state.withLock { $0.frames } }

    func receive(_ bytes: [UInt8]) async -> [UInt8] {
        state.withLock { state in
            var answer: [UInt8] = []
            for byte in bytes {
                state.pending.append(byte)
                if byte == frameEnd {
                    state.frames.append(state.pending)
                    state.pending = []
                    answer.append(0xAC)
                }
            }
            return answer
        }
    }
}

@Suite("Serving a board on a pseudo-terminal or a TCP port")
struct BoardServerTests {
    let frame: [UInt8] = [0xC9, 0xDA, 0x00, 0x03, 0x10, 0x20, 0x30, 0x36]

    @Test("a serial sender reaches the served board through the pseudo-terminal, across reopening")
    func pseudoTerminal() async throws {
        let board = FrameCountingBoard()
        let server = try PseudoTerminalBoardServer(board: board)
        let serving = Task { try await server.run() }
        let transport = SerialTransport(path: server.devicePath, settings: SerialSettings(baudRate: 57600))
        let link = BoardLink(name: "tpm2", transport: transport, replies: AckByteInterpreter(),
                             policy: patientPolicy)
        #expect(await link.send(frame) == .delivered(attempts: 1))
        await link.close()
        #expect(await link.send(frame) == .delivered(attempts: 1))
        #expect(board.frames == [frame, frame])
        await link.close()
        server.close()
        try await serving.value
    }

    @Test("TCP senders reach the served board, several connections one after another")
    func tcp() async throws {
        let board = FrameCountingBoard()
        let server = try TCPBoardServer(board: board)
        let serving = Task { try await server.run() }
        for _ in 0..<3 {
            let link = BoardLink(name: "bx6e", transport: TCPTransport(host: "127.0.0.1", port: server.port),
                                 replies: AckByteInterpreter(), policy: patientPolicy)
            #expect(await link.send(frame) == .delivered(attempts: 1))
            await link.close()
        }
        #expect(board.frames.count == 3)
        serving.cancel()
        try await serving.value
        server.close()
    }

    @Test("a listen address that is not IPv4 is refused")
    func badAddress() {
        #expect(throws: TransportError.self) { try TCPBoardServer(board: FrameCountingBoard(), host: "localhost") }
    }
}
