import Foundation
import Testing
import WallboardConfig
import WallboardDispatch
import WallboardPostgres
import WallboardSQLite
import WallboardSourceKit
import WallboardSources
import WallboardTransport
import WallboardYAML
@testable import WallboardService

@Suite struct SourceFactoryTests {
    /// A centre configured for another zone starts today's figures at its own midnight, in the
    /// live service and in a replay alike (both once fell back to Shanghai's).
    @Test func serviceAndReplayStartTheDayAtTheConfiguredZonesMidnight() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        var config = try configuration(database: database.path, directory: directory, boards: """
              - id: wall
                layout: \(TemporaryDirectory.layoutsDirectory.path)/wall-1920x1080.yaml
                transport: browser
            """)
        let zone = try #require(TimeZone(identifier: "America/New_York"))
        config.source.timeZone = zone
        let newYork = DayBoundary(timeZone: zone)

        let live = try await WallboardService(configuration: config).feed.source.readSnapshotOnce()
        #expect(live.dayStart == newYork.dayStart(containing: live.takenAt))
        #expect(live.dayStart != DayBoundary.shanghai.dayStart(containing: live.takenAt))

        let moment = Date().addingTimeInterval(-5400)
        let past = try await Replay(configuration: config).source(address: nil).snapshot(at: moment)
        #expect(past.dayStart == newYork.dayStart(containing: moment))
    }

    /// A kind registered beside the product's is read from `source:`, made, and reported, with no
    /// line of the configuration, the service or the report knowing its name.
    @Test func aRegisteredKindIsConfiguredMadeAndReported() async throws {
        let directory = try TemporaryDirectory()
        let kinds = SourceKinds([SQLiteSourceKind(), PostgresSourceKind(), FixedSourceKind()])
        let text = """
            centre: 测试急救中心
            source:
              fixed: 急救3号
            boards:
              - id: wall
                layout: \(TemporaryDirectory.layoutsDirectory.path)/wall-1920x1080.yaml
                transport: browser
            """
        let config = try ConfigLoader.load(text, file: directory.path("wallboard.yaml"), sources: kinds, transports: TransportKinds.all)
        #expect(config.source.address as? FixedSnapshot == FixedSnapshot(callSign: "急救3号"))
        #expect(config.source.pollInterval == .seconds(1), "the kind's own default")

        let service = try WallboardService(configuration: config)
        #expect(try await service.feed.source.readSnapshotOnce().vehicles.map(\.callSign) == ["急救3号"])
        let report = service.sourceReport(now: Date())
        #expect(report.database == "fixed")
        #expect(report.configured == ["急救3号"])

        let unknown = #expect(throws: YAMLFileError.self) {
            try ConfigLoader.load(text.replacingOccurrences(of: "fixed:", with: "fixd:"), file: "/etc/wallboard/w.yaml", sources: kinds, transports: TransportKinds.all)
        }
        #expect(unknown?.message.contains("valid keys: sqlite, postgres, fixed") == true, "\(unknown?.message ?? "")")
    }

    /// Rebuilding a past moment is a capability: a kind without history says so, by name, in the
    /// commands' words, and a replay of it stops before rendering anything.
    @Test func aKindWithoutHistoryCannotRebuildAPastMoment() async throws {
        let directory = try TemporaryDirectory()
        let settings = SourceSettings(address: FixedSnapshot(callSign: "急救3号"), timeZone: DayBoundary.shanghai.timeZone)
        #expect(throws: SourceKindError("source kind fixed cannot rebuild a past moment; only the current state can be read from it")) {
            try DispatchSources.makePastMoments(settings)
        }
        let database = try await DemoDatabase(directory: directory)
        let config = try configuration(database: database.path, directory: directory, boards: """
              - id: wall
                layout: \(TemporaryDirectory.layoutsDirectory.path)/wall-1920x1080.yaml
                transport: browser
            """)
        await #expect(throws: SourceKindError.cannotRebuildPastMoment(FixedSourceKind())) {
            try await Replay(configuration: config).run(address: FixedSnapshot(callSign: "x"), from: Date(), to: Date(), step: 1)
        }
        #expect(try DispatchSources.makePastMoments(config.source) is SQLiteDispatchSource)
    }

    /// Every command reads its source from the same arguments: each kind's option, with its value
    /// after a space or an equals sign; two sources, an unknown option or a missing value are refused.
    @Test func commandLineArgumentsNameOneSourceOfAnyKind() throws {
        let kinds = SourceKinds([SQLiteSourceKind(), PostgresSourceKind(), FixedSourceKind()])
        #expect(try kinds.address(arguments: []) == nil)
        #expect(try kinds.address(arguments: ["--db", "/tmp/d.db"]) as? SQLiteFile == SQLiteFile(path: "/tmp/d.db"))
        #expect(try kinds.address(arguments: ["--db=/tmp/d.db"]) as? SQLiteFile == SQLiteFile(path: "/tmp/d.db"))
        #expect(try kinds.address(arguments: ["--fixed", "急救3号"]) as? FixedSnapshot == FixedSnapshot(callSign: "急救3号"))
        #expect(try kinds.address(arguments: ["--postgres", "postgresql://u@db/dispatch"])?.configured == ["db:5432"])
        #expect(throws: SourceKindError("give one dispatch source, not --db and --fixed")) {
            try kinds.address(arguments: ["--db", "a.db", "--fixed", "x"])
        }
        #expect(throws: SourceKindError("unknown option '--dbb' (did you mean '--db'?); --help lists this command's options; the dispatch source is one of --db path | --postgres url | --fixed call-sign")) {
            try kinds.address(arguments: ["--dbb", "a.db"])
        }
        #expect(throws: SourceKindError("unknown option '--bords'; --help lists this command's options; the dispatch source is one of --db path | --postgres url | --fixed call-sign")) {
            try kinds.address(arguments: ["--bords=3"])
        }
        #expect(throws: SourceKindError("unexpected argument 'a.db'; the dispatch source is one of --db path | --postgres url | --fixed call-sign")) {
            try kinds.address(arguments: ["a.db"])
        }
        #expect(throws: SourceKindError("--db needs a path")) { try kinds.address(arguments: ["--db"]) }
        #expect(throws: SourceKindError.self) { try kinds.address(arguments: ["--postgres", "mysql://db/dispatch"]) }
    }
}

/// A kind of source that is not a database: one vehicle, always the same, and no history.
struct FixedSourceKind: SourceKind {
    var name: String { "fixed" }
    var option: String { "fixed" }
    var optionValue: String { "call-sign" }
    var summary: String { "one vehicle with this call sign" }

    func address(configured value: YAMLValue, base: URL) throws -> any SourceAddress {
        FixedSnapshot(callSign: try value.string())
    }

    func address(option text: String) throws(SourceKindError) -> any SourceAddress {
        FixedSnapshot(callSign: text)
    }
}

struct FixedSnapshot: SourceAddress, Equatable {
    var callSign: String

    var kind: any SourceKind { FixedSourceKind() }
    var defaultPollInterval: Duration { .seconds(1) }
    var configured: [String] { [callSign] }
    var description: String { callSign }

    func makeSource(_ settings: SourceSettings, scope: ReadScope, wallClock: @escaping @Sendable () -> Date) -> any DispatchStateSource {
        FixedSource(callSign: callSign, dayBoundary: settings.dayBoundary, wallClock: wallClock)
    }
}

/// Publishes its one snapshot and keeps it current; it cannot say what was before.
final class FixedSource: DispatchStateSource {
    private let publisher: SourcePublisher
    private let snapshot: DispatchSnapshot

    init(callSign: String, dayBoundary: DayBoundary, wallClock: @escaping @Sendable () -> Date) {
        publisher = SourcePublisher(wallClock: wallClock)
        let now = wallClock()
        let dayStart = dayBoundary.dayStart(containing: now)
        let station = Station(id: "S1", name: "一分站", district: "东区", sortOrder: 1)
        let vehicles = [Vehicle(id: "V1", callSign: callSign, plate: "粤A·00001", stationID: "S1", statusCode: 7, statusSince: now)]
        snapshot = DispatchSnapshot(
            takenAt: now, dayStart: dayStart, sourceVersion: nil, stations: [station], vehicles: vehicles, incidents: [], waitingCalls: [], seats: [],
            figures: DispatchFigures(callsToday: [], runsToday: [], vehicles: vehicles, stations: [station], now: now, dayStart: dayStart), issues: []
        )
    }

    var currentState: SourceState { publisher.currentState }
    func states() -> AsyncStream<SourceState> { publisher.states(keepingNewest: 1) }
    func readSnapshotOnce() async throws -> DispatchSnapshot { snapshot }

    func run() async {
        while !Task.isCancelled {
            publisher.publish(snapshot)
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
