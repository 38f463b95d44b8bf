/// What a board said back, in the terms the delivery layer needs for a board's status.
public enum BoardReply: Equatable, Sendable, CustomStringConvertible {
    /// The board accepted the command.
    case ack
    /// The board refused it; `code` is the board's own error number.
    case nack(code: Int, explanation: String)
    /// A well-formed reply that is neither ACK nor NACK (a status or data reply).
    case other(String)
    /// Bytes that looked like a reply but were damaged (bad checksum, broken escaping).
    case garbled(String)

    public var description: String {
        switch self {
        case .ack: "ACK"
        case .nack(let code, let explanation): "NACK \(code) (\(explanation))"
        case .other(let text): "reply: \(text)"
        case .garbled(let text): "garbled reply: \(text)"
        }
    }
}

/// Reads replies from bytes that arrive in any chunks. One per protocol; the delivery layer
/// feeds it whatever the transport read and gets the replies completed so far.
public protocol BoardReplyParser: Sendable {
    mutating func feed(_ bytes: [UInt8]) -> [BoardReply]
}
