/// What a client makes of a card's bytes.
public enum HuiduReply: Sendable, Equatable {
    /// 2002: the card's transport version and, when it sends one, a status (0: accepted).
    case versionAnswer(version: UInt32, status: UInt16?)
    /// 2000: the card refuses, with an error code.
    case error(code: UInt16)
    case heartbeat
    /// An XML reply: the session GUID, the method it answers, its result and the `<out>` element.
    case answer(guid: String, method: String, result: String, out: HuiduXMLElement)
    /// Bytes that cannot be a reply.
    case damaged(String)
}

extension Huidu {
    /// The reply document for `method`: `kSuccess` or an error's name, and `body` (XML this
    /// module wrote), as 2004 fragments.
    public static func reply(method: String, result: HuiduErrorCode, guid: String, body: String = "") -> [UInt8] {
        fragments(Array(HuiduXML.reply(method: method, result: result.name, guid: guid, body: body).utf8), command: .sdkAnswer)
    }

    /// GetIFVersion's reply, naming the session.
    public static func versionReply(sessionGUID: String) -> [UInt8] {
        reply(method: "GetIFVersion", result: .kSuccess, guid: sessionGUID, body: "<version value=\"\(sdkVersion)\"/>")
    }
}

/// A client's reading of a card's bytes, in any chunks.
public struct HuiduReplyReader: Sendable {
    private var scanner = HuiduPacketScanner()
    private var reassembler = HuiduReassembler()

    public init() {}

    public mutating func feed(_ bytes: [UInt8]) -> [HuiduReply] {
        scanner.feed(bytes).compactMap { item -> HuiduReply? in
            switch item {
            case .damaged(let reason): return .damaged(reason)
            case .packet(let packet): return read(packet)
            }
        }
    }

    private mutating func read(_ packet: HuiduPacket) -> HuiduReply? {
        var reader = ByteReader(packet.payload)
        switch Huidu.Command(rawValue: packet.command) {
        case .versionAnswer:
            guard let version = try? reader.u32("version") else { return .damaged("a version answer without its version") }
            return .versionAnswer(version: version, status: try? reader.u16("status"))
        case .errorAnswer:
            guard let code = try? reader.u16("error code") else { return .damaged("an error answer without its code") }
            return .error(code: code)
        case .heartbeatAnswer:
            return .heartbeat
        case .sdkAnswer:
            let document: [UInt8]
            do throws(HuiduFragmentError) {
                guard let whole = try reassembler.add(packet.payload) else { return nil }
                document = whole
            } catch {
                return .damaged(error.description)
            }
            let root: HuiduXMLElement
            do throws(HuiduXMLError) {
                root = try HuiduXML.parse(document)
            } catch {
                return .damaged(error.description)
            }
            guard root.name == "sdk", let out = root.child("out"), let method = out["method"] else {
                return .damaged("a reply that is not <sdk><out method>")
            }
            // Only GetIFVersion's reply is read without a result (one SDK reads none); the SDKs
            // take a missing result as success.
            return .answer(guid: root["guid"] ?? "", method: method, result: out["result"] ?? HuiduErrorCode.kSuccess.name, out: out)
        default:
            return .damaged("a packet with command \(packet.command) where a reply was awaited")
        }
    }
}

/// Reads a card's replies for delivery: success, or the refusal by its error's name. Heartbeat
/// answers that arrive between are not replies to a request and are passed over.
public struct HuiduReplyParser: BoardReplyParser {
    private var reader = HuiduReplyReader()

    public init() {}

    /// The card is busy with another client: it may be free when the request is sent again.
    /// Every other refusal (an XML it cannot read, an unknown GUID) would be refused again.
    public static func isRetryable(_ code: Int) -> Bool { code == Int(HuiduErrorCode.kDeviceOccupa.rawValue) }

    /// The code a refusal is reported with where the result names no code a source lists.
    public static let unknownResultCode = -1

    public mutating func feed(_ bytes: [UInt8]) -> [BoardReply] {
        reader.feed(bytes).compactMap(Self.boardReply)
    }

    static func boardReply(_ reply: HuiduReply) -> BoardReply? {
        switch reply {
        case .versionAnswer(_, let status):
            guard let status, status != 0 else { return .ack }
            return .nack(code: Int(status), explanation: HuiduErrorCode(rawValue: status)?.meaning ?? "version refused with status \(status)")
        case .error(let code):
            return .nack(code: Int(code), explanation: HuiduErrorCode(rawValue: code)?.meaning ?? "error \(code)")
        case .heartbeat:
            return nil
        case .answer(_, let method, let result, _):
            if result == HuiduErrorCode.kSuccess.name { return .ack }
            let code = HuiduErrorCode(name: result)
            return .nack(code: code.map { Int($0.rawValue) } ?? unknownResultCode, explanation: "\(method): \(code?.meaning ?? result)")
        case .damaged(let reason):
            return .garbled(reason)
        }
    }
}
