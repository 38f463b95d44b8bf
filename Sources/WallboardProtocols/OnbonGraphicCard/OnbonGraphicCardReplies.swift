import WallboardRender

extension OnbonGraphicCard {
    /// The controller's answer: `00 A0 00|01 Status(2) Error(2) DataLen(2)=0`.
    public static func reply(to header: OnbonGraphicHeader, error: OnbonErrorCode) -> [UInt8] {
        var writer = ByteWriter(capacity: 9)
        writer.u8(0)
        writer.u8(0xA0)
        writer.u8(error == .none ? 0x00 : 0x01)
        writer.u16(error == .none ? 0 : 1)
        writer.u16(error.rawValue)
        writer.u16(0)
        let replyHeader = self.header(destination: header.source, source: header.destination, deviceType: header.deviceType, dataLength: writer.bytes.count)
        return OnbonFraming.frame(OnbonFraming.packet(header: replyHeader, data: writer.bytes))
    }
}
