import Testing
@testable import WallboardTransport
import WallboardTransportCore

/// Boards played at the controlling end of real pseudo-terminals, delivery through termios.
@Suite("Delivery over pseudo-terminals")
struct SerialDeliveryTests {
    let frame: [UInt8] = [0xC9, 0xDA, 0x00, 0x06, 0xFF, 0x00, 0x00, 0x00, 0xFF, 0x00, 0x36]

    /// Reads one frame at the board end and answers it.
    func answerOneFrame(on pty: PseudoTerminal, with reply: [UInt8]) async throws -> [UInt8] {
        let received = try await pty.read(exactly: frame.count, timeout: .seconds(10))
        if !reply.isEmpty { try await pty.write(reply) }
        return received
    }

    @Test("the board receives the exact frame and its ACK delivers it")
    func acknowledged() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let link = BoardLink(name: "door", transport: SerialTransport(path: pty.devicePath),
                             replies: AckByteInterpreter(), policy: patientPolicy)
        async let board = answerOneFrame(on: pty, with: [0xAC])
        #expect(await link.send(frame) == .delivered(attempts: 1))
        #expect(try await board == frame)
        #expect(await link.status.bytesSent == frame.count)
        await link.close()
    }

    @Test("a silent board: the frame goes out on every attempt and the status says no reply")
    func silent() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let link = BoardLink(name: "door", transport: SerialTransport(path: pty.devicePath),
                             replies: AckByteInterpreter(), policy: fastPolicy)
        #expect(await link.send(frame) == .failed(.noReply, attempts: 2))
        #expect(try await pty.read(exactly: 2 * frame.count, timeout: .seconds(10)) == frame + frame)
        #expect(await link.status.lastError == "\(pty.devicePath): no reply within 0.15 seconds")
        await link.close()
    }

    @Test("a board answering garbage: bad reply, and the bytes are in the last error")
    func garbage() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let policy = DeliveryPolicy(replyTimeout: .seconds(10), maxAttempts: 1)
        let link = BoardLink(name: "door", transport: SerialTransport(path: pty.devicePath),
                             replies: AckByteInterpreter(), policy: policy)
        async let board = answerOneFrame(on: pty, with: [0x00, 0xFF, 0x7E])
        #expect(await link.send(frame) == .failed(.badReply, attempts: 1))
        _ = try await board
        #expect(await link.status.lastError?.contains("00 FF 7E") == true)
        await link.close()
    }

    @Test("a NACK carries the board's error code")
    func nack() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let policy = DeliveryPolicy(replyTimeout: .seconds(10), maxAttempts: 1)
        let link = BoardLink(name: "door", transport: SerialTransport(path: pty.devicePath),
                             replies: AckByteInterpreter(), policy: policy)
        async let board = answerOneFrame(on: pty, with: [0x15, 0x0C])
        #expect(await link.send(frame)
            == .failed(.rejected(BoardError(code: 12, meaning: "refused", isRetryable: false)), attempts: 1))
        _ = try await board
        await link.close()
    }

    @Test("the terminal closing mid-frame reads as disconnected; once it is back the board is used again")
    func closedMidFrameThenBack() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try PseudoTerminal()
        let stableName = try directory.link("door", to: first.devicePath)
        let policy = DeliveryPolicy(replyTimeout: .seconds(30), maxAttempts: 1)
        let link = BoardLink(name: "door", transport: SerialTransport(path: stableName),
                             replies: AckByteInterpreter(), policy: policy)

        async let outcome = link.send(frame)
        // The board takes part of the frame, then its adapter is pulled.
        #expect(try await first.read(exactly: 4, timeout: .seconds(10)) == Array(frame.prefix(4)))
        first.close()
        #expect(await outcome == .failed(.disconnected, attempts: 1))
        #expect(await link.status.health == .disconnected)
        #expect(await link.status.lastError?.hasPrefix(stableName) == true)

        // Still gone: the stable name points nowhere.
        #expect(await link.send(frame) == .failed(.disconnected, attempts: 1))
        #expect(await link.status.lastError?.contains("open") == true)

        // Plugged back in: a new terminal behind the same stable name.
        let second = try PseudoTerminal()
        defer { second.close() }
        _ = try directory.link("door", to: second.devicePath)
        async let board = answerOneFrame(on: second, with: [0xAC])
        #expect(await link.send(frame) == .delivered(attempts: 1))
        #expect(try await board == frame)
        #expect(await link.status.health == .ok)
        await link.close()
    }

    @Test("boards stalled without an answer hold up no other board")
    func stalledBoardsDoNotStallOthers() async throws {
        let silentTerminals = try (0..<20).map { _ in try PseudoTerminal() }
        let answering = try PseudoTerminal()
        defer {
            silentTerminals.forEach { $0.close() }
            answering.close()
        }
        let patient = DeliveryPolicy(replyTimeout: .seconds(600), maxAttempts: 1)
        let silentLinks = silentTerminals.map {
            BoardLink(name: "silent", transport: SerialTransport(path: $0.devicePath),
                      replies: AckByteInterpreter(), policy: patient)
        }
        let stalled = silentLinks.map { link in Task { await link.send(frame) } }
        // Every silent board has its frame: each link now waits for an answer that never comes.
        for terminal in silentTerminals {
            #expect(try await terminal.read(exactly: frame.count, timeout: .seconds(10)) == frame)
        }

        let link = BoardLink(name: "answering", transport: SerialTransport(path: answering.devicePath),
                             replies: AckByteInterpreter(), policy: patient)
        for _ in 0..<5 {
            async let board = answerOneFrame(on: answering, with: [0xAC])
            #expect(await link.send(frame) == .delivered(attempts: 1))
            _ = try await board
        }
        for silent in silentLinks {
            #expect(await silent.status.health == .unknown)
        }

        stalled.forEach { $0.cancel() }
        for task in stalled {
            if case .delivered = await task.value { Issue.record("a silent board cannot deliver") }
        }
        await link.close()
        for silent in silentLinks { await silent.close() }
    }
}
