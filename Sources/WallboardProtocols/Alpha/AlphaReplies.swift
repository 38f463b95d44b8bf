import WallboardRender

extension Alpha {
    /// The ACK/NAK a sign sends when ACK/NAK is enabled: `06` or `15`, then the Serial Error
    /// Status Register (bit 6 always set; 0x20 illegal command or label, 0x10 checksum,
    /// 0x08 buffer overflow, 0x04 timeout, 0x02 framing, 0x01 parity).
    public static func reply(status: UInt8) -> [UInt8] {
        [status & 0x3F == 0 ? 0x06 : 0x15, status | 0x40]
    }
}
