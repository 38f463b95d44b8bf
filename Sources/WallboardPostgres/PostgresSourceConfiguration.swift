import Foundation
import WallboardDispatch
import WallboardInterface

/// Where and how to read the dispatch interface on PostgreSQL servers, and at what pace.
public struct PostgresSourceConfiguration: Sendable {
    public var connection: PostgresSettings
    /// How often a hot standby's replay position is polled.
    public var pollInterval: Duration
    /// How often a primary's WAL position is checked, to catch a change whose NOTIFY was lost
    /// (triggers not installed, a writer that bypassed them).
    public var safetyPollInterval: Duration
    /// How long to wait after every host failed before trying them again.
    public var retryInterval: Duration
    /// How long one host may take to accept a connection.
    public var connectTimeout: Duration
    /// How long one statement may run before the server cancels it.
    public var statementTimeout: Duration
    public var dayBoundary: DayBoundary
    /// What is read: which stations, and which parts of the state (see `SQLiteSourceConfiguration`).
    public var scope: ReadScope
    public var wallClock: @Sendable () -> Date

    public init(
        connection: PostgresSettings, dayBoundary: DayBoundary, pollInterval: Duration = .milliseconds(20),
        safetyPollInterval: Duration = .seconds(2), retryInterval: Duration = .seconds(1), connectTimeout: Duration = .seconds(3),
        statementTimeout: Duration = .seconds(5), scope: ReadScope = .wholeCentre, wallClock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.scope = scope
        self.connection = connection
        self.dayBoundary = dayBoundary
        self.pollInterval = pollInterval
        self.safetyPollInterval = safetyPollInterval
        self.retryInterval = retryInterval
        self.connectTimeout = connectTimeout
        self.statementTimeout = statementTimeout
        self.wallClock = wallClock
    }

    var querySettings: QuerySettings {
        QuerySettings(dayBoundary: dayBoundary, scope: scope, wallClock: wallClock)
    }
}
