/// Reads a card's replies in either framing: an external call's return code (00 success, 01
/// checksum error: worth sending again), a basic command's success byte.
public struct CPowerReplyParser: BoardReplyParser {
    private var scanner = CPowerFrameScanner()

    public init() {}

    /// A damaged packet may arrive whole when sent again; any other refusal would be refused again.
    public static func isRetryable(_ code: Int) -> Bool { code == Int(CPower.ReturnCode.checksum) }

    public mutating func feed(_ bytes: [UInt8]) -> [BoardReply] {
        scanner.feed(bytes).map { frame in
            switch frame {
            case .damaged(let damage): return .garbled(damage.reason)
            case .packet(let packet, let framing): return Self.read(packet, framing: framing)
            }
        }
    }

    static func read(_ packet: CPowerPacket, framing: CPowerFraming) -> BoardReply {
        func refusal(_ code: UInt8) -> BoardReply { .nack(code: Int(code), explanation: CPower.ReturnCode.meaning(Int(code))) }
        if packet.command == CPower.externalCallCommand {
            return packet.confirm == CPower.ReturnCode.success ? .ack : refusal(packet.confirm)
        }
        if framing != .serial, packet.confirm != CPower.ReturnCode.success { return refusal(packet.confirm) }
        switch (packet.command, packet.data.first) {
        case (CPower.screenPowerCommand, .some): return .ack
        case (_, 0x01): return .ack
        case (_, 0x00): return .nack(code: 0, explanation: "command \(hexString([packet.command])) failed")
        default: return .other("command \(hexString([packet.command])) \(hexString(packet.data.prefix(16)))")
        }
    }
}
