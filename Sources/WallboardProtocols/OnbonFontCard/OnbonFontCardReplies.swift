import WallboardRender

extension OnbonFontCard {
    /// The frame a controller answers `request` with (ACK, or NACK with `error`), addressed
    /// back to the sender.
    public static func reply(to header: OnbonFontCardHeader, error: OnbonErrorCode) -> [UInt8] {
        var writer = ByteWriter(capacity: headerLength)
        writer.u16(header.source)
        writer.u16(header.destination)
        writer.zeros(6)
        writer.u8(header.deviceType)
        writer.u8(header.protocolVersion)
        writer.u16(5)
        let data: [UInt8] = error == .none ? [0xA0, 0x00, 0x00, 0, 0] : [0xA0, 0x01, UInt8(truncatingIfNeeded: error.rawValue), 0, 0]
        return OnbonFraming.frame(OnbonFraming.packet(header: writer.bytes, data: data), preamble: replyPreamble)
    }
}
