import Foundation

/// Local times and elapsed times as boards show them.
public struct TimeFormatter: Sendable, Hashable {
    public let timeZone: TimeZone

    public static let weekdays = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"]
    public static let shortWeekdays = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"]
    /// The tokens `string(_:pattern:)` replaces; everything else is copied.
    public static let tokens = ["yyyy", "MM", "M", "dd", "d", "HH", "mm", "ss", "EEEE", "EEE"]

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// Local date and time fields of a moment. Computed with integer arithmetic on the zone's
    /// offset, because clocks format every frame and Calendar is slow on Linux.
    struct Fields {
        var year, month, day, hour, minute, second: Int
        /// 0 Sunday … 6 Saturday.
        var weekday: Int

        init(_ date: Date, timeZone: TimeZone) {
            let local = Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: date)
            let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
            let secondOfDay = local - days * 86_400
            hour = secondOfDay / 3600
            minute = secondOfDay % 3600 / 60
            second = secondOfDay % 60
            weekday = ((days % 7) + 11) % 7
            // Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's civil_from_days).
            let shifted = days + 719_468
            let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
            let dayOfEra = shifted - era * 146_097
            let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
            let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
            let monthIndex = (5 * dayOfYear + 2) / 153
            day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
            month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
            year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        }
    }

    /// Formats `date` with `yyyy MM M dd d HH mm ss` and `EEEE` (星期六) / `EEE` (周六).
    public func string(_ date: Date, pattern: String) -> String {
        let parts = Fields(date, timeZone: timeZone)
        let weekday = parts.weekday
        var output = ""
        var rest = Substring(pattern)
        while !rest.isEmpty {
            if let token = TimeFormatter.tokens.first(where: { rest.hasPrefix($0) }) {
                switch token {
                case "yyyy": output += String(parts.year)
                case "MM": output += twoDigits(parts.month)
                case "M": output += String(parts.month)
                case "dd": output += twoDigits(parts.day)
                case "d": output += String(parts.day)
                case "HH": output += twoDigits(parts.hour)
                case "mm": output += twoDigits(parts.minute)
                case "ss": output += twoDigits(parts.second)
                case "EEEE": output += TimeFormatter.weekdays[weekday]
                default: output += TimeFormatter.shortWeekdays[weekday]
                }
                rest = rest.dropFirst(token.count)
            } else {
                output.append(rest.removeFirst())
            }
        }
        return output
    }

    /// `m:ss` below an hour, `h:mm:ss` from an hour; negative spans (a clock step) show as 0:00.
    public static func elapsed(_ seconds: Double) -> String {
        let total = max(0, Int(seconds.rounded(.down)))
        let hours = total / 3600, minutes = (total % 3600) / 60, secs = total % 60
        if hours > 0 { return "\(hours):\(twoDigits(minutes)):\(twoDigits(secs))" }
        return "\(minutes):\(twoDigits(secs))"
    }
}

private func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
