/// The board's side of a served connection: an emulator, or a fake board in tests.
public protocol ServedBoard: Sendable {
    /// Takes bytes as they arrived from the sender, in whatever chunks the line delivered, and
    /// returns the bytes the board answers with (empty for none).
    func receive(_ bytes: [UInt8]) async -> [UInt8]
}

/// A device's side of a datagram exchange (a video-wall processor's emulator, say).
public protocol ServedDatagramDevice: Sendable {
    /// Takes one datagram and returns the datagrams the device answers with (none: silence).
    func receive(datagram: [UInt8]) async -> [[UInt8]]
}
