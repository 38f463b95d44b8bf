/// What a board said about a frame, as far as the bytes received so far tell.
public enum ReplyVerdict: Sendable, Equatable {
    /// Not a whole reply yet: keep reading.
    case incomplete
    /// The board accepted the frame.
    case acknowledged
    /// The board refused the frame and said why.
    case rejected(BoardError)
    /// The bytes cannot be a reply; the reason says what was wrong.
    case garbage(String)
}

/// An error a board reported in its reply.
public struct BoardError: Sendable, Equatable, CustomStringConvertible {
    /// The board's own error code.
    public let code: Int
    /// What the code means, from the protocol's document.
    public let meaning: String
    /// Whether sending the same frame again can help (a CRC error can; a missing font cannot).
    public let isRetryable: Bool

    public init(code: Int, meaning: String, isRetryable: Bool) {
        self.code = code
        self.meaning = meaning
        self.isRetryable = isRetryable
    }

    public var description: String { "error \(code): \(meaning)" }
}

/// The protocol's side of delivery: reads a board's reply. Each protocol module implements it
/// for the replies its boards send; the delivery layer knows nothing of framing.
public protocol ReplyInterpreter: Sendable {
    /// Judges everything received since the frame was sent.
    func interpret(_ received: [UInt8]) -> ReplyVerdict
}
