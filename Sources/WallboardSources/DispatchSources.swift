import Foundation
import WallboardConfig
import WallboardDispatch
import WallboardPostgres
import WallboardSQLite
import WallboardSourceKit

/// The kinds of source the product reads, and the one place where settings become a source, with
/// the day starting at the configured zone's midnight, so that no two commands can disagree on
/// when today's figures start again.
public enum DispatchSources {
    /// Every kind `source:` and the commands' source options accept; a new kind is one entry here.
    public static let kinds = SourceKinds([
        SQLiteSourceKind(),
        PostgresSourceKind(),
    ])

    /// `scope`: the stations and parts of the state the boards shown can show (`ReadScope(boards:)`).
    public static func make(
        _ settings: SourceSettings, scope: ReadScope = .wholeCentre, wallClock: @escaping @Sendable () -> Date = { Date() }
    ) -> any DispatchStateSource {
        settings.address.makeSource(settings, scope: scope, wallClock: wallClock)
    }

    /// The source, for rebuilding past moments; throws, naming the kind, when it cannot.
    public static func makePastMoments(_ settings: SourceSettings, scope: ReadScope = .wholeCentre) throws(SourceKindError) -> any PastMomentSource {
        guard let source = make(settings, scope: scope) as? any PastMomentSource else {
            throw .cannotRebuildPastMoment(settings.address.kind)
        }
        return source
    }
}
