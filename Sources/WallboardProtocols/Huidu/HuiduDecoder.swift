import WallboardRender

/// What a card makes of the bytes a client sent.
public enum HuiduInbound: Sendable, Equatable {
    case versionAsk(UInt32)
    case heartbeat
    /// A request in a session: the GUID it carries and what it asks.
    case request(guid: String, HuiduRequest)
    /// A request the card refuses: as an ErrorAnswer when `method` is nil (the XML could not be
    /// read), otherwise as that method's reply with the error's name as its result.
    case refused(HuiduErrorCode, method: String?, guid: String, reason: String)
    /// Bytes a card ignores (a reply, an unknown packet).
    case ignored(String)
}

/// A card's reading of a client's bytes, in any chunks: packets cut out, fragments put back
/// together, requests read from their XML. One per connection.
public struct HuiduRequestDecoder: Sendable {
    private var scanner = HuiduPacketScanner()
    private var reassembler: HuiduReassembler

    public init(limit: Int = Huidu.maximumXMLBytes) {
        reassembler = HuiduReassembler(limit: limit)
    }

    /// Whether part of a request (of a packet, or of a document's fragments) has arrived and
    /// the rest is awaited.
    public var isPartial: Bool { scanner.holdsPartOfAPacket || reassembler.isPartial }

    public mutating func feed(_ bytes: [UInt8]) -> [HuiduInbound] {
        scanner.feed(bytes).compactMap { item -> HuiduInbound? in
            switch item {
            case .damaged(let reason):
                reassembler.reset()
                return .refused(.kInvalidPacketLen, method: nil, guid: "", reason: reason)
            case .packet(let packet):
                return read(packet)
            }
        }
    }

    private mutating func read(_ packet: HuiduPacket) -> HuiduInbound? {
        switch Huidu.Command(rawValue: packet.command) {
        case .versionAsk:
            var reader = ByteReader(packet.payload)
            guard let version = try? reader.u32("version") else {
                return .refused(.kInvalidPacketLen, method: nil, guid: "", reason: "a version ask of \(packet.payload.count) bytes, without its version")
            }
            return .versionAsk(version)
        case .heartbeatAsk:
            return .heartbeat
        case .sdkAsk:
            let document: [UInt8]
            do throws(HuiduFragmentError) {
                guard let whole = try reassembler.add(packet.payload) else { return nil }
                document = whole
            } catch {
                return .refused(error.isTooLong ? .kXmlCmdTooLong : .kInvalidXmlIndex, method: nil, guid: "", reason: error.description)
            }
            return Huidu.decodeRequest(document)
        default:
            return .ignored("a packet with command \(hexString([UInt8(truncatingIfNeeded: packet.command >> 8), UInt8(truncatingIfNeeded: packet.command)]))")
        }
    }
}

extension Huidu {
    /// A request document read: its session GUID and what it asks, or why a card refuses it.
    public static func decodeRequest(_ document: [UInt8]) -> HuiduInbound {
        let root: HuiduXMLElement
        do throws(HuiduXMLError) {
            root = try HuiduXML.parse(document)
        } catch {
            return .refused(.kParseXmlFailed, method: nil, guid: "", reason: error.description)
        }
        guard root.name == "sdk", let guid = root["guid"], let call = root.child("in"), let method = call["method"] else {
            return .refused(.kParseXmlFailed, method: nil, guid: "", reason: "a document that is not <sdk guid><in method>")
        }
        do throws(HuiduError) {
            return .request(guid: guid, try request(method: method, call))
        } catch {
            return .refused(error.code, method: method, guid: guid, reason: "\(method): \(error.description)")
        }
    }

    static func request(method: String, _ call: HuiduXMLElement) throws(HuiduError) -> HuiduRequest {
        func required(_ element: HuiduXMLElement?, _ path: String) throws(HuiduError) -> HuiduXMLElement {
            guard let element else { throw HuiduError("no <\(path)>", code: .kTagNotFound) }
            return element
        }
        func attribute(_ element: HuiduXMLElement, _ name: String) throws(HuiduError) -> String {
            guard let value = element[name] else { throw HuiduError("<\(element.name)> without \(name)", code: .kAttrNotFound) }
            return value
        }
        func number(_ element: HuiduXMLElement, _ name: String, _ range: ClosedRange<Int>) throws(HuiduError) -> Int {
            guard let value = Int(try attribute(element, name)), range.contains(value) else {
                throw HuiduError("<\(element.name) \(name)> is not a number from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
        switch method {
        case "GetIFVersion":
            return .getIFVersion(version: try attribute(try required(call.child("version"), "version"), "value"))
        case "AddProgram":
            let program = try required(call.child("screen")?.child("program"), "screen><program")
            var areas: [HuiduTextArea] = []
            for area in program.children where area.name == "area" {
                let rectangle = try required(area.child("rectangle"), "rectangle")
                let rect = Rect(
                    x: try number(rectangle, "x", 0...65535), y: try number(rectangle, "y", 0...65535),
                    width: try number(rectangle, "width", 1...65535), height: try number(rectangle, "height", 1...65535))
                let text = try required(area.child("resources")?.child("text"), "resources><text")
                let style = text.child("style"), font = try required(text.child("font"), "font")
                guard let colour = colour(fromText: try attribute(font, "color")) else { throw HuiduError("<font color> is not #rrggbb") }
                var stay = HuiduEffect.defaultStayTenths
                if let effect = text.child("effect") { stay = try number(effect, "duration", 0...65535) }
                areas.append(HuiduTextArea(
                    guid: try attribute(area, "guid"), rect: rect, textGUID: try attribute(text, "guid"),
                    text: try required(text.child("string"), "string").text, colour: colour, fontSize: try number(font, "size", 1...512),
                    horizontal: style?["align"].flatMap { HuiduTextArea.Horizontal(rawValue: $0) } ?? .center,
                    vertical: style?["valign"].flatMap { HuiduTextArea.Vertical(rawValue: $0) } ?? .middle,
                    scrolls: text["singleLine"] == "true", stayTenths: stay))
            }
            guard areas.count <= maximumAreas else { throw HuiduError("\(areas.count) areas in one program") }
            return .addProgram(HuiduProgram(guid: try attribute(program, "guid"), areas: areas))
        case "UpdateProgram":
            // Both forms the SDKs send: inside <screen>, or a bare <program>.
            let program = try required(call.child("screen")?.child("program") ?? call.child("program"), "program")
            var changes: [HuiduProgramUpdate.Change] = []
            for area in program.children where area.name == "area" {
                for text in area.child("resources")?.children ?? [] where text.name == "text" {
                    guard let string = text.child("string") else { continue }
                    var colour: RGB?
                    if let font = text.child("font") {
                        guard let value = Self.colour(fromText: try attribute(font, "color")) else { throw HuiduError("<font color> is not #rrggbb") }
                        colour = value
                    }
                    changes.append(.init(areaGUID: try attribute(area, "guid"), textGUID: try attribute(text, "guid"), text: string.text, colour: colour))
                }
            }
            return .updateProgram(HuiduProgramUpdate(programGUID: try attribute(program, "guid"), changes: changes))
        case "SetLuminancePloy":
            return .setLuminance(percent: try number(try required(call.child("default"), "default"), "value", 1...100))
        case "SetTimeInfo":
            let zone = try attribute(try required(call.child("timezone"), "timezone"), "value")
            let value = try attribute(try required(call.child("time"), "time"), "value")
            let fields = value.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" }).compactMap { Int($0) }
            guard fields.count == 6 else { throw HuiduError("<time value=\"\(value)\"> is not yyyy-MM-dd HH:mm:ss") }
            return .setTime(HuiduTime(timeZone: zone, year: fields[0], month: fields[1], day: fields[2], hour: fields[3], minute: fields[4], second: fields[5]))
        case "OpenScreen":
            return .openScreen
        case "CloseScreen":
            return .closeScreen
        default:
            throw HuiduError("the method \(method) is not one this card takes", code: .kUnsupportMethod)
        }
    }
}
