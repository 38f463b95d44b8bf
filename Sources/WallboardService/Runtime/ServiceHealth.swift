import Foundation
import WallboardDispatch

/// What `/healthz` reports.
public struct ServiceHealth: Codable, Sendable {
    public enum Status: String, Codable, Sendable {
        case ok
        /// The dispatch data has not been confirmed within `staleAfter`.
        case stale
        /// The data is current, but one board or more cannot be reached, or a video-wall
        /// processor is offline or has lost the wall PC's signal.
        case failing
    }

    /// What `/healthz` answers with: 200 while the data is current, 503 when it is stale.
    public var isOK: Bool { status != .stale }

    public var status: Status
    public var snapshotAgeSeconds: Double?
    public var sourceProblem: String?
    /// What the data is read from: the file, or the server and whether it is a primary or a standby.
    public var source: SourceReport
    public var boardsFailing: [String]
    /// Every video-wall processor: online, ready, preset, brightness, signal, last fault.
    public var processors: [ProcessorReport]
    public var processorsFailing: [String]

    /// All that `/healthz` tells a caller without a credential where reading needs one: no host,
    /// file or board.
    public struct Summary: Codable, Sendable {
        public var status: Status
    }

    public var summary: Summary { Summary(status: status) }
}

/// What `/api/v1/source` reports: where the data comes from and how current it is.
public struct SourceReport: Codable, Sendable {
    /// The source's kind, as `source:` names it: `sqlite`, `postgres`.
    public var database: String
    /// The SQLite file, or the PostgreSQL hosts in the order they are tried.
    public var configured: [String]
    /// The server being read (`host:port`); nil for a file or while no server answers.
    public var host: String?
    /// `primary` or `standby`, once connected.
    public var role: SourceEndpoint.Role?
    public var snapshotAgeSeconds: Double?
    public var lastSnapshotAt: Date?
    public var problem: String?
    public var problemSince: Date?
    /// Boards that show placeholders for characters of the data their fonts lack: warnings
    /// about the data, not board faults.
    public var textSubstitutions: [TextSubstitutionReport]
    /// What puts the dispatch system's writers at risk (a SQLite file with a rollback journal) and the fix.
    public var warning: String?
    /// Rows of the newest snapshot the reader could not take as they were, the first `dataIssuesListed`.
    public var dataIssues: [DataIssue]
    /// How many there are in all.
    public var dataIssueCount: Int

    /// A database full of bad rows must not make every answer huge.
    public static let dataIssuesListed = 200
}

extension WallboardService {
    public func health(now: Date) -> ServiceHealth {
        let health = feed.current.state.health
        let stale = feed.staleSince(health, now: now) != nil
        let failing = monitors.filter { $0.report.status == .failing }.map(\.id)
        let processors = processorMonitors.map(\.report)
        let processorsFailing = processors.filter { $0.status == .failing }.map(\.id)
        return ServiceHealth(
            status: stale ? .stale : failing.isEmpty && processorsFailing.isEmpty ? .ok : .failing,
            snapshotAgeSeconds: health.age(now: now),
            sourceProblem: health.problem?.description,
            source: sourceReport(now: now),
            boardsFailing: failing,
            processors: processors,
            processorsFailing: processorsFailing
        )
    }

    public func sourceReport(now: Date) -> SourceReport {
        let (state, _) = feed.current
        let health = state.health
        let issues = state.snapshot?.issues ?? []
        let address = configuration.source.address
        return SourceReport(
            database: address.kind.name, configured: address.configured, host: health.endpoint?.host, role: health.endpoint?.role,
            snapshotAgeSeconds: health.age(now: now), lastSnapshotAt: health.lastSnapshotAt,
            problem: health.problem?.description, problemSince: health.problemSince,
            textSubstitutions: monitors.compactMap(\.textSubstitutions), warning: health.warning,
            dataIssues: Array(issues.prefix(SourceReport.dataIssuesListed)), dataIssueCount: issues.count
        )
    }
}
