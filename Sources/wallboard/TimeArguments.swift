import ArgumentParser
import Foundation
import WallboardConfig
import WallboardDispatch

/// A length of time on the command line: `90s`, `45m`, `2h`, `1d`, or combined, `1h30m`.
struct DurationArgument: ExpressibleByArgument {
    let seconds: Double

    init?(argument: String) {
        var total = 0.0
        var number = ""
        for character in argument.lowercased() {
            if character.isNumber || character == "." {
                number.append(character)
                continue
            }
            let unit: Double
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86_400
            default: return nil
            }
            guard let value = Double(number) else { return nil }
            total += value * unit
            number = ""
        }
        if !number.isEmpty {
            guard let value = Double(number) else { return nil }
            total += value
        }
        guard total > 0 else { return nil }
        seconds = total
    }
}

/// A moment on the command line: `now`, `midnight` (today's local midnight), a Unix time,
/// ISO 8601 with an offset (`2026-11-21T08:30:00+08:00`), or local `2026-11-21 08:30[:00]`.
struct MomentArgument: ExpressibleByArgument {
    let text: String

    init(text: String) {
        self.text = text
    }

    init?(argument: String) {
        text = argument
    }

    /// As a person types it, for `--help`: "midnight", not `MomentArgument(text: "midnight")`.
    var defaultValueDescription: String { text }

    func resolve(in boundary: DayBoundary, now: Date = Date()) throws -> Date {
        switch text.lowercased() {
        case "now": return now
        case "midnight", "today": return boundary.dayStart(containing: now)
        default: break
        }
        if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: text) { return date }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = boundary.timeZone
        for format in ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        throw ValidationError("cannot read '\(text)' as a time; use now, midnight, 2026-11-21T08:30:00+08:00 or '2026-11-21 08:30' (local)")
    }
}

/// The database a one-shot command reads, as the configuration's `source:` would name it.
struct SourceOptions: ParsableArguments {
    @Option(help: "The dispatch SQLite database (opened read-only).")
    var db: String?

    @Option(help: ArgumentHelp(
        "The dispatch database on PostgreSQL (read-only), instead of --db.",
        discussion: "postgresql://USER@HOST[:PORT][,HOST[:PORT]…]/DATABASE[?sslmode=…&passwordFile=PATH&application_name=…]",
        valueName: "url"
    ))
    var postgres: String?

    @OptionGroup var zone: TimeZoneOptions

    func database() throws -> SourceDatabase {
        switch (db, postgres) {
        case (let path?, nil): return .sqlite(path: path)
        case (nil, let url?): return .postgres(try PostgresSettings(url: url))
        case (_?, _?): throw ValidationError("give --db FILE or --postgres URL, not both")
        case (nil, nil): throw ValidationError("give the dispatch database: --db FILE (SQLite) or --postgres URL")
        }
    }

    func settings(pollInterval: Duration? = nil) throws -> SourceSettings {
        SourceSettings(database: try database(), pollInterval: pollInterval, timeZone: try zone.dayBoundary().timeZone)
    }
}

/// The time-zone option shared by the dispatch commands.
struct TimeZoneOptions: ParsableArguments {
    @Option(name: .customLong("time-zone"), help: "Time zone whose local midnight starts the dispatch day.")
    var timeZoneIdentifier = DayBoundary.defaultTimeZoneIdentifier

    func dayBoundary() throws -> DayBoundary {
        guard let boundary = DayBoundary(timeZoneIdentifier: timeZoneIdentifier) else {
            throw ValidationError("unknown time zone '\(timeZoneIdentifier)'; use an IANA name such as Asia/Shanghai")
        }
        return boundary
    }
}
