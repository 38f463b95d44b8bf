import WallboardTransportCore

/// How a board is doing, as the last delivery found it.
public enum BoardHealth: Sendable, Equatable, CustomStringConvertible {
    /// Nothing has been sent yet.
    case unknown
    /// The last frame was delivered (and acknowledged, where the protocol acknowledges).
    case ok
    /// The board took the frame but never answered.
    case noReply
    /// The board answered with an error.
    case rejected(BoardError)
    /// The board answered with bytes that are not a reply.
    case badReply
    /// The device could not be opened or went away.
    case disconnected

    public var description: String {
        switch self {
        case .unknown: "unknown"
        case .ok: "ok"
        case .noReply: "no reply"
        case .rejected(let error): "NACK (\(error))"
        case .badReply: "bad reply"
        case .disconnected: "disconnected"
        }
    }
}

/// A board's delivery status, for health pages and metrics.
public struct BoardStatus: Sendable, Equatable {
    public var health: BoardHealth = .unknown
    /// The last failure, with the device and the fix where known; kept after a later success.
    public var lastError: String?
    /// Bytes written to the device, retries included.
    public var bytesSent: Int = 0
    public var framesDelivered: Int = 0
    /// Frames given up on after every attempt failed.
    public var framesFailed: Int = 0
    /// Attempts beyond the first, over all frames.
    public var retries: Int = 0
    /// Failed attempts since the last delivered frame.
    public var consecutiveFailures: Int = 0
    public var lastDelivered: ContinuousClock.Instant?

    public init() {}
}

/// The result of one `BoardLink.send`.
public enum DeliveryOutcome: Sendable, Equatable {
    case delivered(attempts: Int)
    case failed(BoardHealth, attempts: Int)
}

/// What one `BoardLink.deliver` did: the first failure, or delivered with the attempts of all its
/// messages; the bytes it wrote, retries included; the last error where it failed.
public struct DeliveryReport: Sendable, Equatable {
    public var outcome: DeliveryOutcome
    public var bytesWritten: Int
    public var lastError: String?
}
