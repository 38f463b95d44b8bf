import Foundation
import WallboardDispatch

/// Where the dispatch state comes from and when it counts as stale.
public struct SourceSettings: Sendable {
    public var address: any SourceAddress
    /// How often the source is asked whether it changed (a PostgreSQL primary announces changes
    /// instead; its standbys are polled).
    public var pollInterval: Duration
    /// The dispatch centre's time zone: clocks, dates, the stale banner's time and the midnight
    /// at which today's figures start again.
    public var timeZone: TimeZone
    /// After this long without a confirmed read, boards show the "data interrupted" banner.
    public var staleAfter: Duration

    public init(address: any SourceAddress, pollInterval: Duration? = nil, timeZone: TimeZone, staleAfter: Duration = .seconds(10)) {
        self.address = address
        self.pollInterval = pollInterval ?? address.defaultPollInterval
        self.timeZone = timeZone
        self.staleAfter = staleAfter
    }

    public var dayBoundary: DayBoundary { DayBoundary(timeZone: timeZone) }

    /// How long a failing source waits before it tries again: well inside `staleAfter`, so that a
    /// short outage ends before the banner shows.
    public var retryInterval: Duration { min(.seconds(1), staleAfter / 2) }

}
