import Foundation
import Testing
import WallboardDispatch
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
        let past = try await Replay(configuration: config).source(database: nil).snapshot(at: moment)
        #expect(past.dayStart == newYork.dayStart(containing: moment))
    }
}
