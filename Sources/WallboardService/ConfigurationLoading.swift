import Foundation
import WallboardTransport

extension ConfigLoader {
    /// The configuration of a service that opens every kind of transport in `TransportKinds.all`.
    public static func load(contentsOf url: URL) throws -> ServiceConfiguration {
        try load(contentsOf: url, transports: TransportKinds.all)
    }

    /// The configuration of a service that opens every kind of transport in `TransportKinds.all`;
    /// `file` names the text in errors, and its directory anchors relative paths.
    public static func load(_ text: String, file: String) throws -> ServiceConfiguration {
        try load(text, file: file, transports: TransportKinds.all)
    }
}
