import Foundation
import Testing
import WallboardDispatch
@testable import WallboardLayout

/// A board bound to snapshot after snapshot for months keeps only what it can still show.
@Suite struct BoundBoardMemoryTests {
    /// The fixture's station S1 with no vehicle dispatched.
    static func idleSnapshot() -> DispatchSnapshot {
        var snapshot = Fixture.snapshot()
        snapshot.vehicles[0].task = nil
        snapshot.vehicles[0].incidentID = nil
        snapshot.vehicles[0].statusCode = 7
        snapshot.vehicles[0].status = .standby
        return snapshot
    }

    @Test func aDoorBoardLetsGoOfAlertsThatEnded() throws {
        let board = try DoorBoardTests.doorBoard()
        var bound = board.bind(Self.idleSnapshot(), staleSince: nil)
        func show(_ snapshot: DispatchSnapshot) {
            bound.rebind(snapshot, staleSince: nil)
            // Two rotations: every alert of the snapshot is drawn.
            for offset in stride(from: 0.0, to: 16, by: 1) { _ = bound.render(at: Fixture.now.addingTimeInterval(offset)) }
        }
        for _ in 0..<3 {
            show(Fixture.snapshot())
            show(Fixture.snapshot(secondAlert: true))
            #expect(bound.statesKept.isSuperset(of: ["alert:V1:0/2", "alert:V2:1/2"]), "\(bound.statesKept.sorted())")
            show(Fixture.snapshot())
            #expect(!bound.statesKept.contains { $0.hasPrefix("alert:V2:") }, "V2 stood down: \(bound.statesKept.sorted())")
            show(Self.idleSnapshot())
            #expect(bound.statesKept == ["idle"], "\(bound.statesKept.sorted())")
        }
    }
}
