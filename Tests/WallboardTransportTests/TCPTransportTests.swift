import Glibc
import Testing
@testable import WallboardTransport
import WallboardTransportCore

@Suite("TCP transport against a local listener")
struct TCPTransportTests {
    @Test("bytes arrive exactly, the controller's answer comes back, and delivery acknowledges")
    func roundTrip() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let transport = TCPTransport(host: "127.0.0.1", port: listener.port)
        #expect(transport.deviceName == "127.0.0.1:\(listener.port)")
        let link = BoardLink(name: "hall", transport: transport, replies: AckByteInterpreter(), policy: patientPolicy)

        async let controller: [UInt8] = {
            let connection = try await listener.accept(timeout: .seconds(10))
            let received = try await connection.read(exactly: everyByte.count)
            try await connection.writeAll([0xAC], deadline: Duration.seconds(5).fromNow)
            return received
        }()
        #expect(await link.send(everyByte) == .delivered(attempts: 1))
        #expect(try await controller == everyByte)
        await link.close()
    }

    @Test("the controller hanging up reads as disconnected")
    func peerCloses() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let transport = TCPTransport(host: "127.0.0.1", port: listener.port)
        try await transport.open()
        let connection = try await listener.accept(timeout: .seconds(10))
        connection.close()
        let error = try await #require(throws: TransportError.self) {
            try await transport.read(upTo: 16, timeout: .seconds(10))
        }
        #expect(error.kind == .disconnected)
        await transport.close()
    }

    @Test("nobody listening: refused at once, reported as disconnected with host and port")
    func refused() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let port = listener.port
        listener.close()
        let transport = TCPTransport(host: "127.0.0.1", port: port)
        let error = try await #require(throws: TransportError.self) { try await transport.open() }
        #expect(error.kind == .disconnected)
        #expect(error.code == ECONNREFUSED)
        #expect(error.description.hasPrefix("127.0.0.1:\(port): connect:"))
    }

    @Test("a controller that never completes the handshake times out")
    func connectTimeout() async throws {
        // A full accept queue makes Linux drop further SYNs: the connect stays pending.
        let listener = try TCPListener(host: "127.0.0.1", port: 0, backlog: 0)
        defer { listener.close() }
        var fillers: [TCPTransport] = []
        var timedOut: TransportError?
        for _ in 0..<8 where timedOut == nil {
            let transport = TCPTransport(host: "127.0.0.1", port: listener.port, connectTimeout: .milliseconds(200))
            do {
                try await transport.open()
                fillers.append(transport)
            } catch let error as TransportError {
                timedOut = error
            }
        }
        let error = try #require(timedOut)
        #expect(error.kind == .timedOut)
        #expect(error.operation == "connect")
        for transport in fillers { await transport.close() }
    }

    @Test("an unknown host name is not found")
    func unknownHost() async throws {
        let transport = TCPTransport(host: "no-such-board.invalid", port: 5005)
        let error = try await #require(throws: TransportError.self) { try await transport.open() }
        #expect(error.kind == .notFound)
        #expect(error.operation == "getaddrinfo")
    }
}
