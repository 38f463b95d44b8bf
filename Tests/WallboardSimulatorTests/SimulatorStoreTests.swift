import Foundation
import Synchronization
import Testing
import WallboardInterface
import WallboardSimulator

/// A store that keeps what it is given: the simulator without any database.
final class RecordingStore: SimulationStore {
    let name = "recording"
    private let recorded = Mutex<(transactions: [[InterfaceStatement]], questions: [String])>(([], []))

    var transactions: [[InterfaceStatement]] { recorded.withLock { $0.transactions } }
    var questions: [String] { recorded.withLock { $0.questions } }

    func installInterface() async throws {}
    func setDurable(_ durable: Bool) async throws {}

    func commit(_ statements: [InterfaceStatement]) async throws {
        recorded.withLock { $0.transactions.append(statements) }
    }

    /// An empty database.
    func number(_ sql: String) async throws -> Double? {
        recorded.withLock { $0.questions.append(sql) }
        return 0
    }
}

@Suite struct SimulatorStoreTests {
    /// 2026-11-20 08:00 in Shanghai.
    static let morning = Date(timeIntervalSince1970: 1_795_132_800)

    static func simulate(seed: UInt64, hours: Double) async throws -> RecordingStore {
        let store = RecordingStore()
        let settings = SimulationSettings(seed: seed, start: morning, end: morning.addingTimeInterval(hours * 3600), followsClock: false)
        try await DispatchSimulator(store: store, settings: settings).run()
        return store
    }

    @Test func theSimulatorKeepsItsOwnStateAndOnlyWrites() async throws {
        let store = try await Self.simulate(seed: 1, hours: 2)
        // The one question is whether the database already holds a centre; nothing is read back.
        #expect(store.questions == ["SELECT (SELECT count(*) FROM vehicles) + (SELECT count(*) FROM calls)"])
        let transactions = store.transactions
        #expect(transactions.count > 100, "one transaction per simulated minute at most")
        let city = try #require(transactions.first)
        #expect(city.filter { $0.sql.hasPrefix("INSERT INTO stations") }.count == 12)
        #expect(city.filter { $0.sql.hasPrefix("INSERT INTO vehicles") }.count == 36)
        for transaction in transactions.dropFirst() {
            #expect(transaction.suffix(3).map { $0.arguments.first } == [.text("simulated_time"), .text("simulated_wall_time"), .text("simulated_speed")])
        }
        let statements = transactions.joined()
        #expect(statements.allSatisfy { !$0.sql.uppercased().hasPrefix("SELECT") && !$0.sql.contains("(SELECT") })
        #expect(statements.contains { $0.sql.hasPrefix("INSERT INTO incidents") })
        #expect(statements.contains { $0.sql.hasPrefix("UPDATE vehicle_tasks SET completed_at") })
    }

    @Test func theSameSeedWritesTheSameStatements() async throws {
        // The wall-clock time of each write differs from run to run; everything else must not.
        func written(_ store: RecordingStore) -> [InterfaceStatement] {
            store.transactions.joined().filter { $0.arguments.first != .text("simulated_wall_time") }
        }
        let first = try await Self.simulate(seed: 4, hours: 1)
        let again = try await Self.simulate(seed: 4, hours: 1)
        let other = try await Self.simulate(seed: 5, hours: 1)
        #expect(written(first) == written(again))
        #expect(written(first) != written(other))
    }
}
