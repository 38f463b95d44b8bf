import WallboardProtocols
import WallboardRender

/// A C-Power CP5200 in real-time window mode: takes packets in either framing (serial or
/// network, answering in the one each came in), keeps the windows it was split into and each
/// window's text, brightness, clock and screen power; refuses a bad checksum with return code
/// 01 and a text for a window it does not have with 12.
public struct CPowerEmulator: BoardEmulator {
    public struct Configuration: Sendable {
        public var width: Int
        public var height: Int
        public var pixelFormat: PixelFormat
        /// The card ID it answers to (besides the broadcast FF).
        public var cardID: UInt8
        /// The network ID code a network packet must carry.
        public var idCode: UInt32
        /// The time flickering text is timed by.
        public var clock: @Sendable () -> ContinuousClock.Instant

        public init(
            width: Int = 192, height: Int = 32, pixelFormat: PixelFormat = .rgb, cardID: UInt8 = 1, idCode: UInt32 = CPower.defaultIDCode,
            clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
        ) {
            self.width = width
            self.height = height
            self.pixelFormat = pixelFormat
            self.cardID = cardID
            self.idCode = idCode
            self.clock = clock
        }
    }

    /// How long flickering text stays lit, then dark. No source gives the controller's rate.
    static let flickerPhase = Duration.milliseconds(500)

    public let configuration: Configuration
    private let painter: any BoardTextPainter
    private var scanner = CPowerFrameScanner()
    private var log = Journal()

    /// The windows the screen is split into; empty while the card plays its stored programs.
    public private(set) var windows: [Rect] = []
    /// Each window's text, by window number.
    public private(set) var texts: [UInt8: CPowerWindowContent] = [:]
    private var writtenAt: [UInt8: ContinuousClock.Instant] = [:]
    public private(set) var brightness: [UInt8]?
    /// The time last set; the emulator's clock does not run by itself.
    public private(set) var time: CPowerTime?
    public private(set) var screenOn = true

    public init(configuration: Configuration = Configuration(), painter: any BoardTextPainter) {
        self.configuration = configuration
        self.painter = painter
    }

    public var journal: [BoardEvent] { log.events }

    public mutating func receive(_ bytes: [UInt8]) -> [UInt8] {
        var replies: [UInt8] = []
        for frame in scanner.feed(bytes) {
            switch frame {
            case .damaged(let damage):
                replies += refuseDamaged(damage)
            case .packet(let packet, let framing):
                replies += handle(packet, framing: framing)
            }
        }
        return replies
    }

    private func isForMe(_ cardID: UInt8, framing: CPowerFraming) -> Bool {
        if case .network(let idCode) = framing, idCode != configuration.idCode { return false }
        return cardID == configuration.cardID || cardID == CPower.broadcastCardID
    }

    /// A packet that arrived whole but for its checksum is refused with 01 when its head names
    /// this card; anything else damaged is dropped, as the card drops it.
    private mutating func refuseDamaged(_ damage: CPowerDamage) -> [UInt8] {
        guard damage.isChecksumError, let cardID = damage.cardID, let command = damage.command, isForMe(cardID, framing: damage.framing) else {
            log.record(.ignored("a damaged frame: \(damage.reason)"))
            return []
        }
        log.record(.refused(code: Int(CPower.ReturnCode.checksum), reason: damage.reason))
        return CPower.reply(command: command, cardID: configuration.cardID, confirm: 0x01, returnCode: CPower.ReturnCode.checksum, screenOn: screenOn, framing: damage.framing)
    }

    private mutating func handle(_ packet: CPowerPacket, framing: CPowerFraming) -> [UInt8] {
        guard !packet.isReply else {
            log.record(.ignored("a reply packet"))
            return []
        }
        guard isForMe(packet.cardID, framing: framing) else {
            log.record(.ignored("a packet for card \(packet.cardID) over \(framing)"))
            return []
        }
        func answer(_ code: UInt8) -> [UInt8] {
            guard packet.confirm & 0x01 != 0 else { return [] }
            return CPower.reply(command: packet.command, cardID: configuration.cardID, confirm: packet.confirm, returnCode: code, screenOn: screenOn, framing: framing)
        }
        let request: CPowerRequest
        do {
            request = try CPower.decodeRequest(packet)
        } catch {
            guard let code = error.returnCode else {
                log.record(.ignored(error.message))
                return []
            }
            log.record(.refused(code: Int(code), reason: error.message))
            return answer(code)
        }
        let code = apply(request.command)
        if code == CPower.ReturnCode.success {
            log.record(.accepted("\(describe(request.command)), \(framing) framing"))
        } else {
            log.record(.refused(code: Int(code), reason: "\(describe(request.command)): \(CPower.ReturnCode.meaning(Int(code)))"))
        }
        return answer(code)
    }

    private mutating func apply(_ command: CPowerCommand) -> UInt8 {
        switch command {
        case .splitWindows(let split):
            windows = split
            texts.removeAll()
            writtenAt.removeAll()
        case .windowText(let text):
            return write(.pure(text))
        case .richText(let text):
            return write(.rich(text))
        case .resumePrograms:
            windows.removeAll()
            texts.removeAll()
            writtenAt.removeAll()
        case .brightness(let levels):
            brightness = levels
        case .setTime(let set):
            time = set
        case .screenPower(let on):
            screenOn = on
        }
        return CPower.ReturnCode.success
    }

    private mutating func write(_ content: CPowerWindowContent) -> UInt8 {
        guard Int(content.window) < windows.count else { return CPower.ReturnCode.windowOutOfRange }
        texts[content.window] = content
        writtenAt[content.window] = configuration.clock()
        return CPower.ReturnCode.success
    }

    private func describe(_ command: CPowerCommand) -> String {
        switch command {
        case .splitWindows(let split): "windows " + split.map(\.description).joined(separator: ", ")
        case .windowText(let text): "window \(text.window) \"\(text.text)\""
        case .richText(let text): "window \(text.window) rich text \"\(text.text)\""
        case .resumePrograms: "back to the stored programs"
        case .brightness(let levels): "brightness \(levels.map(String.init).joined(separator: " "))"
        case .setTime(let time): "time \(time.year)-\(time.month)-\(time.day) \(time.hour):\(time.minute):\(time.second)"
        case .screenPower(let on): on ? "screen on" : "screen off"
        }
    }

    /// The lines of `content` the window shows at `now`: all of them when they fit its height;
    /// otherwise a page of as many as fit (of its tallest font), each page shown for the text's
    /// stay time in turn, from the page it arrived with and back to it after the last. No source
    /// says how a card pages a window's text, nor that it loops; this is the assumption.
    private func page(of content: CPowerWindowContent, in window: Rect, now: ContinuousClock.Instant) -> [[TextRun]] {
        let lines = content.lines
        let tallest = lines.joined().map(\.fontHeight).max() ?? CPower.fontHeights[0]
        let perPage = max(1, window.height / max(1, tallest))
        guard lines.count > perPage else { return lines }
        let pages = stride(from: 0, to: lines.count, by: perPage).map { Array(lines[$0..<min($0 + perPage, lines.count)]) }
        let shown = writtenAt[content.window].map { Int((now - $0) / .seconds(max(1, Int(content.staySeconds)))) } ?? 0
        return pages[shown % pages.count]
    }

    /// The lines window `number` shows now, as `render` draws them; nil for a window without text.
    public func shownLines(of number: UInt8) -> [String]? {
        guard Int(number) < windows.count, let content = texts[number] else { return nil }
        return page(of: content, in: windows[Int(number)], now: configuration.clock()).map { $0.map(\.text).joined() }
    }

    /// The windows' text drawn with the board's fonts at the size code's height; a dark screen
    /// when switched off, and nothing of the stored programs (which this emulator does not hold).
    public func render() -> Bitmap {
        var canvas = Canvas(width: configuration.width, height: configuration.height, format: configuration.pixelFormat)
        guard screenOn else { return canvas.bitmap }
        let now = configuration.clock()
        for (number, window) in windows.enumerated() {
            guard let content = texts[UInt8(number)] else { continue }
            if content.effect == .flicker, let written = writtenAt[content.window], Int((now - written) / Self.flickerPhase) % 2 == 1 { continue }
            let lines = page(of: content, in: window, now: now)
            let horizontal: TextBlock.Horizontal = switch content.horizontal {
            case .left: .left
            case .centre: .centre
            case .right: .right
            }
            let vertical: TextBlock.Vertical = switch content.vertical {
            case .top: .top
            case .centre: .centre
            case .bottom: .bottom
            }
            let height = lines.joined().map(\.fontHeight).max() ?? CPower.fontHeights[0]
            TextBlock(lines: lines).draw(in: window, horizontal: horizontal, vertical: vertical, lineSpacing: 0, defaultHeight: height, painter: painter, on: &canvas)
        }
        return canvas.bitmap
    }
}

/// What a window was last sent: pure text (external call 12) or rich text (02).
public enum CPowerWindowContent: Sendable, Equatable {
    case pure(CPowerWindowText)
    case rich(CPowerRichText)

    public var window: UInt8 {
        switch self {
        case .pure(let text): text.window
        case .rich(let text): text.window
        }
    }

    /// The characters, lines broken at "\n".
    public var text: String {
        switch self {
        case .pure(let text): text.text
        case .rich(let text): text.text
        }
    }

    public var effect: CPowerEffect {
        switch self {
        case .pure(let text): text.effect
        case .rich(let text): text.effect
        }
    }

    /// The colour of the text, or of its first character.
    public var colour: RGB? {
        switch self {
        case .pure(let text): text.colour
        case .rich(let text): text.runs.first?.colour.rgb
        }
    }

    public var staySeconds: UInt16 {
        switch self {
        case .pure(let text): text.staySeconds
        case .rich(let text): text.staySeconds
        }
    }

    public var horizontal: CPowerWindowText.Horizontal {
        switch self {
        case .pure(let text): text.horizontal
        case .rich(let text): text.horizontal
        }
    }

    /// Rich text has no vertical alignment; drawn from the top, as pure text's code 0.
    var vertical: CPowerWindowText.Vertical {
        switch self {
        case .pure(let text): text.vertical
        case .rich: .top
        }
    }

    /// The lines to draw, each a run per colour and size.
    var lines: [[TextRun]] {
        switch self {
        case .pure(let text):
            let height = CPower.fontHeights[Int(text.fontSize)]
            return text.text.split(separator: "\n", omittingEmptySubsequences: false).map { [TextRun(text: String($0), colour: .rgb(text.colour), fontHeight: height)] }
        case .rich(let text):
            var lines: [[TextRun]] = [[]]
            for run in text.runs {
                let height = CPower.fontHeights[Int(run.fontSize)]
                for (number, piece) in run.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    if number > 0 { lines.append([]) }
                    if !piece.isEmpty { lines[lines.count - 1].append(TextRun(text: String(piece), colour: .rgb(run.colour.rgb), fontHeight: height)) }
                }
            }
            return lines
        }
    }
}
