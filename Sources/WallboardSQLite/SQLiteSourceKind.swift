import Foundation
import WallboardDispatch
import WallboardSimulator
import WallboardSourceKit
import WallboardYAML

/// A SQLite file that the dispatch system writes (the embedded default): `source: {sqlite: PATH}`, `--db PATH`.
public struct SQLiteSourceKind: SourceKind {
    public init() {}

    public var name: String { "sqlite" }
    public var option: String { "db" }
    public var optionValue: String { "path" }
    public var summary: String { "the dispatch SQLite database (opened read-only)" }

    public func address(configured value: YAMLValue, base: URL) throws -> any SourceAddress {
        SQLiteFile(path: try value.path(relativeTo: base))
    }

    public func address(option text: String) throws(SourceKindError) -> any SourceAddress {
        guard !text.isEmpty else { throw SourceKindError("--db needs the path of the dispatch SQLite database") }
        return SQLiteFile(path: text)
    }
}

/// The SQLite file a source reads.
public struct SQLiteFile: SourceAddress, Equatable {
    public var path: String

    public init(path: String) {
        self.path = path
    }

    public var kind: any SourceKind { SQLiteSourceKind() }
    /// A local file is cheap to ask.
    public var defaultPollInterval: Duration { .milliseconds(10) }
    public var configured: [String] { [path] }
    public var description: String { path }

    public func makeSource(_ settings: SourceSettings, scope: ReadScope, wallClock: @escaping @Sendable () -> Date) -> any DispatchStateSource {
        SQLiteDispatchSource(configuration: SQLiteSourceConfiguration(
            path: path, dayBoundary: settings.dayBoundary, pollInterval: settings.pollInterval,
            retryInterval: settings.retryInterval, wallClock: wallClock, scope: scope
        ))
    }
}

extension SQLiteFile: SimulatedSourceAddress {
    /// A fresh file in `workDirectory` when one is given, else this one; its rows are replaced.
    public func simulation(_ settings: SimulationSettings, workDirectory: String?) async throws -> SimulatedSource {
        let file = workDirectory.map { SQLiteFile(path: URL(fileURLWithPath: $0).appendingPathComponent("dispatch.db").path) } ?? self
        let folder = URL(fileURLWithPath: file.path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return SimulatedSource(
            simulator: try await DispatchSimulator(store: SQLiteSimulationStore(path: file.path, journalMode: .wal), settings: settings),
            address: file, folder: folder
        )
    }
}
