import WallboardRender

public enum HorizontalAlignment: String, Hashable, Sendable, CaseIterable {
    case left, centre, right
}

public enum VerticalAlignment: String, Hashable, Sendable, CaseIterable {
    case top, middle, bottom
}

/// One laid-out line and its width in pixels.
public struct TextLine: Hashable, Sendable {
    public let text: String
    public let width: Int

    public init(text: String, width: Int) {
        self.text = text
        self.width = width
    }
}

/// Text broken into lines that fit a box, by Chinese line-breaking rules, with an ellipsis
/// where it had to be cut.
///
/// - No line starts with closing punctuation (，。、）》！？：；” and the like) and none ends with
///   opening punctuation (（《“ and the like).
/// - Numbers, Latin words and plates (粤A·12345, 12:34) stay whole; a word wider than the box is
///   split by characters rather than lost.
/// - Spaces at a break disappear; `\n` starts a new line.
public struct TextLayout: Sendable {
    public let chain: FontChain
    public let lines: [TextLine]
    /// True when text was cut and an ellipsis ends the last line.
    public let truncated: Bool
    /// Characters of the text no font in the chain can draw (drawn as replacement boxes).
    public let missing: [Unicode.Scalar]
    /// The box the text was laid out for.
    public let boxWidth: Int
    public let boxHeight: Int

    /// Lays `text` out for a box of `width` × `height` pixels.
    ///
    /// With `wrap`, long lines break by the rules above; without it each paragraph is one line.
    /// At most `maxLines` lines (and no more than the box height holds, but always at least one)
    /// are kept; the rest is cut with an ellipsis, as is a line too wide without `wrap`.
    public init(_ text: String, chain: FontChain, width: Int, height: Int, wrap: Bool = true, maxLines: Int? = nil) {
        self.chain = chain
        self.boxWidth = width
        self.boxHeight = height
        self.missing = chain.missingCharacters(in: text)
        let lineLimit = max(1, min(maxLines ?? Int.max, height / max(1, chain.lineHeight)))
        let breaker = LineBreaker(chain: chain, width: max(0, width))
        var lines: [TextLine] = []
        var truncated = false
        for paragraph in paragraphs(of: text) {
            if wrap {
                lines.append(contentsOf: breaker.breakLines(paragraph))
            } else {
                lines.append(breaker.line(paragraph))
            }
            if lines.count > lineLimit { break }
        }
        if lines.count > lineLimit {
            lines.removeSubrange(lineLimit...)
            truncated = true
        }
        let lastIndex = lines.count - 1
        for (index, line) in lines.enumerated() where line.width > width || (truncated && index == lastIndex) {
            lines[index] = breaker.withEllipsis(line.text)
            truncated = true
        }
        self.lines = lines
        self.truncated = truncated
    }

    /// The height of all lines.
    public var height: Int { lines.count * chain.lineHeight }
    /// The widest line.
    public var width: Int { lines.map(\.width).max() ?? 0 }
    /// True when nothing was cut and the lines fit the box.
    public var fits: Bool { !truncated && height <= boxHeight && width <= boxWidth }

    /// Draws the lines aligned in `rect` (and clipped to it); returns the characters no font
    /// could draw.
    @discardableResult
    public func draw(
        on canvas: inout Canvas, in rect: Rect, horizontal: HorizontalAlignment = .left,
        vertical: VerticalAlignment = .top, colour: Color
    ) -> [Unicode.Scalar] {
        let top: Int
        switch vertical {
        case .top: top = rect.y
        case .middle: top = rect.y + (rect.height - height) / 2
        case .bottom: top = rect.maxY - height
        }
        canvas.clipped(to: rect) { canvas in
            for (index, line) in lines.enumerated() {
                let x: Int
                switch horizontal {
                case .left: x = rect.x
                case .centre: x = rect.x + (rect.width - line.width) / 2
                case .right: x = rect.maxX - line.width
                }
                chain.draw(line.text, on: &canvas, x: x, baseline: top + index * chain.lineHeight + chain.ascent, colour: colour)
            }
        }
        return missing
    }

    /// The layout with the tallest chain of `chains` whose text fits the box uncut; when none
    /// fits, the shortest chain's layout (cut with an ellipsis). Nil only when `chains` is empty.
    public static func largestFitting(
        _ text: String, chains: [FontChain], width: Int, height: Int, wrap: Bool = true, maxLines: Int? = nil
    ) -> TextLayout? {
        let tallestFirst = chains.sorted { $0.lineHeight > $1.lineHeight }
        var last: TextLayout?
        for chain in tallestFirst {
            let layout = TextLayout(text, chain: chain, width: width, height: height, wrap: wrap, maxLines: maxLines)
            if layout.fits { return layout }
            last = layout
        }
        return last
    }
}

/// `text` split at line feeds (`\r\n`, `\n`, `\r`).
private func paragraphs(of text: String) -> [Substring] {
    text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
}

/// Characters that may not start a line: closing brackets and quotes, sentence and clause
/// punctuation, the middle dot and the dash.
let noLineStart = codes("，。、）》！？：；”’」』】〕〉〗｝］…‥·・％%,.!?:;)]}>ー々〜～—―")
/// Characters that may not end a line: opening brackets and quotes, currency signs.
let noLineEnd = codes("（《“‘「『【〔〈〖｛［([{<￥$")
/// Characters that join letters and digits on both sides into one word (12:34, 3.5, A·12345).
let wordJoiners = codes("·・.:-/,'_")

/// The code points of `text`; sets of code points are far cheaper to query than sets of
/// `Character`, which hash through Unicode normalisation.
private func codes(_ text: String) -> Set<UInt32> { Set(text.unicodeScalars.map(\.value)) }

/// One character of a paragraph with what line breaking asks about it.
private struct Slot {
    let character: Character
    /// The character's first code point (the base of a combining sequence).
    let code: UInt32
    let width: Int
}

/// One piece that is never broken (a glued group of tokens) and the space before it.
private struct BreakUnit {
    var text: String
    var width: Int
    var spaceBefore: Int
}

struct LineBreaker {
    let chain: FontChain
    let width: Int

    /// The paragraph as one line, spaces at the ends removed.
    func line(_ paragraph: Substring) -> TextLine {
        let text = String(paragraph.replacing("\t", with: " ")).trimmingSpaces()
        return TextLine(text: text, width: chain.measure(text))
    }

    func breakLines(_ paragraph: Substring) -> [TextLine] {
        let units = self.units(of: paragraph)
        var lines: [TextLine] = []
        var text = ""
        var lineWidth = 0
        for unit in units {
            if !text.isEmpty && lineWidth + unit.spaceBefore + unit.width <= width {
                text += String(repeating: " ", count: unit.spaceBefore > 0 ? 1 : 0) + unit.text
                lineWidth += unit.spaceBefore + unit.width
                continue
            }
            if !text.isEmpty {
                lines.append(TextLine(text: text, width: lineWidth))
                text = ""
                lineWidth = 0
            }
            if unit.width <= width {
                text = unit.text
                lineWidth = unit.width
            } else {
                // Wider than the box on its own: split by characters so nothing is lost.
                for character in unit.text {
                    let characterWidth = chain.measure(String(character))
                    if !text.isEmpty && lineWidth + characterWidth > width {
                        lines.append(TextLine(text: text, width: lineWidth))
                        text = ""
                        lineWidth = 0
                    }
                    text.append(character)
                    lineWidth += characterWidth
                }
            }
        }
        if !text.isEmpty || lines.isEmpty { lines.append(TextLine(text: text, width: lineWidth)) }
        return lines
    }

    /// `text` shortened, character by character from the end, until it and an ellipsis fit.
    func withEllipsis(_ text: String) -> TextLine {
        let ellipsis = chain.canDraw("…") ? "…" : "..."
        let ellipsisWidth = chain.measure(ellipsis)
        var kept = Array(text)
        var keptWidth = chain.measure(text)
        while !kept.isEmpty && keptWidth + ellipsisWidth > width {
            keptWidth -= chain.measure(String(kept.removeLast()))
        }
        while let last = kept.last, last == " " || noLineEnd.contains(last.unicodeScalars.first?.value ?? 0) {
            keptWidth -= chain.measure(String(kept.removeLast()))
        }
        return TextLine(text: String(kept) + ellipsis, width: keptWidth + ellipsisWidth)
    }

    /// The paragraph cut into units that are never broken, each with the width of the spaces
    /// before it (a break opportunity where those spaces vanish).
    private func units(of paragraph: Substring) -> [BreakUnit] {
        let slots = paragraph.map { character in
            var width = 0
            for scalar in character.unicodeScalars { width += chain.advance(of: scalar) }
            return Slot(character: character, code: character.unicodeScalars.first?.value ?? 0, width: width)
        }
        let spaceWidth = chain.advance(of: " ")
        var units: [BreakUnit] = []
        var lastCode: UInt32 = 0
        var index = 0
        var pendingSpace = 0
        while index < slots.count {
            let slot = slots[index]
            if isSpace(slot.code) {
                pendingSpace += spaceWidth
                index += 1
                continue
            }
            var end = index + 1
            var hasDigit = isDigit(slot.code)
            if isWordCharacter(slot) {
                while end < slots.count {
                    if isWordCharacter(slots[end]) {
                        hasDigit = hasDigit || isDigit(slots[end].code)
                        end += 1
                    } else if wordJoiners.contains(slots[end].code), end + 1 < slots.count, isWordCharacter(slots[end + 1]) {
                        end += 2
                    } else {
                        break
                    }
                }
            }
            var token = ""
            var tokenWidth = 0
            for slot in slots[index..<end] {
                token.append(slot.character)
                tokenWidth += slot.width
            }
            let together = !units.isEmpty && pendingSpace == 0
                && (noLineStart.contains(slot.code) || noLineEnd.contains(lastCode)
                    // A plate: a province character, a letter and a number (粤A·12345).
                    || (isIdeograph(lastCode) && slot.code >= 0x41 && slot.code <= 0x5A && hasDigit))
            if together {
                units[units.count - 1].text += token
                units[units.count - 1].width += tokenWidth
            } else {
                units.append(BreakUnit(text: token, width: tokenWidth, spaceBefore: units.isEmpty ? 0 : pendingSpace))
            }
            lastCode = slots[end - 1].code
            pendingSpace = 0
            index = end
        }
        return units
    }
}

private func isSpace(_ code: UInt32) -> Bool {
    switch code {
    case 0x09, 0x0B, 0x0C, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: true
    default: false
    }
}

private func isDigit(_ code: UInt32) -> Bool {
    (0x30...0x39).contains(code) || (0xFF10...0xFF19).contains(code)
}

private func isWordCharacter(_ slot: Slot) -> Bool {
    switch slot.code {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
    // Full-width digits and letters (１２号, ＡＢ) are words as their ASCII forms are.
    case 0xFF10...0xFF19, 0xFF21...0xFF3A, 0xFF41...0xFF5A: true
    // Latin, Greek and Cyrillic letters with accents; CJK has no spaces and breaks anywhere.
    case 0xC0..<0x0530: slot.character.isLetter
    default: false
    }
}

private func isIdeograph(_ code: UInt32) -> Bool {
    (0x3400...0x4DBF).contains(code) || (0x4E00...0x9FFF).contains(code) || (0x20000...0x3FFFF).contains(code)
}

extension String {
    func trimmingSpaces() -> String {
        var characters = Substring(self)
        while characters.first?.isWhitespace == true { characters.removeFirst() }
        while characters.last?.isWhitespace == true { characters.removeLast() }
        return String(characters)
    }
}
