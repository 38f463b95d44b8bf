import Crypto
import Foundation
import Glibc
import Synchronization
import WallboardConfig

/// Wall PCs' browsers enrolled once as viewers, so that a reboot needs nobody at the keyboard: an
/// admin makes a one-time enrolment link, the wall PC's browser redeems it for a cookie, and the
/// admin may revoke that kiosk at any time. The file (`http.kiosks`, mode 600, replaced whole on
/// every change) keeps only the SHA-256 of each cookie's secret; links live in memory only, so a
/// restart voids those not yet used.
final class KioskRegistry: Sendable {
    /// An enrolled kiosk as the file keeps it.
    struct Kiosk: Codable, Sendable {
        var name: String
        /// The board whose page the kiosk was enrolled for; nil: the console.
        var board: String?
        var enrolledBy: String
        var created: Date
        /// The last request with its cookie, as last written to the file (at most `renewal` old).
        var lastSeen: Date
        var secretHash: String
    }

    /// What the console lists of a kiosk.
    struct Report: Encodable {
        var name: String
        var board: String?
        var enrolledBy: String
        var created: Date
        var lastSeen: Date
        /// When the cookie lapses unless the kiosk is used before then.
        var expires: Date
    }

    /// A link made and not used yet.
    struct Enrolment: Sendable {
        var name: String
        var board: String?
        var by: String
        var expires: Date
    }

    static let cookieName = "wallboard-kiosk"
    /// A kiosk unused this long must be enrolled again; every use renews it (an idle timeout of a
    /// month, where a person's session would have minutes: a wall PC runs unattended).
    static let lifetime: TimeInterval = 30 * 86400
    /// How often a kiosk in use has its cookie and its line in the file renewed.
    static let renewal: TimeInterval = 3600
    /// How long an enrolment link may wait for the wall PC.
    static let linkLifetime: TimeInterval = 15 * 60

    let path: String
    private struct State {
        /// By the SHA-256 of the cookie's secret.
        var kiosks: [String: Kiosk]
        /// By the SHA-256 of the link's code.
        var links: [String: Enrolment] = [:]
    }

    private let state: Mutex<State>

    /// The kiosks enrolled so far, from `path` when it exists (refused if group or others may read it).
    init(path: String) throws {
        self.path = path
        var kiosks: [Kiosk] = []
        if FileManager.default.fileExists(atPath: path) {
            let data = try AccessTokens.readSecret(file: path, holding: "kiosk")
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            do {
                kiosks = try decoder.decode([Kiosk].self, from: data)
            } catch {
                throw KioskFileError(path, "is not a list of kiosks as Wallboard writes it: \(error)")
            }
        }
        state = Mutex(State(kiosks: Dictionary(kiosks.map { ($0.secretHash, $0) }, uniquingKeysWith: { first, _ in first })))
    }

    enum EnrolmentRefusal: Error, Equatable {
        case badName
        case taken
    }

    /// A one-time link's code for a kiosk `name` (letters, digits, `-`, `_`, `.`; at most 64), valid
    /// for `linkLifetime`; a newer link for the same name replaces an older one.
    func link(name: String, board: String?, by user: String, now: Date) throws(EnrolmentRefusal) -> (code: String, expires: Date) {
        guard Self.isValidName(name) else { throw .badName }
        let code = AccessTokens.random()
        let expires = now.addingTimeInterval(Self.linkLifetime)
        try state.withLock { (state: inout State) throws(EnrolmentRefusal) in
            guard !state.kiosks.values.contains(where: { $0.name == name }) else { throw .taken }
            state.links = state.links.filter { $0.value.name != name && $0.value.expires > now }
            state.links[Self.hash(code)] = Enrolment(name: name, board: board, by: user, expires: expires)
        }
        return (code, expires)
    }

    /// The link whose code is `code`, if it may still be used; the link stays unused.
    func pendingLink(code: String, now: Date) -> Enrolment? {
        state.withLock { state in
            state.links[Self.hash(code)].flatMap { $0.expires > now ? $0 : nil }
        }
    }

    /// Redeems a link's code once: the kiosk, written to the file, and its cookie's secret; nil for
    /// a code that is unknown, used or expired.
    func redeem(code: String, now: Date) throws -> (kiosk: Kiosk, secret: String)? {
        try state.withLock { state in
            guard let link = state.links.removeValue(forKey: Self.hash(code)), link.expires > now,
                  !state.kiosks.values.contains(where: { $0.name == link.name })
            else { return nil }
            let secret = AccessTokens.random()
            let kiosk = Kiosk(name: link.name, board: link.board, enrolledBy: link.by, created: now, lastSeen: now, secretHash: Self.hash(secret))
            var kiosks = state.kiosks
            kiosks[kiosk.secretHash] = kiosk
            try save(kiosks)
            state.kiosks = kiosks
            return (kiosk, secret)
        }
    }

    /// The kiosk whose cookie holds `secret`, unless it lapsed; `renew` when its cookie should be
    /// set again (and its last use has just been written).
    func kiosk(secret: String, now: Date) -> (kiosk: Kiosk, renew: Bool)? {
        state.withLock { state in
            // A lookup by hash: how long it takes says nothing about the secret.
            let hash = Self.hash(secret)
            guard var kiosk = state.kiosks[hash], now.timeIntervalSince(kiosk.lastSeen) < Self.lifetime else { return nil }
            guard now.timeIntervalSince(kiosk.lastSeen) >= Self.renewal else { return (kiosk, false) }
            kiosk.lastSeen = now
            var kiosks = state.kiosks
            kiosks[hash] = kiosk
            // A file that cannot be written keeps the kiosk working until the next renewal tries again.
            guard (try? save(kiosks)) != nil else { return (kiosk, false) }
            state.kiosks = kiosks
            return (kiosk, true)
        }
    }

    /// Whether `secret` is an enrolled kiosk's that has not lapsed; nothing is renewed.
    func admits(secret: String, now: Date) -> Bool {
        state.withLock { state in
            state.kiosks[Self.hash(secret)].map { now.timeIntervalSince($0.lastSeen) < Self.lifetime } ?? false
        }
    }

    /// Whether a kiosk of that name is enrolled now (a revoked one is not).
    func isEnrolled(_ name: String) -> Bool {
        state.withLock { $0.kiosks.values.contains { $0.name == name } }
    }

    /// Removes the kiosk `name`; false when there is none.
    func revoke(_ name: String) throws -> Bool {
        try state.withLock { state in
            let kiosks = state.kiosks.filter { $0.value.name != name }
            guard kiosks.count < state.kiosks.count else { return false }
            try save(kiosks)
            state.kiosks = kiosks
            return true
        }
    }

    /// The kiosks by name.
    var reports: [Report] {
        state.withLock { state in
            state.kiosks.values.sorted { $0.name < $1.name }.map {
                Report(
                    name: $0.name, board: $0.board, enrolledBy: $0.enrolledBy, created: $0.created, lastSeen: $0.lastSeen,
                    expires: $0.lastSeen.addingTimeInterval(Self.lifetime)
                )
            }
        }
    }

    /// Writes `kiosks` to a file beside `path`, on disk, then puts it in `path`'s place: a crash
    /// leaves the old file or the new one, never half of one.
    private func save(_ kiosks: [String: Kiosk]) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let bytes = Array(try encoder.encode(kiosks.values.sorted { $0.name < $1.name }))
        let temporary = path + ".new"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw KioskFileError(temporary, "cannot write the kiosks: \(String(cString: strerror(errno)))") }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            let problem = String(cString: strerror(errno))
            unlink(temporary)
            throw KioskFileError(path, "cannot write the kiosks: \(problem)")
        }
    }

    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.count) && name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) }
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// The kiosks' file cannot be read or written, with the file and the reason.
struct KioskFileError: Error, CustomStringConvertible {
    let description: String

    init(_ path: String, _ problem: String) {
        description = "\(path): \(problem)"
    }
}
