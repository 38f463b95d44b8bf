import ArgumentParser
import Foundation
import WallboardDispatch
import WallboardSources

/// `wallboard state`: prints the dispatch state as the boards would see it.
struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Print the current dispatch snapshot and figures (or the state at a past moment)."
    )

    @Option(help: "Rebuild the state at this moment from the status and seat logs: ISO 8601 or local 'YYYY-MM-DD HH:MM'.")
    var at: MomentArgument?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Flag(help: "Keep watching; print each change as it is noticed, with its delay.")
    var watch = false

    @Option(name: .customLong("poll-ms"), help: "Polling interval in milliseconds for --watch.")
    var pollMilliseconds = 10

    @OptionGroup var source: SourceOptions

    @OptionGroup var zone: TimeZoneOptions

    func run() async throws {
        let settings = try self.source.settings(zone: zone, pollInterval: .milliseconds(pollMilliseconds))
        let boundary = settings.dayBoundary
        if let at {
            try output(await DispatchSources.makePastMoments(settings).snapshot(at: at.resolve(in: boundary)), boundary: boundary)
            return
        }
        let source = DispatchSources.make(settings)
        guard watch else {
            try output(await source.readSnapshotOnce(), boundary: boundary)
            return
        }
        let poller = Task { await source.run() }
        defer { poller.cancel() }
        var lastPrinted: DispatchSnapshot?
        var lastProblem: SourceProblem?
        var lastWarning: String?
        for await state in source.states() {
            if let problem = state.health.problem, problem != lastProblem {
                let since = state.health.problemSince.map { SnapshotText.time($0, boundary) } ?? "?"
                write("data interrupted since \(since): \(problem)\n")
            }
            lastProblem = state.health.problem
            if let warning = state.health.warning, warning != lastWarning {
                FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
            }
            lastWarning = state.health.warning
            guard let snapshot = state.snapshot, snapshot.isAnotherRead(than: lastPrinted) else { continue }
            lastPrinted = snapshot
            let noticed = Date()
            // Measured on the data's clock, which runs ahead of the wall clock in a sped-up simulation.
            let newest = SnapshotText.newestTimestamp(snapshot)
            let delay = newest.map { String(format: "%.3f s after the newest time stamp", snapshot.takenAt.timeIntervalSince($0)) } ?? "no time stamps"
            if json {
                try output(snapshot, boundary: boundary)
            } else {
                write("--- change noticed at \(SnapshotText.time(noticed, boundary, milliseconds: true)) (\(delay))\n")
                write(SnapshotText.summary(snapshot, boundary))
            }
        }
    }

    private func output(_ snapshot: DispatchSnapshot, boundary: DayBoundary) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            write(String(decoding: try encoder.encode(snapshot), as: UTF8.self) + "\n")
        } else {
            write(SnapshotText.full(snapshot, boundary))
        }
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// Plain-text views of a snapshot for the terminal.
enum SnapshotText {
    static func time(_ date: Date, _ boundary: DayBoundary, milliseconds: Bool = false) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = boundary.timeZone
        formatter.dateFormat = milliseconds ? "HH:mm:ss.SSS" : "HH:mm:ss"
        return formatter.string(from: date)
    }

    static func newestTimestamp(_ snapshot: DispatchSnapshot) -> Date? {
        (snapshot.vehicles.compactMap(\.statusSince) + snapshot.waitingCalls.compactMap(\.receivedAt)).max()
    }

    static func percent(_ rate: Double?) -> String {
        rate.map { String(format: "%.1f%%", $0 * 100) } ?? "–"
    }

    static func summary(_ snapshot: DispatchSnapshot, _ boundary: DayBoundary) -> String {
        let figures = snapshot.figures
        var text = "state at \(time(snapshot.takenAt, boundary)) (day from \(time(snapshot.dayStart, boundary)))\n"
        text += "calls today \(figures.callsToday), valid \(figures.validCalls) (\(percent(figures.validCallRate))), "
        text += "answered within 10 s \(percent(figures.answeredWithin10sRate)), waiting \(figures.callsWaiting)"
        if let wait = figures.longestWaitSeconds { text += String(format: " (longest %.0f s)", wait) }
        text += "\n"
        text += "dispatches today \(figures.dispatchesToday), empty runs \(figures.emptyRunsToday), departed within 3 min \(percent(figures.departedWithin3MinRate))"
        if let response = figures.averageResponseSeconds { text += String(format: ", average response %.1f min", response / 60) }
        text += "\n"
        text += "vehicles: " + figures.vehiclesByStatus.filter { $0.count > 0 }.map { "\($0.chineseName) \($0.count)" }.joined(separator: ", ")
        if figures.vehiclesUnknownStatus > 0 { text += ", unknown \(figures.vehiclesUnknownStatus)" }
        text += "\nactive incidents \(snapshot.incidents.filter(\.isActive).count)"
        if !snapshot.issues.isEmpty { text += ", data issues \(snapshot.issues.count)" }
        return text + "\n"
    }

    static func full(_ snapshot: DispatchSnapshot, _ boundary: DayBoundary) -> String {
        var text = summary(snapshot, boundary)
        text += "\nstations:\n"
        for station in snapshot.figures.stations {
            text += "  \(station.stationName): \(station.vehicles) vehicles, standby \(station.standby), on task \(station.onTask), out of service \(station.outOfService)\n"
        }
        text += "\nvehicles:\n"
        for vehicle in snapshot.vehicles {
            let status = vehicle.status?.chineseName ?? "code \(vehicle.statusCode.map(String.init) ?? "none")"
            let since = vehicle.statusSince.map { time($0, boundary) } ?? "?"
            text += "  \(vehicle.callSign) \(vehicle.plate) \(status) since \(since)"
            if let incident = vehicle.incidentID { text += " → \(incident)" }
            text += "\n"
        }
        text += "\nincidents:\n"
        for incident in snapshot.incidents {
            let received = incident.receivedAt.map { time($0, boundary) } ?? "?"
            text += "  \(incident.id) \(received) [\(incident.priority?.chineseName ?? "?")] \(incident.category) \(incident.complaint) @ \(incident.pickupAddress) vehicles \(incident.vehicleIDs.joined(separator: ","))\n"
        }
        text += "\nseats:\n"
        for seat in snapshot.seats {
            text += "  \(seat.name) \(seat.dispatcherName.isEmpty ? "(nobody)" : seat.dispatcherName) \(seat.state?.chineseName ?? "–")"
            if let since = seat.stateSince { text += " since \(time(since, boundary))" }
            if let call = seat.currentCallID { text += " → \(call)" }
            text += "\n"
        }
        if !snapshot.issues.isEmpty {
            text += "\ndata issues:\n"
            for issue in snapshot.issues.prefix(50) { text += "  \(issue)\n" }
        }
        return text
    }
}
