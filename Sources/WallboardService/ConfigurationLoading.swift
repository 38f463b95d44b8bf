import Foundation
import WallboardConfig
import WallboardSources
import WallboardTransport

extension ConfigLoader {
    /// The configuration as the product reads it: `source:` may name every kind in
    /// `DispatchSources.kinds`, a board's `transport:` every kind in `TransportKinds.all`.
    public static func load(contentsOf url: URL) throws -> ServiceConfiguration {
        try load(contentsOf: url, sources: DispatchSources.kinds, transports: TransportKinds.all)
    }

    /// As `load(contentsOf:)`; `file` names the text in errors, and its directory anchors relative paths.
    public static func load(_ text: String, file: String) throws -> ServiceConfiguration {
        try load(text, file: file, sources: DispatchSources.kinds, transports: TransportKinds.all)
    }
}
