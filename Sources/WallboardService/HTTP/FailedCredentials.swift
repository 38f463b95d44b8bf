import Foundation
import Synchronization

/// Refused credentials by client address: more than `limit` within `window`, and the address is
/// refused (429) for the next `window`, however right its next credential is; other addresses are
/// not affected.
final class FailedCredentials: Sendable {
    let limit: Int
    let window: TimeInterval

    private struct Record {
        var failures: [Date] = []
        var blockedUntil: Date?
    }

    private let records = Mutex<[String: Record]>([:])

    init(limit: Int = 10, window: TimeInterval = 60) {
        self.limit = limit
        self.window = window
    }

    /// Until when `client` is refused; nil when it may try.
    func blockedUntil(_ client: String, now: Date) -> Date? {
        records.withLock { records in
            guard let until = records[client]?.blockedUntil, until > now else { return nil }
            return until
        }
    }

    /// Counts a refused credential from `client`; returns until when the client is now refused, if it is.
    func record(_ client: String, now: Date) -> Date? {
        records.withLock { records in
            // Addresses seen long ago are forgotten, so that many addresses cannot grow this without bound.
            if records.count > 4096 {
                records = records.filter { _, record in
                    (record.blockedUntil ?? .distantPast) > now || record.failures.contains { now.timeIntervalSince($0) < window }
                }
            }
            var record = records[client] ?? Record()
            record.failures = record.failures.filter { now.timeIntervalSince($0) < window } + [now]
            if record.failures.count > limit {
                record.blockedUntil = now.addingTimeInterval(window)
                record.failures = []
            }
            records[client] = record
            return record.blockedUntil.flatMap { $0 > now ? $0 : nil }
        }
    }
}
