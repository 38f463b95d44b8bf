import ArgumentParser
import WallboardFonts

/// Where to find the fonts, shared by every command that draws text.
public struct FontsOptions: ParsableArguments, Sendable {
    @Option(
        name: .customLong("fonts"),
        help: ArgumentHelp(
            "The Fonts directory (default: $WALLBOARD_FONTS, then Fonts beside the executable or in the source tree).",
            valueName: "path"
        )
    )
    public var directory: String?

    public init() {}

    public func library() throws -> FontLibrary {
        try FontLibrary.locate(explicit: directory)
    }
}
