/// The characters a controller that draws text with its own fonts can show, and the visible
/// placeholder it is sent instead of any other: the one place that decides what text may go to
/// a controller, so that no character in the data can stop a board.
public enum ControllerRepertoire: Sendable, Hashable, CustomStringConvertible {
    /// A Chinese controller's font library in this character set (Onbon cards).
    case chinese(ControllerCharset)
    /// Printable ASCII (Alpha signs).
    case printableASCII

    /// Shown for a character the controller cannot show. Chinese font libraries all have the
    /// white square '□' (GB2312 A1F5, and so GBK too), a box like the one the pixel boards
    /// draw for a glyph their fonts lack; an ASCII sign has nothing closer than '?'.
    public var placeholder: Character {
        switch self {
        case .chinese: "\u{25A1}"
        case .printableASCII: "?"
        }
    }

    public var description: String {
        switch self {
        case .chinese(let charset): charset.rawValue
        case .printableASCII: "printable ASCII"
        }
    }

    /// `text` as the controller can show it. A character (a whole grapheme: an emoji sequence
    /// is one) with any part outside the repertoire becomes one placeholder; control characters
    /// stay, for the encoders drop them and a newline breaks a line.
    public func showable(_ text: String) -> ShowableText {
        let rejected: Set<Unicode.Scalar>
        switch self {
        case .printableASCII:
            if text.utf8.allSatisfy({ $0 < 0x80 }) { return ShowableText(text: text, substituted: []) }
            rejected = Set(text.unicodeScalars.filter { !$0.isASCII })
        case .chinese(let charset):
            do {
                _ = try ControllerTextCodec.encode(text, charset: charset)
                return ShowableText(text: text, substituted: [])
            } catch {
                // Without a converter nothing can be judged: the encoder reports the machine's fault.
                if error.converterMissing { return ShowableText(text: text, substituted: []) }
                rejected = Set(error.characters.flatMap(\.unicodeScalars))
            }
        }
        var shown = ""
        var substituted: [Character] = []
        var seen: Set<Character> = []
        for character in text {
            if character.unicodeScalars.contains(where: rejected.contains) {
                shown.append(placeholder)
                if seen.insert(character).inserted { substituted.append(character) }
            } else {
                shown.append(character)
            }
        }
        return ShowableText(text: shown, substituted: substituted)
    }
}

/// Text a controller can show, and the characters replaced to make it so.
public struct ShowableText: Sendable, Hashable {
    public var text: String
    /// Each replaced character once, in the order of first appearance.
    public var substituted: [Character]

    public init(text: String, substituted: [Character]) {
        self.text = text
        self.substituted = substituted
    }
}

extension Character {
    /// The character as errors and warnings name it: '喆' (U+5586).
    public var named: String { UnencodableTextError.named(self) }
}
