import WallboardTransportCore

/// The kinds of transport a board's `transport:` may name, in the order errors list them. A new
/// kind is a folder beside `Serial/`, `TCP/` and `USB/` with its `TransportSetting`, and one line here.
public enum TransportKinds {
    public static let all: [any TransportSetting.Type] = [
        SerialTransportSetting.self,
        TCPTransportSetting.self,
        USBTransportSetting.self,
    ]
}
