import Foundation
import WallboardConfig
import WallboardDispatch
import WallboardPostgres
import WallboardSQLite

/// Turns the configuration's `source:` into the source every command and the service read from.
/// The day boundary, retry pace and clock are decided here once, so that no two commands can
/// disagree on when today's figures start again.
public enum DispatchSources {
    /// Retries come well inside `staleAfter`, so that a short outage ends before the banner shows.
    /// `figuresOverTheDay`: whether anything shown needs `DispatchSnapshot.day` (a door board does not).
    public static func make(
        _ settings: SourceSettings, figuresOverTheDay: Bool = true, wallClock: @escaping @Sendable () -> Date = { Date() }
    ) -> any DispatchStateSource {
        switch settings.database {
        case .sqlite(let path):
            SQLiteDispatchSource(configuration: SQLiteSourceConfiguration(
                path: path, dayBoundary: settings.dayBoundary, pollInterval: settings.pollInterval,
                retryInterval: min(.seconds(1), settings.staleAfter / 2), wallClock: wallClock, figuresOverTheDay: figuresOverTheDay
            ))
        case .postgres(let connection):
            PostgresDispatchSource(configuration: PostgresSourceConfiguration(
                connection: connection, dayBoundary: settings.dayBoundary, pollInterval: settings.pollInterval,
                safetyPollInterval: min(.seconds(2), settings.staleAfter / 3),
                retryInterval: min(.seconds(1), settings.staleAfter / 2), figuresOverTheDay: figuresOverTheDay, wallClock: wallClock
            ))
        }
    }
}
