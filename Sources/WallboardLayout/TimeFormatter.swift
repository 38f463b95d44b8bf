import Foundation
import Synchronization
import WallboardSupport

/// Local times and elapsed times as boards show them.
public struct TimeFormatter: Sendable, Hashable {
    public let timeZone: TimeZone
    private let offsets: OffsetCache

    public static let weekdays = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"]
    public static let shortWeekdays = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"]

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        offsets = OffsetCache(timeZone: timeZone)
    }

    public static func == (left: TimeFormatter, right: TimeFormatter) -> Bool { left.timeZone == right.timeZone }
    public func hash(into hasher: inout Hasher) { hasher.combine(timeZone) }

    /// Local date and time fields of a moment. Computed with integer arithmetic on the zone's
    /// offset, because clocks format every frame and Calendar is slow on Linux.
    struct Fields {
        var year, month, day, hour, minute, second: Int
        /// 0 Sunday … 6 Saturday.
        var weekday: Int

        init(_ date: Date, offset: Int) {
            let local = wholeSeconds(date.timeIntervalSince1970) + offset
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
        string(date, pattern: TimePattern(pattern))
    }

    /// Formats `date` with a pattern parsed once, for times formatted again and again.
    public func string(_ date: Date, pattern: TimePattern) -> String {
        let parts = Fields(date, offset: offsets.offset(at: date))
        var output = ""
        for part in pattern.parts {
            switch part {
            case .literal(let text): output += text
            case .year: output += String(parts.year)
            case .month2: output += twoDigits(parts.month)
            case .month: output += String(parts.month)
            case .day2: output += twoDigits(parts.day)
            case .day: output += String(parts.day)
            case .hour: output += twoDigits(parts.hour)
            case .minute: output += twoDigits(parts.minute)
            case .second: output += twoDigits(parts.second)
            case .weekday: output += TimeFormatter.weekdays[parts.weekday]
            case .shortWeekday: output += TimeFormatter.shortWeekdays[parts.weekday]
            }
        }
        return output
    }

    /// When `pattern`'s text next can read otherwise than at `now`: the start of the zone's next
    /// second, minute, hour, day, month or year, by the finest field the pattern shows (a date at
    /// midnight, an HH:mm clock with the minute), or sooner where the zone's offset changes first.
    /// Nil for a pattern of literal text only, which never changes.
    public func nextChange(of pattern: TimePattern, after now: Date) -> Date? {
        guard let unit = pattern.finestUnit else { return nil }
        let nextSecond = Date(timeIntervalSince1970: Double(wholeSeconds(now.timeIntervalSince1970) + 1))
        guard unit != .second, let boundary = Calendar.gregorian(in: timeZone).dateInterval(of: unit, for: now)?.end, boundary > now else {
            return nextSecond
        }
        guard let transition = timeZone.nextDaylightSavingTimeTransition(after: now) else { return boundary }
        return min(boundary, transition)
    }

    /// `m:ss` below an hour, `h:mm:ss` from an hour; negative spans (a clock step) show as 0:00.
    public static func elapsed(_ seconds: Double) -> String {
        let total = max(0, wholeSeconds(seconds))
        let hours = total / 3600, minutes = (total % 3600) / 60, secs = total % 60
        if hours > 0 { return "\(hours):\(twoDigits(minutes)):\(twoDigits(secs))" }
        return "\(minutes):\(twoDigits(secs))"
    }

    /// True when the time elapsed since `since`, coloured by `thresholds`, reads and looks the
    /// same at both moments: the same whole seconds and the same colour.
    static func elapsedShowsTheSame(since: Date, thresholds: Thresholds, at now: Date, asAt earlier: Date) -> Bool {
        let seconds = now.timeIntervalSince(since), earlierSeconds = earlier.timeIntervalSince(since)
        return wholeSeconds(seconds) == wholeSeconds(earlierSeconds) && thresholds.colour(for: seconds) == thresholds.colour(for: earlierSeconds)
    }

    /// When the time elapsed since `since`, coloured by `thresholds`, next reads or looks
    /// otherwise than at `now`: at its next whole second, or sooner at a threshold.
    static func nextElapsedChange(since: Date, thresholds: Thresholds, after now: Date) -> Date {
        let seconds = now.timeIntervalSince(since)
        guard seconds.isFinite, abs(seconds) < 1e15 else { return now }
        let limits = thresholds.rules.map(\.limit).filter { $0 > seconds }
        return since.addingTimeInterval(limits.reduce(seconds.rounded(.down) + 1, min))
    }
}

private func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

/// `seconds` rounded down, within ±10¹⁵ (some 30 million years), NaN as 0. Time stamps from the
/// database reach here unchecked for size, and converting 1e300 or NaN to Int would trap.
func wholeSeconds(_ seconds: Double) -> Int {
    guard !seconds.isNaN else { return 0 }
    return Int(min(max(seconds, -1e15), 1e15).rounded(.down))
}

/// A clock pattern split into its fields and the text between them.
public struct TimePattern: Sendable, Hashable {
    enum Part: Sendable, Hashable {
        case literal(String)
        case year, month2, month, day2, day, hour, minute, second, weekday, shortWeekday
    }

    let parts: [Part]

    /// The finest calendar unit a field of the pattern shows; nil when it shows none.
    var finestUnit: Calendar.Component? {
        let units: [Calendar.Component] = parts.compactMap { part in
            switch part {
            case .literal: nil
            case .second: .second
            case .minute: .minute
            case .hour: .hour
            case .day, .day2, .weekday, .shortWeekday: .day
            case .month, .month2: .month
            case .year: .year
            }
        }
        return [Calendar.Component.second, .minute, .hour, .day, .month, .year].first(where: units.contains)
    }

    public init(_ pattern: String) {
        let tokens: [(String, Part)] = [
            ("yyyy", .year), ("MM", .month2), ("M", .month), ("dd", .day2), ("d", .day), ("HH", .hour),
            ("mm", .minute), ("ss", .second), ("EEEE", .weekday), ("EEE", .shortWeekday),
        ]
        var parts: [Part] = []
        var literal = ""
        var rest = Substring(pattern)
        while !rest.isEmpty {
            if let (token, part) = tokens.first(where: { rest.hasPrefix($0.0) }) {
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = ""
                parts.append(part)
                rest = rest.dropFirst(token.count)
            } else {
                literal.append(rest.removeFirst())
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }
}

/// The zone's offset from UTC per quarter hour, remembered: Foundation's time-zone lookup costs
/// microseconds, and boards format many times per frame. Offsets change only on quarter hours.
final class OffsetCache: Sendable {
    private let timeZone: TimeZone
    private let known = Mutex<[Int: Int]>([:])
    private static let bucketSeconds = 900.0
    private static let capacity = 4096

    init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    func offset(at date: Date) -> Int {
        let bucket = wholeSeconds(date.timeIntervalSince1970 / OffsetCache.bucketSeconds)
        if let offset = known.withLock({ $0[bucket] }) { return offset }
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(bucket) * OffsetCache.bucketSeconds))
        known.withLock { cache in
            if cache.count >= OffsetCache.capacity { cache.removeAll(keepingCapacity: true) }
            cache[bucket] = offset
        }
        return offset
    }
}
