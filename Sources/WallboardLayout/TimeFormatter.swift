import Foundation

/// Local times and elapsed times as boards show them.
public struct TimeFormatter: Sendable, Hashable {
    public let timeZone: TimeZone
    private let calendar: Calendar

    public static let weekdays = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"]
    public static let shortWeekdays = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"]
    /// The tokens `string(_:pattern:)` replaces; everything else is copied.
    public static let tokens = ["yyyy", "MM", "M", "dd", "d", "HH", "mm", "ss", "EEEE", "EEE"]

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// Formats `date` with `yyyy MM M dd d HH mm ss` and `EEEE` (星期六) / `EEE` (周六).
    public func string(_ date: Date, pattern: String) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let weekday = ((parts.weekday ?? 1) - 1 + 7) % 7
        var output = ""
        var rest = Substring(pattern)
        while !rest.isEmpty {
            if let token = TimeFormatter.tokens.first(where: { rest.hasPrefix($0) }) {
                switch token {
                case "yyyy": output += String(parts.year ?? 0)
                case "MM": output += twoDigits(parts.month ?? 0)
                case "M": output += String(parts.month ?? 0)
                case "dd": output += twoDigits(parts.day ?? 0)
                case "d": output += String(parts.day ?? 0)
                case "HH": output += twoDigits(parts.hour ?? 0)
                case "mm": output += twoDigits(parts.minute ?? 0)
                case "ss": output += twoDigits(parts.second ?? 0)
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
