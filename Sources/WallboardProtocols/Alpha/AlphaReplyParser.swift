import WallboardRender

/// Reads an Alpha sign's ACK (`06` + status) and NAK (`15` + status) replies.
public struct AlphaReplyParser: BoardReplyParser {
    private var awaitingNakStatus = false

    public init() {}

    public mutating func feed(_ bytes: [UInt8]) -> [BoardReply] {
        var replies: [BoardReply] = []
        for byte in bytes {
            if awaitingNakStatus {
                awaitingNakStatus = false
                replies.append(.nack(code: Int(byte), explanation: AlphaReplyParser.explain(byte)))
                continue
            }
            switch byte {
            case 0x06: replies.append(.ack)
            case 0x15: awaitingNakStatus = true
            default: continue  // the status byte after an ACK, or line noise
            }
        }
        return replies
    }

    /// A status naming only damage on the line (checksum, overflow, timeout, framing, parity) is
    /// worth sending again; an illegal command or label is not.
    static func isRetryable(_ code: Int) -> Bool {
        code & 0x20 == 0 && code & 0x1F != 0
    }

    static func explain(_ status: UInt8) -> String {
        let bits: [(UInt8, String)] = [
            (0x20, "illegal command or file label"), (0x10, "checksum error"), (0x08, "serial buffer overflow"),
            (0x04, "serial timeout"), (0x02, "bit framing error (check baud rate and parity)"), (0x01, "parity error"),
        ]
        let named = bits.filter { status & $0.0 != 0 }.map(\.1)
        return named.isEmpty ? "no error bit set" : named.joined(separator: ", ")
    }
}
