import WallboardProtocols
import WallboardRender

/// An Onbon BX-5K/6K font card: dynamic text areas, brightness, clock; answers ACK, or NACK
/// with the controller's error code (5 on a bad CRC).
public struct OnbonFontCardEmulator: BoardEmulator {
    public struct Configuration: Sendable {
        public var width: Int
        public var height: Int
        /// Mono (single colour) or bicolor (red/green) panels.
        public var pixelFormat: PixelFormat
        /// The screen address it answers to (besides the broadcast addresses).
        public var address: UInt16
        public var model: OnbonFontCardModel
        public var charset: ControllerCharset
        /// The font files installed on the card.
        public var fonts: Set<String>
        /// The time an area's pages are turned by.
        public var clock: @Sendable () -> ContinuousClock.Instant

        public init(
            width: Int = 192, height: Int = 32, pixelFormat: PixelFormat = .bicolor, address: UInt16 = 0x0001,
            model: OnbonFontCardModel = .bx6k, charset: ControllerCharset = .gb2312,
            fonts: Set<String> = ["O000", "O001", "O002", "E000", "E001", "E002"],
            clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
        ) {
            self.width = width
            self.height = height
            self.pixelFormat = pixelFormat
            self.address = address
            self.model = model
            self.charset = charset
            self.fonts = fonts
            self.clock = clock
        }
    }

    public let configuration: Configuration
    private let painter: any BoardTextPainter
    private var scanner = OnbonFrameScanner(maximumBodyLength: 4096)
    private var log = Journal()

    /// The dynamic areas shown, by id.
    public private(set) var areas: [UInt8: OnbonTextArea] = [:]
    /// When each area was last written: its pages are turned from then.
    private var writtenAt: [UInt8: ContinuousClock.Instant] = [:]
    /// 0–15.
    public private(set) var brightness: UInt8 = 15
    public private(set) var brightnessSchedule: [UInt8]?
    /// The time last set; the emulator's clock does not run by itself.
    public private(set) var clock: OnbonDateTime?

    public init(configuration: Configuration = Configuration(), painter: any BoardTextPainter) {
        self.configuration = configuration
        self.painter = painter
    }

    public var journal: [BoardEvent] { log.events }

    /// True while a frame has begun and not ended (a sender stopped mid-frame).
    public var isInsideFrame: Bool { scanner.isInsideFrame }

    public mutating func receive(_ bytes: [UInt8]) -> [UInt8] {
        var replies: [UInt8] = []
        for packet in scanner.packets(bytes, log: &log) { replies += handle(packet) }
        return replies
    }

    private func isForMe(_ destination: UInt16) -> Bool {
        destination == configuration.address || destination == 0xFFFF || destination == 0xFFFE || (0x8000...0xDFFF).contains(destination)
    }

    private mutating func handle(_ packet: [UInt8]) -> [UInt8] {
        let request: OnbonFontCardRequest
        do {
            request = try OnbonFontCard.decodeRequest(packet, charset: configuration.charset)
        } catch {
            guard let header = error.header, isForMe(header.destination) else {
                log.record(.ignored("an unreadable packet: \(error.message)"))
                return []
            }
            log.record(.refused(code: Int(error.code.rawValue), reason: error.message))
            // The board cannot tell whether a damaged packet wanted a reply: it answers unless broadcast without replies.
            return header.destination == 0xFFFF ? [] : OnbonFontCard.reply(to: header, error: error.code)
        }
        guard isForMe(request.header.destination) else {
            log.record(.ignored("a packet for screen \(request.header.destination)"))
            return []
        }
        // Data larger than the receive buffer never fits the controller.
        let outcome = Int(request.header.dataLength) > configuration.model.receiveBuffer ? .outOfMemory : apply(request.command)
        switch outcome {
        case .none: log.record(.accepted(describe(request.command)))
        default: log.record(.refused(code: Int(outcome.rawValue), reason: outcome.explanation))
        }
        return request.wantsReply ? OnbonFontCard.reply(to: request.header, error: outcome) : []
    }

    private func describe(_ command: OnbonFontCardCommand) -> String {
        switch command {
        case .ping: "ping"
        case .clearScreen: "clear screen"
        case .brightness(let level): "brightness \(level)"
        case .brightnessSchedule: "brightness schedule"
        case .setTime(let time): "time \(time.year)-\(time.month)-\(time.day) \(time.hour):\(time.minute):\(time.second)"
        case .deleteAreas(let deletion): "delete \(deletion)"
        case .updateAreas(let update): "areas " + update.areas.map { "\($0.id) \($0.frame) \"\($0.text.plainText)\"" }.joined(separator: ", ")
        }
    }

    private mutating func apply(_ command: OnbonFontCardCommand) -> OnbonErrorCode {
        switch command {
        case .ping:
            return .none
        case .clearScreen:
            areas.removeAll()
        case .brightness(let level):
            brightness = level
            brightnessSchedule = nil
        case .brightnessSchedule(let levels):
            brightnessSchedule = levels
        case .setTime(let time):
            clock = time
        case .deleteAreas(let deletion):
            delete(deletion, from: &areas)
        case .updateAreas(let update):
            var next = areas
            delete(update.delete, from: &next)
            for area in update.areas {
                for case .font(let name) in area.text.pieces where !configuration.fonts.contains(name) { return .fontMissing }
                let textBytes = (try? OnbonTextCodec.encode(area.text, charset: configuration.charset, context: "area \(area.id)").count) ?? 0
                guard textBytes <= configuration.model.maximumAreaBytes else { return .outOfMemory }
                next[area.id] = area
            }
            guard next.count <= configuration.model.maximumAreas else { return .outOfMemory }
            areas = next
            let now = configuration.clock()
            for area in update.areas { writtenAt[area.id] = now }
        }
        return .none
    }

    private func delete(_ deletion: OnbonAreaDeletion, from areas: inout [UInt8: OnbonTextArea]) {
        switch deletion {
        case .none: break
        case .all: areas.removeAll()
        case .areas(let ids): for id in ids { areas[id] = nil }
        }
    }

    public func render() -> Bitmap {
        var canvas = Canvas(width: configuration.width, height: configuration.height, format: configuration.pixelFormat)
        for id in areas.keys.sorted() {
            guard let area = areas[id] else { continue }
            canvas.fill(area.frame, .off)
            let block = shownBlock(of: area)
            let horizontal: TextBlock.Horizontal = switch area.alignment.horizontal {
            case .left: .left
            case .centre: .centre
            case .right: .right
            }
            let vertical: TextBlock.Vertical = switch area.alignment.vertical {
            case .top: .top
            case .centre: .centre
            case .bottom: .bottom
            }
            block.draw(in: area.frame, horizontal: horizontal, vertical: vertical, lineSpacing: Int(area.lineSpacing), defaultHeight: OnbonFontCard.defaultFontHeight, painter: painter, on: &canvas)
        }
        return canvas.bitmap
    }

    /// The lines of runs area `id` shows now (the page turned to, where its text is taller than
    /// the area); nil when there is no such area.
    public func shownLines(of id: UInt8) -> [[TextArea.Run]]? {
        areas[id].map { area in shownBlock(of: area).lines.map { line in line.map { TextArea.Run($0.text, colour: $0.colour) } } }
    }

    private func shownBlock(of area: OnbonTextArea) -> TextBlock {
        var block = TextBlock(lines: lines(of: area))
        if area.wrapsAutomatically && !area.singleLine { block = block.wrapped(to: area.frame.width, painter: painter) }
        return page(of: block, in: area, writtenAt: writtenAt[area.id])
    }

    /// The page of `block` the area shows now: lines that do not all fit its height are shown a
    /// page of whole lines at a time, each for the area's stay time, from the first page when
    /// the area is written, looping or stopping on the last page by its run mode.
    func page(of block: TextBlock, in area: OnbonTextArea, writtenAt: ContinuousClock.Instant?) -> TextBlock {
        var pages: [[[TextRun]]] = [[]]
        var used = 0
        for line in block.lines {
            let height = line.map(\.fontHeight).max() ?? OnbonFontCard.defaultFontHeight
            let needed = pages[pages.count - 1].isEmpty ? height : used + Int(area.lineSpacing) + height
            if needed > area.frame.height, !pages[pages.count - 1].isEmpty {
                pages.append([line])
                used = height
            } else {
                pages[pages.count - 1].append(line)
                used = needed
            }
        }
        guard pages.count > 1, let writtenAt else { return TextBlock(lines: pages[0]) }
        let stay = Duration.milliseconds(500 * max(1, Int(area.stayHalfSeconds)))
        let turned = max(0, Int((configuration.clock() - writtenAt) / stay))
        let index = area.runMode == .holdLast ? min(turned, pages.count - 1) : turned % pages.count
        return TextBlock(lines: pages[index])
    }

    /// The area's text as lines of runs: colour and font carry on until changed; a single-line
    /// area ignores line breaks.
    func lines(of area: OnbonTextArea) -> [[TextRun]] {
        var lines: [[TextRun]] = [[]]
        var colour = Color.red
        var fontHeight = OnbonFontCard.defaultFontHeight
        func add(_ text: String) {
            lines[lines.count - 1].append(TextRun(text: text, colour: colour, fontHeight: fontHeight))
        }
        for piece in area.text.pieces {
            switch piece {
            case .text(let text): add(text)
            case .colour(let code): colour = Self.colour(code)
            case .font(let name): fontHeight = Self.fontHeight(name)
            case .newline: if !area.singleLine { lines.append([]) }
            case .clock(let field): add(clockText(field))
            }
        }
        return lines
    }

    static func colour(_ code: OnbonColour) -> Color {
        switch code {
        case .red: .red
        case .green: .green
        case .yellow: .amber
        case .blue: .rgb(RGB(0, 0, 255))
        case .cyan: .rgb(RGB(0, 255, 255))
        case .magenta: .rgb(RGB(255, 0, 255))
        case .white: .on
        }
    }

    /// `O000`/`E000` 16 dots, `…1` 24, `…2` 32.
    static func fontHeight(_ name: String) -> Int {
        switch name.last {
        case "1": 24
        case "2": 32
        default: 16
        }
    }

    private func clockText(_ field: OnbonClockField) -> String {
        guard let clock else { return "--" }
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        switch field {
        case .second: return two(clock.second)
        case .minute: return two(clock.minute)
        case .hour: return two(clock.hour)
        case .day: return two(clock.day)
        case .month: return two(clock.month)
        case .year: return "\(clock.year)"
        case .weekday: return ["一", "二", "三", "四", "五", "六", "日"][max(0, min(6, clock.weekday - 1))]
        }
    }
}
