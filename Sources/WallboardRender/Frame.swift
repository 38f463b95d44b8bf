/// What a layout produces for one board at one moment: the pixels, and the same content as text
/// areas for controllers that draw text with their own fonts (Onbon BX-5K/6K, Alpha).
public struct Frame: Hashable, Sendable {
    public var bitmap: Bitmap
    public var textAreas: [TextArea]
    /// Characters that no font could draw; the frame shows a replacement box for each.
    public var missingCharacters: Set<Character>

    public init(bitmap: Bitmap, textAreas: [TextArea] = [], missingCharacters: Set<Character> = []) {
        self.bitmap = bitmap
        self.textAreas = textAreas
        self.missingCharacters = missingCharacters
    }
}

/// A rectangle of text that a font-card controller draws itself.
public struct TextArea: Hashable, Sendable {
    public enum Motion: Hashable, Sendable {
        /// Shown still.
        case still
        /// A ticker: enters at the right edge, leaves at the left, and starts again.
        case scrollLeft
        /// Text that moves because it does not fit: readable at the left for `hold` seconds,
        /// then moving left at `speed` pixels a second, followed by itself.
        case scrollToRead(hold: Double, speed: Double)

        public var moves: Bool { self != .still }

        /// Seconds text that does not fit rests at the left before each loop, on every board.
        public static let readingHold = 2.0
        /// Pixels a second at which text that does not fit moves, on every board.
        public static let readingSpeed = 32.0
        public static let toRead = Motion.scrollToRead(hold: readingHold, speed: readingSpeed)
    }

    public enum Alignment: String, Hashable, Sendable {
        case left, centre, right
    }

    /// A stretch of text in one colour.
    public struct Run: Hashable, Sendable {
        public var text: String
        public var colour: Color

        public init(_ text: String, colour: Color) {
            self.text = text
            self.colour = colour
        }
    }

    /// Stable per layout slot, so an update can replace just this area.
    public var id: Int
    public var rect: Rect
    public var runs: [Run]
    public var alignment: Alignment
    public var motion: Motion
    /// Pixel height of the font the area wants (the controller's nearest size is used).
    public var fontHeight: Int
    /// Critical content the controller should flash.
    public var blinks: Bool
    /// Set when the text goes on to show other texts by itself (a turnout timer counting, a
    /// `pages:` line turning): what it shows at every moment to come, so that a controller that
    /// turns pages can be sent them at once. Boards that take pixels ignore it.
    public var timeline: Timeline?

    public init(
        id: Int, rect: Rect, runs: [Run], alignment: Alignment = .left, motion: Motion = .still, fontHeight: Int = 16, blinks: Bool = false,
        timeline: Timeline? = nil
    ) {
        self.id = id
        self.rect = rect
        self.runs = runs
        self.alignment = alignment
        self.motion = motion
        self.fontHeight = fontHeight
        self.blinks = blinks
        self.timeline = timeline
    }

    public var text: String { runs.map(\.text).joined() }

    /// What the area shows over time, besides what it shows now.
    public enum Timeline: Hashable, Sendable {
        /// Another text each second, counted from a moment.
        case counting(Counting)
        /// Other areas in turn, from the wall clock's grid or a moment of the data.
        case turning(Turning)
    }

    /// The count, where the area counts.
    public var counting: Counting? {
        guard case .counting(let counting) = timeline else { return nil }
        return counting
    }

    /// The pages, where the area turns between them.
    public var turning: Turning? {
        guard case .turning(let turning) = timeline else { return nil }
        return turning
    }

    /// Areas at the same place shown in turn, `seconds` each from `origin` (a `pages:` widget
    /// whose pages are one line each): from 0, the same page on every board at the same moment.
    public struct Turning: Hashable, Sendable {
        /// Each page's area as drawn at the frame's moment, in order; none of them turns or counts.
        public var pages: [TextArea]
        public var seconds: Double
        /// The moment the first page shows from, in seconds since 1970 on the frame's clock.
        public var origin: Double

        public init(pages: [TextArea], seconds: Double, origin: Double = 0) {
            self.pages = pages
            self.seconds = seconds
            self.origin = origin
        }

        /// The page that shows at `moment` (seconds since 1970 on the frame's clock).
        public func page(at moment: Double) -> Int { Turning.page(at: moment, of: pages.count, every: seconds, from: origin) }

        /// How long the page showing at `moment` has shown.
        public func sinceTurn(at moment: Double) -> Double {
            let elapsed = moment - origin
            return elapsed - (elapsed / seconds).rounded(.down) * seconds
        }

        /// Which of `count` pages shows at `moment` when each shows for `seconds` from `origin`
        /// (the first page from then, the last before it).
        public static func page(at moment: Double, of count: Int, every seconds: Double, from origin: Double = 0) -> Int {
            guard count > 1, seconds > 0 else { return 0 }
            guard let turns = Int(exactly: ((moment - origin) / seconds).rounded(.down)) else { return 0 }
            return (turns % count + count) % count
        }
    }

    /// Text that counts from a moment: what the area shows at any moment, so that a controller
    /// that turns pages can be sent the seconds to come at once.
    public struct Counting: Hashable, Sendable {
        /// The moment counted from, in seconds since 1970 on the frame's clock.
        public var since: Double
        public var text: any CountingText

        public init(since: Double, text: any CountingText) {
            self.since = since
            self.text = text
        }

        /// What the area shows at `moment` (seconds since 1970 on the frame's clock).
        public func run(at moment: Double) -> Run { text.run(atElapsed: moment - since) }

        public static func == (lhs: Counting, rhs: Counting) -> Bool { lhs.since == rhs.since && lhs.text.isSame(as: rhs.text) }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(since)
            hasher.combine(text)
        }
    }
}

/// How a counting text area reads after so many seconds (its widget's own format and colours).
public protocol CountingText: Hashable, Sendable {
    func run(atElapsed seconds: Double) -> TextArea.Run
}

extension CountingText {
    /// Equal to `other` (frames are compared often: no boxing).
    func isSame(as other: any CountingText) -> Bool { (other as? Self) == self }
}
