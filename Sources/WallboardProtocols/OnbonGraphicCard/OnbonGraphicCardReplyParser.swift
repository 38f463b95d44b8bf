import WallboardRender

/// Reads a graphic card's replies (ACK `A0 00`, NACK `A0 01` with the Error register).
public struct OnbonGraphicCardReplyParser: BoardReplyParser {
    private var scanner = OnbonFrameScanner(maximumBodyLength: 8192)

    public init() {}

    public mutating func feed(_ bytes: [UInt8]) -> [BoardReply] {
        scanner.replies(bytes, headerLength: OnbonGraphicCard.headerLength) { packet in
            do throws(OnbonGraphicDecodeError) {
                _ = try OnbonGraphicCard.checkedHeader(packet)
                return nil
            } catch {
                return error.message
            }
        } read: { data in
            guard data.count >= 7, data[1] == 0xA0 else { return .other(hexString(data.prefix(16))) }
            if data[2] == 0x00 { return .ack }
            return OnbonErrorCode.nack(code: Int(UInt16(data[5]) | UInt16(data[6]) << 8))
        }
    }
}
