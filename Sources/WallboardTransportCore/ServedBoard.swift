/// The board's side of a served connection: an emulator, or a fake board in tests.
public protocol ServedBoard: Sendable {
    /// Takes bytes as they arrived from the sender, in whatever chunks the line delivered, and
    /// returns the bytes the board answers with (empty for none).
    func receive(_ bytes: [UInt8]) async -> [UInt8]
    /// The same, from one of several connections served at once (a TCP port), named by a
    /// number that stays its own while it is open.
    func receive(_ bytes: [UInt8], on connection: Int) async -> [UInt8]
    /// The connection closed: its sender hung up or went away.
    func connectionClosed(_ connection: Int) async
}

extension ServedBoard {
    public func receive(_ bytes: [UInt8], on connection: Int) async -> [UInt8] { await receive(bytes) }
    public func connectionClosed(_ connection: Int) async {}
}

/// A device's side of a datagram exchange (a video-wall processor's emulator, say).
public protocol ServedDatagramDevice: Sendable {
    /// Takes one datagram and returns the datagrams the device answers with (none: silence).
    func receive(datagram: [UInt8]) async -> [[UInt8]]
}
