import ArgumentParser
import Foundation
import WallboardDispatch
import WallboardSourceKit
import WallboardSources

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

/// The dispatch source a command reads, named as the configuration's `source:` would name it:
/// one option per registered kind (`--db PATH`, `--postgres URL`). The kinds' options are not
/// declared here one by one: what the command does not recognise is collected and read by
/// `DispatchSources.kinds`, so that a new kind's option needs no line in any command.
struct SourceOptions: ParsableArguments {
    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp(
            "The dispatch source, one of:\n" + DispatchSources.kinds.optionsHelp,
            valueName: DispatchSources.kinds.synopsis
        )
    )
    var sourceArguments: [String] = []

    func validate() throws {
        _ = try address()
    }

    /// The source named on the command line; nil when none is.
    func address() throws -> (any SourceAddress)? {
        do {
            return try DispatchSources.kinds.address(arguments: sourceArguments)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// For commands that need a source on the command line.
    func settings(zone: TimeZoneOptions, pollInterval: Duration? = nil) throws -> SourceSettings {
        guard let address = try address() else {
            throw ValidationError("give the dispatch source: \(DispatchSources.kinds.synopsis)")
        }
        return SourceSettings(address: address, pollInterval: pollInterval, timeZone: try zone.dayBoundary().timeZone)
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
