import WallboardProtocols
import WallboardRender

/// An Alpha / BetaBrite sign: memory configuration, TEXT, STRING and SMALL DOTS files, the
/// priority file and the clock. With ACK/NAK on it answers each packet with `06` or `15` and
/// the Serial Error Status Register.
public struct AlphaEmulator: BoardEmulator {
    public struct Configuration: Sendable {
        public var width: Int
        public var height: Int
        /// The sign's own type code; packets for `Z` (all) or `?` are also taken.
        public var typeCode: UInt8
        /// The sign's address; packets for 00 (broadcast) are also taken.
        public var address: UInt8
        public var acknowledges: Bool
        /// The height of the sign's text font, in pixels.
        public var fontHeight: Int

        public init(width: Int = 80, height: Int = 7, typeCode: UInt8 = UInt8(ascii: "Z"), address: UInt8 = 0, acknowledges: Bool = true, fontHeight: Int = 7) {
            self.width = width
            self.height = height
            self.typeCode = typeCode
            self.address = address
            self.acknowledges = acknowledges
            self.fontHeight = fontHeight
        }
    }

    /// Serial Error Status Register bits.
    static let illegalCommandOrLabel: UInt8 = 0x20
    static let checksumError: UInt8 = 0x10

    public let configuration: Configuration
    private let painter: any BoardTextPainter
    private var scanner = AlphaPacketScanner()
    private var log = Journal()

    /// Files allocated by the memory configuration; a cleared sign has TEXT file A.
    public private(set) var memory: [AlphaLabel: AlphaMemoryEntry.Kind] = [.a: .text(bytes: 256)]
    public private(set) var texts: [AlphaLabel: AlphaText] = [:]
    public private(set) var strings: [AlphaLabel: String] = [:]
    public private(set) var pictures: [AlphaLabel: Bitmap] = [:]
    /// The priority TEXT file (label 0); shown over everything while it holds text.
    public private(set) var priority: AlphaText?
    public private(set) var time: (hour: Int, minute: Int)?

    public init(configuration: Configuration = Configuration(), painter: any BoardTextPainter) {
        self.configuration = configuration
        self.painter = painter
    }

    public var journal: [BoardEvent] { log.events }
    public var isInsidePacket: Bool { scanner.isInsidePacket }

    public mutating func receive(_ bytes: [UInt8]) -> [UInt8] {
        var replies: [UInt8] = []
        for packet in scanner.feed(bytes) {
            let typeMatches = packet.typeCode == UInt8(ascii: "Z") || packet.typeCode == UInt8(ascii: "?") || packet.typeCode == configuration.typeCode
            guard typeMatches, packet.address == 0 || packet.address == Int(configuration.address) else {
                log.record(.ignored("a packet for sign type \(packet.typeCode) address \(packet.address)"))
                continue
            }
            var status: UInt8 = 0
            for command in packet.commands {
                status |= apply(command)
            }
            if configuration.acknowledges { replies += Alpha.reply(status: status) }
        }
        return replies
    }

    private mutating func apply(_ received: AlphaReceivedCommand) -> UInt8 {
        guard received.checksum != .wrong else {
            log.record(.refused(code: Int(Self.checksumError), reason: "checksum error in command \(Character(Unicode.Scalar(received.code)))"))
            return Self.checksumError
        }
        let command: AlphaCommand
        switch Alpha.decodeCommand(received) {
        case .success(let decoded): command = decoded
        case .failure(let error):
            log.record(.refused(code: Int(Self.illegalCommandOrLabel), reason: error.description))
            return Self.illegalCommandOrLabel
        }
        switch command {
        case .configureMemory(let entries):
            memory = [:]
            texts = [:]
            strings = [:]
            pictures = [:]
            for entry in entries { memory[entry.label] = entry.kind }
        case .writeText(let label, let text):
            if label == .priority {
                priority = text.pieces.isEmpty ? nil : text
            } else {
                guard case .text? = memory[label] else { return refuse("TEXT file \(label) is not in the memory configuration") }
                texts[label] = text
            }
        case .writeString(let label, let text):
            guard case .string(let size)? = memory[label] else { return refuse("STRING file \(label) is not in the memory configuration") }
            strings[label] = String(text.prefix(size))
        case .writeSmallDots(let label, let picture):
            guard case .dots(let width, let height, _)? = memory[label] else { return refuse("DOTS file \(label) is not in the memory configuration") }
            pictures[label] = picture.cropped(to: Rect(x: 0, y: 0, width: width, height: height))
        case .setTime(let hour, let minute):
            time = (hour, minute)
        }
        log.record(.accepted(describe(command)))
        return 0
    }

    private mutating func refuse(_ reason: String) -> UInt8 {
        log.record(.refused(code: Int(Self.illegalCommandOrLabel), reason: reason))
        return Self.illegalCommandOrLabel
    }

    private func describe(_ command: AlphaCommand) -> String {
        switch command {
        case .configureMemory(let entries): "memory configuration of \(entries.count) files"
        case .writeText(let label, _): "TEXT file \(label)"
        case .writeString(let label, _): "STRING file \(label)"
        case .writeSmallDots(let label, let picture): "SMALL DOTS \(label) \(picture.width)x\(picture.height)"
        case .setTime(let hour, let minute): "time \(hour):\(minute)"
        }
    }

    /// The priority file while it has text, else the first TEXT file in label order, at rest
    /// (effects not animated), with STRING files and pictures in place.
    public func render() -> Bitmap {
        var canvas = Canvas(width: configuration.width, height: configuration.height, format: .bicolor)
        let shown = priority ?? texts.keys.sorted { $0.rawValue < $1.rawValue }.first.flatMap { texts[$0] }
        guard let text = shown else { return canvas.bitmap }
        // Lay out: text runs in colours, pictures inline; measured first for the position.
        var colour = Color.red
        var items: [(run: TextRun?, picture: Bitmap?)] = []
        for piece in text.pieces {
            switch piece {
            case .text(let value): items.append((TextRun(text: value, colour: colour, fontHeight: configuration.fontHeight), nil))
            case .colour(let code): colour = Self.colour(code)
            case .callString(let label):
                items.append((TextRun(text: strings[label] ?? "", colour: colour, fontHeight: configuration.fontHeight), nil))
            case .callDots(let label):
                if let picture = pictures[label] { items.append((nil, picture)) }
            }
        }
        let width = items.reduce(0) { total, item in
            total + (item.run.map { painter.width(of: $0.text, fontHeight: $0.fontHeight) } ?? item.picture?.width ?? 0)
        }
        let lineHeight = max(configuration.fontHeight, items.compactMap { $0.picture?.height }.max() ?? 0)
        var x = max(0, (configuration.width - width) / 2)
        if text.position == .left { x = 0 }
        if text.position == .right { x = max(0, configuration.width - width) }
        let y: Int = switch text.position {
        case .topLine: 0
        case .bottomLine: max(0, configuration.height - lineHeight)
        default: max(0, (configuration.height - lineHeight) / 2)
        }
        for item in items {
            if let run = item.run {
                painter.draw(run.text, fontHeight: run.fontHeight, x: x, y: y + lineHeight - run.fontHeight, colour: run.colour, on: &canvas)
                x += painter.width(of: run.text, fontHeight: run.fontHeight)
            } else if let picture = item.picture {
                canvas.blit(picture, x: x, y: y + lineHeight - picture.height)
                x += picture.width
            }
        }
        return canvas.bitmap
    }

    static func colour(_ code: AlphaColour) -> Color {
        switch code {
        case .red, .dimRed: .red
        case .green, .dimGreen: .green
        default: .amber
        }
    }
}
