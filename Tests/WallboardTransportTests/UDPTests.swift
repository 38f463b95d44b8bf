import Testing
import WallboardTransport
import WallboardTransportCore

/// Datagrams over real loopback sockets, through the shared I/O loop.
@Suite struct UDPTests {
    /// Answers each datagram with two: the datagram reversed, then its length.
    actor Reverser: ServedDatagramDevice {
        private(set) var received: [[UInt8]] = []

        func receive(datagram: [UInt8]) async -> [[UInt8]] {
            received.append(datagram)
            return [datagram.reversed(), [UInt8(datagram.count)]]
        }
    }

    @Test func aServedDeviceAnswersTheSenderWithEachOfItsDatagrams() async throws {
        let device = Reverser()
        let server = try UDPDeviceServer(device: device)
        let serving = Task { try await server.run() }
        defer {
            serving.cancel()
            server.close()
        }
        let client = try UDPSocket(host: "127.0.0.1")
        defer { client.close() }
        let peer = try UDPPeer(host: "127.0.0.1", port: server.port)
        try await client.send([1, 2, 3], to: peer)
        let first = try #require(try await client.receive(timeout: .seconds(5)))
        #expect(first.datagram == [3, 2, 1])
        #expect(first.from == peer)
        #expect(try await client.receive(timeout: .seconds(5))?.datagram == [3])
        #expect(await device.received == [[1, 2, 3]])
        #expect(peer.description == "127.0.0.1:\(server.port)")
    }

    @Test func nothingArrivingIsNilAfterTheTimeoutAndASilentPeerIsNoError() async throws {
        let client = try UDPSocket(host: "127.0.0.1")
        defer { client.close() }
        // A port nobody listens on: the kernel's refusal must not surface as a failure.
        let nobody = try UDPSocket(host: "127.0.0.1")
        let port = nobody.localPort
        nobody.close()
        try await client.send([0x42], to: try UDPPeer(host: "127.0.0.1", port: port))
        let started = ContinuousClock.now
        #expect(try await client.receive(timeout: .milliseconds(150)) == nil)
        #expect(ContinuousClock.now - started >= .milliseconds(150))
    }

    @Test func anAddressThatIsNotIPv4IsRefusedByName() {
        let error = #expect(throws: TransportError.self) { try UDPPeer(host: "wall-splicer.local", port: 6000) }
        #expect(error?.description.contains("wall-splicer.local is not an IPv4 address") == true, "\(String(describing: error))")
    }

    @Test func aClosedSocketSaysSo() async throws {
        let socket = try UDPSocket(host: "127.0.0.1")
        socket.close()
        let error = await #expect(throws: TransportError.self) { try await socket.receive(timeout: .seconds(1)) }
        #expect(error?.kind == .notOpen)
    }
}
