import WallboardYAML

/// The text heights a layout sets, against the floor it declares.
public struct TextHeightReport: Sendable {
    /// The smallest text height any of its fonts sets, and that font; nil when it draws no text.
    public var smallest: (height: Int, font: String)?
    /// One line per widget set in a font under the floor, at the widget's file:line:column.
    public var belowFloor: [String]
}

extension Layout {
    /// The text heights the layout's fonts set (`height` gives a font name's, such as a chain's
    /// `textHeight`), and every widget whose fonts set text under `minimumTextHeight`. A widget
    /// with several fonts counts its smallest, which it may shrink to.
    public func textHeights(_ height: (String) throws -> Int) rethrows -> TextHeightReport {
        var users: [(location: SourceLocation?, what: String, fonts: Set<String>)] = [
            (staleBanner.location, "the stale-data banner", Set(staleBanner.fonts))
        ]
        func collect(_ widgets: [Widget]) {
            for widget in widgets {
                if widget.kind.pages.isEmpty {
                    users.append((widget.location, "'\(type(of: widget.kind).name)'", widget.kind.fontNames))
                } else {
                    widget.kind.pages.forEach(collect)
                }
            }
        }
        for state in states.keys.sorted() { collect(states[state] ?? []) }

        var heights: [String: Int] = [:]
        for font in fontNames.sorted() { heights[font] = try height(font) }
        let smallest = heights.min { ($0.value, $0.key) < ($1.value, $1.key) }.map { (height: $0.value, font: $0.key) }
        var belowFloor: [String] = []
        if let floor = minimumTextHeight {
            for user in users {
                for font in user.fonts.sorted() where (heights[font] ?? 0) < floor.pixels {
                    let place = user.location.map { "\($0): " } ?? ""
                    belowFloor.append(
                        "\(place)\(user.what) sets text in '\(font)' \(heights[font] ?? 0) px high, under the \(floor.pixels) px "
                            + "this board's viewing distance needs (minimumTextHeight at \(floor.location))"
                    )
                }
            }
        }
        return TextHeightReport(smallest: smallest, belowFloor: belowFloor)
    }
}
