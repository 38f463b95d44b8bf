import Foundation
import WallboardDispatch
import WallboardYAML

/// One kind of dispatch source (a SQLite file, PostgreSQL servers, …): how the configuration and
/// the command line name it. A kind is registered by one entry in `DispatchSources.kinds`
/// (`Sources/WallboardSources`); nothing else has to learn its name.
public protocol SourceKind: Sendable {
    /// The key under `source:` in the configuration (`sqlite`), also what `/healthz` reports.
    var name: String { get }
    /// The command-line option that names such a source: `db` for `--db PATH`.
    var option: String { get }
    /// What follows the option, for `--help`: `path`, `url`.
    var optionValue: String { get }
    /// One line for `--help`: what the option names.
    var summary: String { get }
    /// `source: {NAME: VALUE}`; relative paths resolved against `base` (the configuration's folder),
    /// errors at VALUE's file:line:column.
    func address(configured value: YAMLValue, base: URL) throws -> any SourceAddress
    /// `--OPTION TEXT` on the command line.
    func address(option text: String) throws(SourceKindError) -> any SourceAddress
}

/// Where a source of one kind finds its data (a file, servers), and how to read it there.
public protocol SourceAddress: Sendable, CustomStringConvertible {
    var kind: any SourceKind { get }
    /// How often the source is asked whether it changed, unless the configuration says.
    var defaultPollInterval: Duration { get }
    /// What `/healthz` and `/api/v1/source` report as configured: the file, the servers in the order tried.
    var configured: [String] { get }
    /// Files holding a secret (a password), each with the setting that names it, checked when the
    /// service starts so that a wrong mode or a missing file is found before the first read.
    var secretFiles: [SecretFile] { get }
    /// The source, reading what `scope` reaches at the pace `settings` give.
    func makeSource(_ settings: SourceSettings, scope: ReadScope, wallClock: @escaping @Sendable () -> Date) -> any DispatchStateSource
}

extension SourceAddress {
    public var secretFiles: [SecretFile] { [] }
}

/// A file that holds a secret, and the setting under `source.KIND` that names it.
public struct SecretFile: Sendable, Equatable {
    public var setting: String
    public var path: String
    /// What the file holds, for messages: `password`.
    public var holding: String

    public init(setting: String, path: String, holding: String) {
        self.setting = setting
        self.path = path
        self.holding = holding
    }
}

/// A source named wrongly on the command line, or asked for what its kind cannot do.
public struct SourceKindError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }

    /// `kind` keeps no history to rebuild a past moment from (`state --at`, `layout render --at`, `replay`).
    public static func cannotRebuildPastMoment(_ kind: any SourceKind) -> SourceKindError {
        SourceKindError("source kind \(kind.name) cannot rebuild a past moment; only the current state can be read from it")
    }
}
