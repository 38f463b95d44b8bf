import Foundation

extension Calendar {
    /// The Gregorian calendar in `timeZone`: a centre's days, hours and dates.
    public static func gregorian(in timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
