/// A monotonic clock a test sets by hand, in seconds from its start: for an emulated controller
/// that turns its pages by its own clock, read at chosen moments.
public final class SettableClock: Sendable {
    private let origin = ContinuousClock.now
    private let seconds = Locked(0.0)

    public init() {}

    /// Moves the clock to `seconds` from its start.
    public func set(_ seconds: Double) {
        self.seconds.withLock { $0 = seconds }
    }

    /// The clock's instant now, for an emulator's `clock`.
    public var now: @Sendable () -> ContinuousClock.Instant {
        { [origin, seconds] in origin + .milliseconds(Int((seconds.withLock { $0 } * 1000).rounded())) }
    }
}
