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

    /// `figuresOverTheDay`: whether anything shown needs `DispatchSnapshot.day` (a door board does not).
    public static func make(
        _ settings: SourceSettings, figuresOverTheDay: Bool = true, wallClock: @escaping @Sendable () -> Date = { Date() }
    ) -> any DispatchStateSource {
        settings.address.makeSource(settings, figuresOverTheDay: figuresOverTheDay, wallClock: wallClock)
    }

    /// The source, for rebuilding past moments; throws, naming the kind, when it cannot.
    public static func makePastMoments(_ settings: SourceSettings) throws(SourceKindError) -> any PastMomentSource {
        guard let source = make(settings) as? any PastMomentSource else {
            throw .cannotRebuildPastMoment(settings.address.kind)
        }
        return source
    }
}
