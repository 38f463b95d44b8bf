import WallboardTransportCore

/// Plays a networked device that speaks datagrams (a video-wall processor on UDP 6000) on a UDP
/// port: each datagram goes to `device`, and its answers go back to the sender.
public final class UDPDeviceServer: Sendable {
    public let device: any ServedDatagramDevice
    private let socket: UDPSocket

    /// The port actually bound (the ephemeral one when 0 was asked for).
    public var port: UInt16 { socket.localPort }

    /// - Parameters:
    ///   - host: the IPv4 address to bind; "127.0.0.1" keeps the device on this machine.
    ///   - port: 0 for an ephemeral port.
    public init(device: any ServedDatagramDevice, host: String = "127.0.0.1", port: UInt16 = 0) throws {
        self.device = device
        self.socket = try UDPSocket(host: host, port: port)
    }

    /// Serves until the task is cancelled or `close()` is called.
    public func run() async throws {
        while !Task.isCancelled {
            guard let (datagram, sender) = try await socket.receive(timeout: .seconds(3600)) else { continue }
            for answer in await device.receive(datagram: datagram) {
                // A sender that went away does not stop the device serving the others.
                try? await socket.send(answer, to: sender)
            }
        }
    }

    public func close() { socket.close() }
}
