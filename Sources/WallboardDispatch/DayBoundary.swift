import Foundation
import WallboardSupport

/// Where the dispatch day starts: local midnight in the centre's time zone.
public struct DayBoundary: Sendable, Hashable {
    public static let defaultTimeZoneIdentifier = "Asia/Shanghai"

    public let timeZone: TimeZone

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// nil when the identifier is not a known time zone.
    public init?(timeZoneIdentifier: String) {
        guard let zone = TimeZone(identifier: timeZoneIdentifier) else { return nil }
        self.init(timeZone: zone)
    }

    public static var shanghai: DayBoundary {
        // A fixed UTC+8 zone stands in should the system lack the tz database.
        DayBoundary(timeZone: TimeZone(identifier: defaultTimeZoneIdentifier) ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .current)
    }

    private var calendar: Calendar { .gregorian(in: timeZone) }

    /// Local midnight at or before `moment`.
    public func dayStart(containing moment: Date) -> Date {
        calendar.startOfDay(for: moment)
    }

    /// Local midnight after `moment`.
    public func nextDayStart(after moment: Date) -> Date {
        let start = dayStart(containing: moment)
        return calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86_400)
    }
}
