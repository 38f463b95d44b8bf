/// Timeouts and retries for one board.
public struct DeliveryPolicy: Sendable, Equatable {
    /// How long a write may take before the device counts as stalled.
    public var writeTimeout: Duration
    /// How long to wait for a whole reply after the frame is written.
    public var replyTimeout: Duration
    /// Attempts per frame, the first included (at least 1).
    public var maxAttempts: Int
    /// Wait before the second attempt; doubled for each attempt after, up to `maxBackoff`.
    public var initialBackoff: Duration
    public var maxBackoff: Duration

    public init(writeTimeout: Duration = .seconds(2), replyTimeout: Duration = .seconds(1), maxAttempts: Int = 3,
                initialBackoff: Duration = .milliseconds(200), maxBackoff: Duration = .seconds(5))
    {
        self.writeTimeout = writeTimeout
        self.replyTimeout = replyTimeout
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// The wait before attempt number `attempt` (2 or more).
    public func backoff(beforeAttempt attempt: Int) -> Duration {
        var delay = initialBackoff
        for _ in 0..<max(0, attempt - 2) {
            delay = min(delay * 2, maxBackoff)
        }
        return min(delay, maxBackoff)
    }
}
