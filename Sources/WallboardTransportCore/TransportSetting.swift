import WallboardYAML

/// One kind of transport as a board's `transport:` names it (`serial: /dev/ttyUSB0`,
/// `tcp: HOST:PORT`, …), read from the configuration: its keys, how they are read, and the
/// transport it makes. A kind is a folder under `Sources/WallboardTransport/` with a type that
/// conforms, and one line in `TransportKinds.all`.
public protocol TransportSetting: Sendable, CustomStringConvertible {
    /// The key that names the kind under `transport:`; its value names the device.
    static var name: String { get }
    /// The keys the kind takes beside its name (`baud`, `parity`, …).
    static var keys: [String] { get }
    /// Reads the setting from the value of its name and the other fields of `transport:`, with
    /// errors at file:line:column.
    static func parse(_ value: YAMLValue, fields: YAMLMapping) throws -> Self

    /// The transport this setting describes, not yet open.
    func makeTransport() throws -> any Transport

    /// True for a connection over the network, where a protocol may frame its packets
    /// differently from a serial line (C-Power does).
    var isNetworkConnection: Bool { get }
}

extension TransportSetting {
    public var isNetworkConnection: Bool { false }
}
