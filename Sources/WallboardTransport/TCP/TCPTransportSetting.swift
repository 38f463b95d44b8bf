import WallboardTransportCore
import WallboardYAML

/// `tcp: HOST:PORT`: a networked controller.
public struct TCPTransportSetting: TransportSetting, Equatable {
    public static let name = "tcp"
    public static let keys: [String] = []

    public let host: String
    public let port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    public static func parse(_ value: YAMLValue, fields: YAMLMapping) throws -> TCPTransportSetting {
        let text = try value.string()
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]), port > 0,
              colon != text.startIndex
        else { throw value.error("'tcp' is host:port (such as 10.1.2.3:5005), not '\(text)'") }
        return TCPTransportSetting(host: String(text[..<colon]), port: port)
    }

    public var description: String { "\(host):\(port)" }

    public var isNetworkConnection: Bool { true }

    public func makeTransport() throws -> any Transport {
        TCPTransport(host: host, port: port)
    }
}
