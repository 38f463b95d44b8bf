/// What a protocol whose boards hold a session on each connection (Huidu's SDK) asks of
/// delivery: the exchanges that open the session right after the transport opens, each message
/// fitted to the session before it is written, and a keep-alive while nothing else is sent.
public protocol BoardSession: Sendable {
    /// The exchanges that open a session, in order; a step that fails closes the connection.
    var opening: [SessionStep] { get }
    /// `message` as this session sends it; `token` is what the opening named (nil: nothing).
    func prepare(_ message: [UInt8], token: String?) -> [UInt8]
    /// Sent when nothing else went to the board for a while; nil: the session needs none.
    var keepAlive: KeepAlive? { get }
}

/// One request of a session's opening and how its answer is read.
public struct SessionStep: Sendable {
    public let request: [UInt8]
    /// Judges everything received since the request; where the answer names the session (a
    /// GUID), that name too.
    public let read: @Sendable ([UInt8]) -> (verdict: ReplyVerdict, token: String?)

    public init(request: [UInt8], read: @escaping @Sendable ([UInt8]) -> (verdict: ReplyVerdict, token: String?)) {
        self.request = request
        self.read = read
    }
}

/// A session's heartbeat: `message` after `interval` without any exchange, its answer read by
/// `answer`; after `missesAllowed` unanswered in a row the link counts as lost.
public struct KeepAlive: Sendable {
    public let message: [UInt8]
    public let interval: Duration
    public let missesAllowed: Int
    public let answer: any ReplyInterpreter

    public init(message: [UInt8], interval: Duration, missesAllowed: Int, answer: any ReplyInterpreter) {
        self.message = message
        self.interval = interval
        self.missesAllowed = max(1, missesAllowed)
        self.answer = answer
    }
}
