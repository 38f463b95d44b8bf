import Foundation
import WallboardDispatch

/// The rules of the command room's alert ticker (the context's `alerts`).
extension ContextBuilder {
    /// An incident with this many casualties or more is called out as 成批伤员 (mass casualties).
    public static let massCasualtyCount = 3
    /// A call waiting longer than this appears in the alert ticker.
    public static let longWaitAlertSeconds: Double = 30
    /// A vehicle not departed this long after dispatch appears in the alert ticker.
    public static let departureTargetSeconds: Double = 180

    /// Whether the ticker calls `incident` out as 成批伤员: of that category, or with
    /// `massCasualtyCount` casualties or more. The video-wall processors' rule too.
    public static func isMassCasualty(_ incident: Incident) -> Bool {
        incident.casualties >= massCasualtyCount || incident.category == "成批伤员"
    }

    /// Where an incident is, as the ticker says it: its address, with its district in front
    /// unless the address already starts with it.
    static func place(of incident: Incident) -> String {
        incident.incidentAddress.hasPrefix(incident.district) ? incident.incidentAddress : incident.district + incident.incidentAddress
    }

    /// What the command room's ticker calls out: mass-casualty incidents, vehicles past their
    /// departure target, calls waiting too long.
    func tickerAlerts(_ snapshot: DispatchSnapshot) -> [ContextValue] {
        var alerts: [ContextValue] = []
        let index = SnapshotIndex(snapshot)
        for incident in snapshot.incidents where ContextBuilder.isMassCasualty(incident) {
            let scrubber = freeTextScrubber(for: incident, in: index)
            alerts.append(.object([
                "text": .text("成批伤员 \(incident.casualties)人 \(scrubber.scrub(ContextBuilder.place(of: incident)))"),
                "critical": .flag(true),
            ]))
        }
        for vehicle in snapshot.vehicles {
            guard let task = vehicle.task, let dispatchedAt = task.dispatchedAt, task.departedAt == nil else { continue }
            let waited = snapshot.takenAt.timeIntervalSince(dispatchedAt)
            if waited > ContextBuilder.departureTargetSeconds {
                alerts.append(.object([
                    "text": .text("\(vehicle.callSign) 派车\(TimeFormatter.elapsed(waited))未出车"),
                    "critical": .flag(false),
                ]))
            }
        }
        if let longest = snapshot.figures.longestWaitSeconds, longest > ContextBuilder.longWaitAlertSeconds {
            alerts.append(.object([
                "text": .text("来电等待 \(TimeFormatter.elapsed(longest))"),
                "critical": .flag(longest > 2 * ContextBuilder.longWaitAlertSeconds),
            ]))
        }
        return alerts
    }
}
