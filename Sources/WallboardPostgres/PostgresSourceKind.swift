import Foundation
import WallboardDispatch
import WallboardSimulator
import WallboardSourceKit
import WallboardYAML

/// The centre's PostgreSQL server, or its hot standbys: `source: {postgres: URL or {hosts, database, user, …}}`, `--postgres URL`.
public struct PostgresSourceKind: SourceKind {
    public init() {}

    public var name: String { "postgres" }
    public var option: String { "postgres" }
    public var optionValue: String { "url" }
    public var summary: String {
        "the dispatch database on PostgreSQL (read-only): postgresql://USER@HOST[:PORT][,HOST[:PORT]…]/DATABASE[?sslmode=…&passwordFile=PATH&application_name=…]"
    }

    /// The URL every command takes, or a mapping. A relative `passwordFile` is resolved against the
    /// configuration's folder either way.
    public func address(configured value: YAMLValue, base: URL) throws -> any SourceAddress {
        if case .scalar = value.node {
            let url = try value.string()
            var settings: PostgresSettings
            do {
                settings = try PostgresSettings(url: url)
            } catch {
                throw value.error(error.message)
            }
            if let file = settings.passwordFile, !file.hasPrefix("/") {
                settings.passwordFile = base.appendingPathComponent(file).standardized.path
            }
            return settings
        }
        let fields = try value.mapping()
        try fields.rejectUnknownKeys(["hosts", "database", "user", "passwordFile", "sslmode", "applicationName"])
        let hostsValue = try fields.required("hosts")
        let hosts = try hostsValue.sequence().map { hostValue in
            let text = try hostValue.string()
            guard let host = PostgresSettings.Host(text) else { throw hostValue.error("'\(text)' is not HOST or HOST:PORT") }
            return host
        }
        guard !hosts.isEmpty else { throw hostsValue.error("'hosts' lists no server; add at least one HOST:PORT") }
        var tls = PostgresSettings.TLSMode.prefer
        if let tlsValue = fields.optional("sslmode") {
            let word = try tlsValue.string()
            guard let mode = PostgresSettings.TLSMode(rawValue: word) else {
                throw tlsValue.error("sslmode '\(word)' is not one of \(PostgresSettings.TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            tls = mode
        }
        return PostgresSettings(
            hosts: hosts, database: try fields.required("database").string(), user: try fields.required("user").string(),
            passwordFile: try fields.optional("passwordFile").map { try $0.path(relativeTo: base) }, tls: tls,
            applicationName: try fields.optional("applicationName")?.string() ?? "wallboard"
        )
    }

    public func address(option text: String) throws(SourceKindError) -> any SourceAddress {
        do {
            return try PostgresSettings(url: text)
        } catch {
            throw SourceKindError(error.message)
        }
    }
}

extension PostgresSettings: SourceAddress {
    public var kind: any SourceKind { PostgresSourceKind() }
    /// A standby serves many instances.
    public var defaultPollInterval: Duration { .milliseconds(20) }
    public var configured: [String] { hosts.map(\.description) }
    public var secretFiles: [SecretFile] { passwordFile.map { [SecretFile(setting: "passwordFile", path: $0, holding: "password")] } ?? [] }
    public var description: String { "\(hosts.map(\.description).joined(separator: ",")) database \(database) as \(user)" }

    public func makeSource(_ settings: SourceSettings, scope: ReadScope, wallClock: @escaping @Sendable () -> Date) -> any DispatchStateSource {
        PostgresDispatchSource(configuration: PostgresSourceConfiguration(
            connection: self, dayBoundary: settings.dayBoundary, pollInterval: settings.pollInterval,
            safetyPollInterval: min(.seconds(2), settings.staleAfter / 3),
            retryInterval: settings.retryInterval, scope: scope, wallClock: wallClock
        ))
    }
}

extension PostgresSettings: SimulatedSourceAddress {
    /// The primary among the hosts, its dispatch rows replaced.
    public func simulation(_ settings: SimulationSettings, workDirectory: String?) async throws -> SimulatedSource {
        let simulator = try await DispatchSimulator(store: try await PostgresSimulationStore.open(self), settings: settings)
        return SimulatedSource(simulator: simulator, address: self, folder: nil)
    }
}
