import WallboardProtocols
import WallboardRender

/// A board played in software: it takes the bytes a transport delivers (in any chunks, split
/// or garbled anywhere), answers like the real controller, keeps the board's state and shows
/// what the board would show. It does no I/O, so a pseudo-terminal, a TCP socket or a test
/// can drive it.
public protocol BoardEmulator: Sendable {
    /// Bytes from the wire; returns the bytes the board sends back (possibly none).
    mutating func receive(_ bytes: [UInt8]) -> [UInt8]
    /// Bytes from one of several connections served at once (a TCP port), for boards that hold
    /// a session per connection; the others take them as from the one wire.
    mutating func receive(_ bytes: [UInt8], on connection: Int) -> [UInt8]
    /// The connection's sender hung up.
    mutating func connectionClosed(_ connection: Int)
    /// What the board shows now.
    func render() -> Bitmap
    /// What the board did with recent frames, newest last.
    var journal: [BoardEvent] { get }
}

extension BoardEmulator {
    public mutating func receive(_ bytes: [UInt8], on connection: Int) -> [UInt8] { receive(bytes) }
    public mutating func connectionClosed(_ connection: Int) {}
}

/// One thing the board did with what it received.
public enum BoardEvent: Equatable, Sendable, CustomStringConvertible {
    case accepted(String)
    case refused(code: Int, reason: String)
    /// Not for this board (another address), or not a command it acts on.
    case ignored(String)

    public var description: String {
        switch self {
        case .accepted(let what): "accepted \(what)"
        case .refused(let code, let reason): "refused (\(code)) \(reason)"
        case .ignored(let why): "ignored \(why)"
        }
    }
}

/// Draws text the way a controller's built-in fonts would: the seam where boards that draw
/// their own text (Onbon font cards, Alpha TEXT) meet the text module.
public protocol BoardTextPainter: Sendable {
    /// The width in pixels of `text` in the controller's font of `fontHeight` pixels.
    func width(of text: String, fontHeight: Int) -> Int
    /// Draws `text` with its top-left corner at `x`, `y` in `colour`, honouring the canvas clip.
    func draw(_ text: String, fontHeight: Int, x: Int, y: Int, colour: Color, on canvas: inout Canvas)
}

/// A bounded journal: the last `limit` events.
struct Journal: Sendable {
    private(set) var events: [BoardEvent] = []
    let limit = 200

    mutating func record(_ event: BoardEvent) {
        if events.count >= limit { events.removeFirst(events.count - limit + 1) }
        events.append(event)
    }
}

extension OnbonFrameScanner {
    /// The whole packets among the frames completed so far; a frame with broken escaping is
    /// journalled and dropped, as the controller drops it.
    mutating func packets(_ bytes: [UInt8], log: inout Journal) -> [[UInt8]] {
        feed(bytes).compactMap { frame in
            guard case .packet(let packet) = frame else {
                log.record(.ignored("a frame with broken escaping"))
                return nil
            }
            return packet
        }
    }
}

/// A run of text in one colour and font size, for laying out lines.
struct TextRun {
    var text: String
    var colour: Color
    var fontHeight: Int
}

/// Lays runs out in lines inside `frame` and draws them: the layout both font-card emulators use.
struct TextBlock {
    var lines: [[TextRun]]

    /// Breaks lines that are wider than `width` between characters.
    func wrapped(to width: Int, painter: any BoardTextPainter) -> TextBlock {
        var result: [[TextRun]] = []
        for line in lines {
            var current: [TextRun] = []
            var used = 0
            for run in line {
                var pending = ""
                for character in run.text {
                    let advance = painter.width(of: String(character), fontHeight: run.fontHeight)
                    if used + advance > width, used > 0 {
                        if !pending.isEmpty { current.append(TextRun(text: pending, colour: run.colour, fontHeight: run.fontHeight)) }
                        result.append(current)
                        current = []
                        pending = ""
                        used = 0
                    }
                    pending.append(character)
                    used += advance
                }
                if !pending.isEmpty { current.append(TextRun(text: pending, colour: run.colour, fontHeight: run.fontHeight)) }
            }
            result.append(current)
        }
        return TextBlock(lines: result)
    }

    enum Horizontal { case left, centre, right }
    enum Vertical { case top, centre, bottom }

    func draw(in frame: Rect, horizontal: Horizontal, vertical: Vertical, lineSpacing: Int, defaultHeight: Int, painter: any BoardTextPainter, on canvas: inout Canvas) {
        let heights = lines.map { line in line.map(\.fontHeight).max() ?? defaultHeight }
        let total = heights.reduce(0, +) + lineSpacing * max(0, lines.count - 1)
        var y = frame.y
        switch vertical {
        case .top: break
        case .centre: y += (frame.height - total) / 2
        case .bottom: y += frame.height - total
        }
        canvas.clipped(to: frame) { canvas in
            for (line, height) in zip(lines, heights) {
                let width = line.reduce(0) { $0 + painter.width(of: $1.text, fontHeight: $1.fontHeight) }
                var x = frame.x
                switch horizontal {
                case .left: break
                case .centre: x += (frame.width - width) / 2
                case .right: x += frame.width - width
                }
                for run in line {
                    // Runs of a smaller font sit on the line's baseline.
                    painter.draw(run.text, fontHeight: run.fontHeight, x: x, y: y + height - run.fontHeight, colour: run.colour, on: &canvas)
                    x += painter.width(of: run.text, fontHeight: run.fontHeight)
                }
                y += height + lineSpacing
            }
        }
    }
}

/// An emulator for `model` of the given size, for the same controller its driver speaks to.
/// Boards that draw their own text (font cards, Alpha) use `painter`; pixel boards ignore it.
/// `charset`: a font card's font library. Nil for boards with no byte-stream emulator (the Dream Cheeky is a USB HID device: decode
/// its reports with `DreamCheeky.decode`).
/// `card`: the card ID and network ID code a C-Power card answers to.
public func makeEmulator(
    for model: BoardModel, width: Int, height: Int, painter: any BoardTextPainter, charset: ControllerCharset = .gb2312,
    card: CPowerCardAddress = CPowerCardAddress()
) -> (any BoardEmulator)? {
    switch model.family {
    case .onbonFontCard(let card):
        OnbonFontCardEmulator(configuration: .init(width: width, height: height, model: card, charset: charset), painter: painter)
    case .onbonGraphicCard(let card):
        OnbonGraphicEmulator(configuration: .init(width: width, height: height, model: card))
    case .alpha:
        AlphaEmulator(configuration: .init(width: width, height: height, fontHeight: min(height, 16)), painter: painter)
    case .tpm2:
        TPM2Emulator(width: width, height: height)
    case .dreamCheeky:
        nil
    case .cpower:
        CPowerEmulator(configuration: .init(width: width, height: height, cardID: card.cardID, idCode: card.idCode), painter: painter)
    case .huidu:
        HuiduEmulator(configuration: .init(width: width, height: height), painter: painter)
    }
}

/// The registered models that have a byte-stream emulator, for `wallboard emulate --protocol`.
public var emulatedModels: [BoardModel] {
    BoardProtocols.models.filter { makeEmulator(for: $0, width: 1, height: 1, painter: NoTextPainter()) != nil }
}

/// Draws nothing: enough to ask whether a model has an emulator at all.
private struct NoTextPainter: BoardTextPainter {
    func width(of text: String, fontHeight: Int) -> Int { 0 }
    func draw(_ text: String, fontHeight: Int, x: Int, y: Int, colour: Color, on canvas: inout Canvas) {}
}
