import Foundation
import Synchronization

/// The doorbells rung when a board's or a processor's health changes: the console's live
/// status waits on one and sends at once.
final class HealthWatchers: Sendable {
    private let bells = Mutex<[UUID: Doorbell]>([:])

    /// Rings `bell` at every change until `unwatch` with the returned key.
    func watch(_ bell: Doorbell) -> UUID {
        let key = UUID()
        bells.withLock { $0[key] = bell }
        return key
    }

    func unwatch(_ key: UUID) {
        bells.withLock { _ = $0.removeValue(forKey: key) }
    }

    func ringAll() {
        for bell in bells.withLock({ Array($0.values) }) { bell.ring() }
    }
}
