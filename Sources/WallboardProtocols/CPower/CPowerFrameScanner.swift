/// What the scanner found on the wire: a whole packet with the framing it came in, or a frame
/// the card would drop.
public enum CPowerFrame: Sendable, Equatable {
    case packet(CPowerPacket, CPowerFraming)
    case damaged(CPowerDamage)
}

/// A frame that arrived but cannot be used, with what of its head could be read (a card refuses
/// a bad checksum to the sender it can name).
public struct CPowerDamage: Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var framing: CPowerFraming
    public var cardID: UInt8?
    public var command: UInt8?
    /// True when every byte arrived and only the checksum disagrees.
    public var isChecksumError: Bool

    public var description: String { reason }
}

/// Cuts packets out of bytes that arrive in any chunks, in either framing: a frame that opens
/// with `A5` is a serial one (unescaped up to its `AE`), anything else is read as a network
/// header (ID code, length, reserved 00 00). A network ID code whose first byte is A5 would be
/// read as a serial frame; no card is known to use one. Bytes that fit neither are skipped until
/// a frame begins.
public struct CPowerFrameScanner: Sendable {
    private var pending: [UInt8] = []
    /// Inside a serial frame: its bytes unescaped so far.
    private var serialBody: [UInt8]?
    private var escaped = false
    private var brokenEscape = false

    public init() {}

    /// True while a frame has begun and not ended.
    public var isInsideFrame: Bool { serialBody != nil || !pending.isEmpty }

    public mutating func feed(_ bytes: [UInt8]) -> [CPowerFrame] {
        pending += bytes
        var frames: [CPowerFrame] = []
        var index = 0
        scan: while index < pending.count {
            if serialBody != nil {
                let byte = pending[index]
                index += 1
                if let frame = serialByte(byte) { frames.append(frame) }
                continue
            }
            if pending[index] == CPowerFraming.start {
                index += 1
                serialBody = []
                escaped = false
                brokenEscape = false
                continue
            }
            let header = CPowerFraming.networkHeaderLength
            guard pending.count - index >= header else { break }
            let length = Int(pending[index + 4]) | Int(pending[index + 5]) << 8
            let plausible = pending[index + 6] == 0 && pending[index + 7] == 0
                && (CPower.headLength + 2...CPower.maximumPacketLength).contains(length)
                && (pending.count - index < header + 2 || (pending[index + header] & ~CPower.replyBit == CPower.sendType && pending[index + header + 1] == CPower.cardType))
            guard plausible else {
                index += 1
                continue
            }
            guard pending.count - index >= header + length else { break scan }
            let idCode = pending[index..<index + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            frames.append(Self.finish(Array(pending[index + header..<index + header + length]), framing: .network(idCode: idCode), brokenEscape: false))
            index += header + length
        }
        pending.removeFirst(index)
        return frames
    }

    private mutating func serialByte(_ byte: UInt8) -> CPowerFrame? {
        switch byte {
        case CPowerFraming.start:
            serialBody = []
            escaped = false
            brokenEscape = false
            return .damaged(CPowerDamage(reason: "a serial frame cut short by the next A5", framing: .serial, isChecksumError: false))
        case CPowerFraming.end:
            let body = serialBody ?? []
            serialBody = nil
            return Self.finish(body, framing: .serial, brokenEscape: brokenEscape || escaped)
        default:
            break
        }
        if escaped {
            escaped = false
            switch byte {
            case 0x05: serialBody?.append(CPowerFraming.start)
            case 0x0E: serialBody?.append(CPowerFraming.end)
            case 0x0A: serialBody?.append(CPowerFraming.escape)
            default: brokenEscape = true
            }
        } else if byte == CPowerFraming.escape {
            escaped = true
        } else {
            serialBody?.append(byte)
        }
        if (serialBody?.count ?? 0) > CPower.maximumPacketLength {
            serialBody = nil
            return .damaged(CPowerDamage(reason: "a serial frame longer than \(CPower.maximumPacketLength) bytes", framing: .serial, isChecksumError: false))
        }
        return nil
    }

    /// The packet in `body` (packet type through checksum), checked.
    static func finish(_ body: [UInt8], framing: CPowerFraming, brokenEscape: Bool) -> CPowerFrame {
        let readableHead = body.count >= CPower.headLength && body[0] & ~CPower.replyBit == CPower.sendType && body[1] == CPower.cardType
        func damaged(_ reason: String, checksum: Bool = false) -> CPowerFrame {
            .damaged(CPowerDamage(
                reason: reason, framing: framing, cardID: readableHead ? body[2] : nil, command: readableHead ? body[3] : nil,
                isChecksumError: checksum))
        }
        if brokenEscape { return damaged("a \(framing) frame with broken escaping (AA not followed by 05, 0E or 0A)") }
        guard body.count >= CPower.headLength + 2 else { return damaged("a packet of \(body.count) bytes, shorter than its head and checksum") }
        guard readableHead else { return damaged("a packet of type \(hexString(body.prefix(2))), not 68/E8 32") }
        let carried = UInt16(body[body.count - 2]) | UInt16(body[body.count - 1]) << 8
        let computed = CPower.checksum(body.dropLast(2))
        guard carried == computed else {
            return damaged("checksum \(hexString([body[body.count - 2], body[body.count - 1]])) where the bytes sum to \(hexString([UInt8(truncatingIfNeeded: computed), UInt8(truncatingIfNeeded: computed >> 8)]))", checksum: true)
        }
        return .packet(
            CPowerPacket(isReply: body[0] & CPower.replyBit != 0, cardID: body[2], command: body[3], confirm: body[4], data: Array(body[CPower.headLength..<body.count - 2])),
            framing)
    }
}
