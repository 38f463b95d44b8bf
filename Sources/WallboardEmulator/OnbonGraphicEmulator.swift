import WallboardProtocols
import WallboardRender

/// An Onbon BX-5E/6E/6Q graphic card: pixel dynamic areas, shown exactly as sent.
public struct OnbonGraphicEmulator: BoardEmulator {
    public struct Configuration: Sendable {
        public var width: Int
        public var height: Int
        public var model: OnbonGraphicModel
        public var colours: OnbonGraphicColours
        public var address: UInt16

        public init(width: Int = 192, height: Int = 32, model: OnbonGraphicModel = .bx6e, colours: OnbonGraphicColours = .bicolor, address: UInt16 = 0x0001) {
            self.width = width
            self.height = height
            self.model = model
            self.colours = colours
            self.address = address
        }

        var pixelFormat: PixelFormat { model == .bx6q ? .rgb : colours.pixelFormat }
    }

    public let configuration: Configuration
    private var scanner = OnbonFrameScanner()
    private var log = Journal()
    public private(set) var areas: [UInt8: OnbonGraphicArea] = [:]

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public var journal: [BoardEvent] { log.events }
    public var isInsideFrame: Bool { scanner.isInsideFrame }

    public mutating func receive(_ bytes: [UInt8]) -> [UInt8] {
        var replies: [UInt8] = []
        for packet in scanner.packets(bytes, log: &log) { replies += handle(packet) }
        return replies
    }

    private func isForMe(_ destination: UInt16) -> Bool {
        destination == configuration.address || destination >= 0xFFFE || (0x8000...0xDFFF).contains(destination)
    }

    private mutating func handle(_ packet: [UInt8]) -> [UInt8] {
        let request: OnbonGraphicRequest
        do {
            request = try OnbonGraphicCard.decodeRequest(packet, model: configuration.model, colours: configuration.colours)
        } catch {
            guard let header = error.header, isForMe(header.destination) else {
                log.record(.ignored("an unreadable packet: \(error.message)"))
                return []
            }
            log.record(.refused(code: Int(error.code.rawValue), reason: error.message))
            return header.destination == 0xFFFF ? [] : OnbonGraphicCard.reply(to: header, error: error.code)
        }
        guard isForMe(request.header.destination) else {
            log.record(.ignored("a packet for screen \(request.header.destination)"))
            return []
        }
        let outcome = apply(request.command)
        if outcome == .none {
            log.record(.accepted(describe(request.command)))
        } else {
            log.record(.refused(code: Int(outcome.rawValue), reason: outcome.explanation))
        }
        // A ping is always answered.
        let answer = request.wantsReply || request.command == .ping
        return answer ? OnbonGraphicCard.reply(to: request.header, error: outcome) : []
    }

    private func describe(_ command: OnbonGraphicCommand) -> String {
        switch command {
        case .ping: "ping"
        case .deleteAreas(let deletion): "delete \(deletion)"
        case .updateAreas(let areas): "update areas " + areas.map { "\($0.id) \($0.frame)" }.joined(separator: ", ")
        }
    }

    private mutating func apply(_ command: OnbonGraphicCommand) -> OnbonErrorCode {
        switch command {
        case .ping:
            return .none
        case .deleteAreas(.none):
            return .none
        case .deleteAreas(.all):
            areas.removeAll()
        case .deleteAreas(.areas(let ids)):
            for id in ids { areas[id] = nil }
        case .updateAreas(let update):
            let screen = Rect(x: 0, y: 0, width: configuration.width, height: configuration.height)
            guard update.allSatisfy({ screen.contains($0.frame) }) else { return .screenParameters }
            var next = areas
            for area in update { next[area.id] = area }
            guard next.count <= configuration.model.maximumAreas else { return .outOfMemory }
            areas = next
        }
        return .none
    }

    /// Each area's resting page (the last for run modes that stop on it, else the first),
    /// in area-id order.
    public func render() -> Bitmap {
        var canvas = Canvas(width: configuration.width, height: configuration.height, format: configuration.pixelFormat)
        for id in areas.keys.sorted() {
            guard let area = areas[id], let page = area.runMode == .holdLast || area.runMode == .logoAfterTimeout ? area.pages.last : area.pages.first
            else { continue }
            canvas.blit(page.bitmap, x: area.frame.x, y: area.frame.y)
        }
        return canvas.bitmap
    }
}
