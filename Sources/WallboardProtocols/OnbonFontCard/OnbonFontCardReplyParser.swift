import WallboardRender

/// Reads a font card's replies: `A0 00` ACK, `A0 01 code` NACK.
public struct OnbonFontCardReplyParser: BoardReplyParser {
    private var scanner = OnbonFrameScanner(maximumBodyLength: 4096)

    public init() {}

    public mutating func feed(_ bytes: [UInt8]) -> [BoardReply] {
        scanner.replies(bytes, headerLength: OnbonFontCard.headerLength) { packet in
            do throws(OnbonDecodeError) {
                _ = try OnbonFontCard.checkedHeader(packet)
                return nil
            } catch {
                return error.message
            }
        } read: { data in
            switch (data.first, data.dropFirst().first) {
            case (0xA0, 0x00): return .ack
            case (0xA0, 0x01): return OnbonErrorCode.nack(code: Int(data.count > 2 ? data[2] : 0))
            default: return .other(hexString(data.prefix(16)))
            }
        }
    }
}
