import WallboardProtocols
import WallboardRender

/// A Huidu full-colour card speaking SDK 2.0: one client at a time (another is answered 2000
/// kDeviceOccupa while the first is connected), the transport-version exchange answered with
/// the 10-byte 2002, GetIFVersion with a new session GUID, heartbeats with 0060; fragments
/// put back together per connection; the program it was sent kept and drawn, its strings
/// (and colours) replaced by UpdateProgram (an unknown GUID is refused kInvalidGUID), brightness, clock and
/// screen power kept.
public struct HuiduEmulator: BoardEmulator {
    public struct Configuration: Sendable {
        public var width: Int
        public var height: Int
        public var pixelFormat: PixelFormat
        /// The longest request XML taken; longer ones are refused kXmlCmdTooLong.
        public var xmlLimit: Int
        /// The time paged text turns by.
        public var clock: @Sendable () -> ContinuousClock.Instant

        public init(
            width: Int = 192, height: Int = 32, pixelFormat: PixelFormat = .rgb, xmlLimit: Int = Huidu.maximumXMLBytes,
            clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
        ) {
            self.width = width
            self.height = height
            self.pixelFormat = pixelFormat
            self.xmlLimit = xmlLimit
            self.clock = clock
        }
    }

    /// What one connection has done so far.
    private struct Client: Sendable {
        var decoder: HuiduRequestDecoder
        var versionExchanged = false
        var session: String?
    }

    public let configuration: Configuration
    private let painter: any BoardTextPainter
    private var log = Journal()
    private var clients: [Int: Client] = [:]
    /// The connection that holds the card.
    private var holder: Int?
    private var sessionsOpened = 0

    /// The program the card plays; nil until one is sent.
    public private(set) var program: HuiduProgram?
    /// When each text item's string was last set, for turning its pages.
    private var writtenAt: [String: ContinuousClock.Instant] = [:]
    public private(set) var brightness: Int?
    public private(set) var time: HuiduTime?
    public private(set) var screenOn = true

    public init(configuration: Configuration = Configuration(), painter: any BoardTextPainter) {
        self.configuration = configuration
        self.painter = painter
    }

    public var journal: [BoardEvent] { log.events }

    /// The GUID of the session the connection holding the card opened; nil without one.
    public var sessionGUID: String? { holder.flatMap { clients[$0]?.session } }

    public mutating func receive(_ bytes: [UInt8]) -> [UInt8] {
        receive(bytes, on: 0)
    }

    public mutating func receive(_ bytes: [UInt8], on connection: Int) -> [UInt8] {
        if let holder, holder != connection {
            log.record(.refused(code: Int(HuiduErrorCode.kDeviceOccupa.rawValue), reason: "connection \(connection) while connection \(holder) holds the card"))
            return Huidu.errorAnswer(.kDeviceOccupa)
        }
        holder = connection
        var client = clients[connection] ?? Client(decoder: HuiduRequestDecoder(limit: configuration.xmlLimit))
        let inbound = client.decoder.feed(bytes)
        var replies: [UInt8] = []
        for item in inbound { replies += handle(item, client: &client) }
        clients[connection] = client
        return replies
    }

    /// The client hung up: a request it left half-sent is dropped, and the card is free.
    public mutating func connectionClosed(_ connection: Int) {
        if let client = clients.removeValue(forKey: connection), client.decoder.isPartial {
            log.record(.ignored("a request cut off when connection \(connection) closed"))
        }
        if holder == connection { holder = nil }
    }

    private mutating func handle(_ item: HuiduInbound, client: inout Client) -> [UInt8] {
        switch item {
        case .versionAsk(let version):
            client.versionExchanged = true
            log.record(.accepted("transport version \(hexString([UInt8(truncatingIfNeeded: version >> 24), UInt8(truncatingIfNeeded: version >> 16), UInt8(truncatingIfNeeded: version >> 8), UInt8(truncatingIfNeeded: version)]))"))
            return Huidu.versionAnswer()
        case .heartbeat:
            return Huidu.heartbeatAnswer
        case .ignored(let reason):
            log.record(.ignored(reason))
            return []
        case .refused(let code, let method, let guid, let reason):
            log.record(.refused(code: Int(code.rawValue), reason: reason))
            guard let method else { return Huidu.errorAnswer(code) }
            return Huidu.reply(method: method, result: code, guid: guid)
        case .request(let guid, let request):
            guard client.versionExchanged else {
                log.record(.refused(code: Int(HuiduErrorCode.kProcessError.rawValue), reason: "\(request.method) before the transport-version exchange"))
                return Huidu.errorAnswer(.kProcessError)
            }
            if case .getIFVersion = request {
                sessionsOpened += 1
                let session = Self.sessionGUID(sessionsOpened)
                client.session = session
                log.record(.accepted("GetIFVersion: session \(session)"))
                return Huidu.versionReply(sessionGUID: session)
            }
            guard let session = client.session, guid == session else {
                log.record(.refused(code: Int(HuiduErrorCode.kInvalidGUID.rawValue), reason: "\(request.method) with session GUID \(guid), not this connection's"))
                return Huidu.reply(method: request.method, result: .kInvalidGUID, guid: guid)
            }
            let result = apply(request)
            if result == .kSuccess {
                log.record(.accepted(describe(request)))
            } else {
                log.record(.refused(code: Int(result.rawValue), reason: "\(describe(request)): \(result.meaning)"))
            }
            return Huidu.reply(method: request.method, result: result, guid: session)
        }
    }

    /// A GUID in the form the cards' look like, numbered by the sessions opened.
    static func sessionGUID(_ number: Int) -> String {
        let digits = Array("0123456789ABCDEF")
        let hex = String((0..<12).reversed().map { digits[(number >> ($0 * 4)) & 0xF] })
        return "5E5510A0-4D1D-4E00-8000-\(hex)"
    }

    private mutating func apply(_ request: HuiduRequest) -> HuiduErrorCode {
        let now = configuration.clock()
        switch request {
        case .getIFVersion:
            return .kSuccess
        case .addProgram(let added):
            program = added
            writtenAt = Dictionary(added.areas.map { ($0.textGUID, now) }, uniquingKeysWith: { first, _ in first })
        case .updateProgram(let update):
            guard var current = program, current.guid == update.programGUID else { return .kInvalidGUID }
            for change in update.changes {
                guard let index = current.areas.firstIndex(where: { $0.guid == change.areaGUID && $0.textGUID == change.textGUID }) else { return .kInvalidGUID }
                current.areas[index].text = change.text
                if let colour = change.colour { current.areas[index].colour = colour }
                writtenAt[change.textGUID] = now
            }
            program = current
        case .setLuminance(let percent):
            brightness = percent
        case .setTime(let set):
            time = set
        case .openScreen:
            screenOn = true
        case .closeScreen:
            screenOn = false
        }
        return .kSuccess
    }

    private func describe(_ request: HuiduRequest) -> String {
        switch request {
        case .getIFVersion(let version): "GetIFVersion \(version)"
        case .addProgram(let added): "AddProgram " + added.areas.map { "\($0.guid) \($0.rect) \"\($0.text)\"" }.joined(separator: ", ")
        case .updateProgram(let update): "UpdateProgram " + update.changes.map { "\($0.textGUID) \"\($0.text)\"" }.joined(separator: ", ")
        case .setLuminance(let percent): "brightness \(percent) %"
        case .setTime(let time): "time \(time.year)-\(time.month)-\(time.day) \(time.hour):\(time.minute):\(time.second) \(time.timeZone)"
        case .openScreen: "screen on"
        case .closeScreen: "screen off"
        }
    }

    /// Each area's string in its colour and the card's font of its size, aligned as its style
    /// says; still text that is taller than the area is shown a page (as many lines as fit) at
    /// a time, a scrolling line from its start. A dark screen when switched off.
    public func render() -> Bitmap {
        var canvas = Canvas(width: configuration.width, height: configuration.height, format: configuration.pixelFormat)
        guard screenOn, let program else { return canvas.bitmap }
        let now = configuration.clock()
        for area in program.areas {
            let colour = Color.rgb(area.colour)
            var lines = area.text.split(separator: "\n", omittingEmptySubsequences: false).map { [TextRun(text: String($0), colour: colour, fontHeight: area.fontSize)] }
            if !area.scrolls {
                lines = TextBlock(lines: lines).wrapped(to: area.rect.width, painter: painter).lines
                let perPage = max(1, area.rect.height / max(1, area.fontSize))
                if lines.count > perPage {
                    let elapsed = writtenAt[area.textGUID].map { now - $0 } ?? .zero
                    let stay = Duration.milliseconds(100 * max(1, area.stayTenths))
                    let page = Int(elapsed / stay) % ((lines.count + perPage - 1) / perPage)
                    lines = Array(lines[(page * perPage)..<min(lines.count, (page + 1) * perPage)])
                }
            }
            let horizontal: TextBlock.Horizontal = switch area.horizontal {
            case _ where area.scrolls: .left
            case .left: .left
            case .center: .centre
            case .right: .right
            }
            let vertical: TextBlock.Vertical = switch area.vertical {
            case .top: .top
            case .middle: .centre
            case .bottom: .bottom
            }
            TextBlock(lines: lines).draw(in: area.rect, horizontal: horizontal, vertical: vertical, lineSpacing: 0, defaultHeight: area.fontSize, painter: painter, on: &canvas)
        }
        return canvas.bitmap
    }
}
