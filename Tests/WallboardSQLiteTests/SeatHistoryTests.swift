import Foundation
import GRDB
import Testing
import WallboardDispatch
import WallboardSimulator
import WallboardTestKit
@testable import WallboardSQLite

/// 2026-11-21 00:00 in Shanghai.
private let dayStart = 1_795_190_400.0

private func at(_ offset: Double) -> Date { Date(timeIntervalSince1970: dayStart + offset) }

@Suite struct SeatHistoryTests {
    /// 1号台 (D1): 刘晓燕 logs in at +0, takes C1 from +904 to +990, wraps up until +1010, is away
    /// from +1300 to +1900, and hands over to 陈静 at +3600 (as `seats` shows now): a log-out and a
    /// log-in in the same second, the log-out written last.
    /// 2号台 (D2): 王芳 logs in at +500, takes C2 from +1230 to +1260, logs out at +2000.
    private func makeHistory(_ path: String) throws {
        try makeFixtureDatabase(at: path)
        let t = { (offset: Double) in String(dayStart + offset) }
        try SQLiteShell.run(path, """
            UPDATE seats SET dispatcher_name = '陈静', state = 'idle', state_since = \(t(3600)) WHERE id = 'D1';
            INSERT INTO seats (id, name, dispatcher_name, state, state_since) VALUES ('D2', '2号台', '', NULL, \(t(2000)));
            INSERT INTO calls (id, received_at, answered_at, ended_at, seat_id, outcome) VALUES
                ('C1', \(t(900)), \(t(904)), \(t(990)), 'D1', 'valid'), ('C2', \(t(1200)), \(t(1230)), \(t(1260)), 'D2', 'silent');
            INSERT INTO seat_log (seat_id, at, state, dispatcher_name, call_id) VALUES
                ('D1', \(t(0)), 'idle', '刘晓燕', NULL), ('D1', \(t(904)), 'talking', '刘晓燕', 'C1'),
                ('D1', \(t(990)), 'wrap-up', '刘晓燕', NULL), ('D1', \(t(1010)), 'idle', '刘晓燕', NULL),
                ('D1', \(t(1300)), 'away', '刘晓燕', NULL), ('D1', \(t(1900)), 'idle', '刘晓燕', NULL),
                ('D1', \(t(3600)), 'idle', '陈静', NULL), ('D1', \(t(3600)), NULL, '', NULL),
                ('D2', \(t(500)), 'idle', '王芳', NULL), ('D2', \(t(1230)), 'talking', '王芳', 'C2'),
                ('D2', \(t(1260)), 'idle', '王芳', NULL), ('D2', \(t(2000)), NULL, '', NULL);
            """)
    }

    private func source(_ path: String) -> SQLiteDispatchSource {
        SQLiteDispatchSource(configuration: SQLiteSourceConfiguration(path: path, dayBoundary: .shanghai))
    }

    @Test func aPastMomentHasEachSeatAsItsLogLeftIt() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("seats.db")
        try makeHistory(path)
        let source = source(path)
        func seats(_ offset: Double) async throws -> [Seat] {
            let snapshot = try await source.snapshot(at: at(offset))
            #expect(snapshot.issues.isEmpty, "\(snapshot.issues)")
            return snapshot.seats
        }
        #expect(try await seats(-60) == [
            Seat(id: "D1", name: "1号台", dispatcherName: "", state: nil), Seat(id: "D2", name: "2号台", dispatcherName: "", state: nil),
        ], "nobody had logged in")
        #expect(try await seats(950) == [
            Seat(id: "D1", name: "1号台", dispatcherName: "刘晓燕", state: .talking, stateSince: at(904), currentCallID: "C1"),
            Seat(id: "D2", name: "2号台", dispatcherName: "王芳", state: .idle, stateSince: at(500)),
        ])
        #expect(try await seats(1500) == [
            Seat(id: "D1", name: "1号台", dispatcherName: "刘晓燕", state: .away, stateSince: at(1300)),
            Seat(id: "D2", name: "2号台", dispatcherName: "王芳", state: .idle, stateSince: at(1260)),
        ])
        #expect(try await seats(3599) == [
            Seat(id: "D1", name: "1号台", dispatcherName: "刘晓燕", state: .idle, stateSince: at(1900)),
            Seat(id: "D2", name: "2号台", dispatcherName: "", state: nil, stateSince: at(2000)),
        ], "王芳 had logged out")
        #expect(try await seats(3600) == (try await source.readSnapshotOnce().seats), "from the handover on, the seats are as they are now")
    }

    @Test func withoutASeatLogThePastIsDerivedFromTheCallsAndSaysSo() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("seats.db")
        try makeHistory(path)
        try SQLiteShell.run(path, "DROP TABLE seat_log")
        let source = source(path)
        let derived = DataIssue(table: "seat_log", rowID: "", column: "", problem: .seatsDerivedFromCalls, rowSkipped: false)
        func seats(_ offset: Double) async throws -> [Seat] {
            let snapshot = try await source.snapshot(at: at(offset))
            #expect(snapshot.issues == [derived])
            return snapshot.seats
        }
        #expect(try await seats(950) == [
            Seat(id: "D1", name: "1号台", dispatcherName: "陈静", state: .talking, stateSince: at(904), currentCallID: "C1"),
            Seat(id: "D2", name: "2号台", dispatcherName: "", state: nil),
        ], "D1 was answering C1; D2 had answered nothing; the dispatcher is the one on the seat now")
        #expect(try await seats(1240) == [
            Seat(id: "D1", name: "1号台", dispatcherName: "陈静", state: .idle, stateSince: at(990)),
            Seat(id: "D2", name: "2号台", dispatcherName: "", state: .talking, stateSince: at(1230), currentCallID: "C2"),
        ])
        #expect(try await seats(1200 + 12 * 3600 + 60) == [
            Seat(id: "D1", name: "1号台", dispatcherName: "", state: nil), Seat(id: "D2", name: "2号台", dispatcherName: "", state: nil),
        ], "no call answered in the twelve hours before")
        #expect(derived.description == "seat_log: absent: the seats at a past moment are derived from the calls each one answered (see SCHEMA.md)")
        #expect(try await source.readSnapshotOnce().issues.isEmpty, "the seats now are read from seats")
    }

    @Test func aSeatLogWithoutAllItsColumnsIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("seats.db")
        try makeHistory(path)
        try SQLiteShell.run(path, """
            ALTER TABLE seat_log RENAME TO vendor_seat_log;
            CREATE VIEW seat_log AS SELECT seat_id, at, state FROM vendor_seat_log;
            """)
        let reader = SQLiteSnapshotReader(configuration: SQLiteSourceConfiguration(path: path, dayBoundary: .shanghai))
        try reader.open()
        #expect {
            try reader.readSnapshot(at: at(950))
        } throws: { error in
            let problem = error as? SourceProblem
            return problem?.kind == .interfaceMismatch && problem?.message.contains("'seat_log' lacks columns dispatcher_name, call_id") == true
        }
    }

    /// The simulated city read live from a database simulated up to a moment is the state rebuilt
    /// for that moment from the database simulated on for another hour: seats, vehicles, incidents,
    /// waiting calls and figures. (Positions are the exception SCHEMA.md names: the table keeps only the
    /// latest.) The moment falls ten seconds into the first valid call answered after 10:30, so
    /// that a seat is talking, and between two whole seconds, where the simulator writes nothing.
    @Test func theLiveSnapshotAtAMomentIsTheStateRebuiltForIt() async throws {
        let directory = try TemporaryDirectory()
        func simulate(_ name: String, until end: Date) async throws -> String {
            let path = directory.path(name)
            let settings = SimulationSettings(seed: 5, start: at(6 * 3600), end: end, followsClock: false)
            try await DispatchSimulator(store: SQLiteSimulationStore(path: path), settings: settings).run()
            return path
        }
        let later = try await simulate("later.db", until: at(11.5 * 3600))
        let answered = try await DatabaseQueue(path: later).read { db in
            try Double.fetchOne(db, sql: "SELECT min(answered_at) FROM calls WHERE answered_at >= ? AND outcome = 'valid'", arguments: [dayStart + 10.5 * 3600])
        }
        let moment = Date(timeIntervalSince1970: try #require(answered) + 10.5)
        let simulatedToTheMoment = try await simulate("live.db", until: moment)
        let live = try await SQLiteDispatchSource(configuration: SQLiteSourceConfiguration(path: simulatedToTheMoment, dayBoundary: .shanghai)).readSnapshotOnce()
        let past = try await SQLiteDispatchSource(configuration: SQLiteSourceConfiguration(path: later, dayBoundary: .shanghai)).snapshot(at: moment)
        #expect(live.takenAt == moment && past.takenAt == moment)
        #expect(live.seats.count == 3 && live.seats.contains { $0.state == .talking && $0.currentCallID != nil }, "\(live.seats)")
        #expect(past.seats == live.seats)
        #expect(past.vehicles.map(\.withoutPosition) == live.vehicles.map(\.withoutPosition))
        // The simulator files an incident when its call ends, with the call's time received: the
        // rebuilt state has it from then, while the call is still being taken.
        let callsBeingTaken = Set(live.seats.compactMap(\.currentCallID))
        #expect(past.incidents.filter { !callsBeingTaken.contains($0.callID ?? "") } == live.incidents)
        #expect(past.waitingCalls == live.waitingCalls)
        #expect(past.figures == live.figures)
        #expect(past.day == live.day)
        #expect(past.issues.isEmpty && live.issues.isEmpty, "\(past.issues) \(live.issues)")
    }
}

extension Vehicle {
    fileprivate var withoutPosition: Vehicle {
        var vehicle = self
        (vehicle.latitude, vehicle.longitude, vehicle.heading, vehicle.positionAt) = (nil, nil, nil, nil)
        return vehicle
    }
}
