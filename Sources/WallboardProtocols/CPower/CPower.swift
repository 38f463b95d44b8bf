import WallboardRender

/// C-Power CP5200 controllers (Lumen; single, dual and full colour): the controller draws text
/// with its own fonts in real-time windows ("external calls", command 7B), so a live update is
/// one short packet.
///
/// Packet: `68 32 ID CMD CONFIRM data… SUM_LO SUM_HI` (replies `E8`, or `68` on APP 3.2 and
/// older), the checksum the 16-bit sum of every byte from the packet type through the data;
/// framed for a serial line (`A5 … AE`, escaped) or a TCP connection (ID code, length,
/// reserved), see `CPowerFraming`.
public enum CPower {
    static let sendType: UInt8 = 0x68
    /// Set in the packet type of a reply by APP 3.3 and later; older APPs leave it clear.
    static let replyBit: UInt8 = 0x80
    static let cardType: UInt8 = 0x32
    /// The card ID every card takes unconditionally.
    public static let broadcastCardID: UInt8 = 0xFF
    /// The TCP port a CP5200 listens on unless configured otherwise.
    public static let defaultPort = 5200
    /// The network ID code a card has until one is set.
    public static let defaultIDCode: UInt32 = 0xFFFF_FFFF
    /// Windows the screen can be split into (sub-command 01).
    public static let maximumWindows = 8
    /// The most text bytes one window's text packet carries. No source states the controller's
    /// limit; this keeps every packet within a single external-call packet of modest size.
    public static let maximumWindowTextBytes = 1024
    /// A packet (unescaped, checksum included) longer than this is not one Wallboard sends, and
    /// the scanner drops it rather than buffer without end.
    static let maximumPacketLength = 4096
    /// Packet type, card type, card ID, command, confirm or return byte.
    static let headLength = 5

    /// The card ID a card has until one is set: the documents' examples address it.
    public static let defaultCardID: UInt8 = 1

    /// Font size codes 0…7: the controller's font heights in pixels.
    public static let fontHeights = [8, 12, 16, 24, 32, 40, 48, 56]

    /// The 16-bit sum of `bytes`, wrapping past 0xFFFF.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt16 {
        bytes.reduce(UInt16(0)) { $0 &+ UInt16($1) }
    }

    /// How wide `character` is in the card's font of size code `fontSize`: half the height for
    /// ASCII, the full height for anything else (no source gives the fonts' widths).
    public static func advance(of character: Character, fontSize: UInt8) -> Int {
        let height = fontHeights[min(Int(fontSize), fontHeights.count - 1)]
        return character.unicodeScalars.allSatisfy(\.isASCII) ? height / 2 : height
    }

    /// The size code whose font is the largest not taller than `height` (the smallest font when
    /// none is that small).
    public static func fontSizeCode(forHeight height: Int) -> UInt8 {
        UInt8(fontHeights.lastIndex { $0 <= height } ?? 0)
    }
}

/// Which card a packet is for: its card ID (1…254, or FF, which every card takes) and, over
/// TCP, the network ID code set on it; both are set on the card with its own setup software.
public struct CPowerCardAddress: Sendable, Hashable {
    public var cardID: UInt8
    public var idCode: UInt32

    public init(cardID: UInt8 = CPower.defaultCardID, idCode: UInt32 = CPower.defaultIDCode) {
        self.cardID = cardID
        self.idCode = idCode
    }
}

/// How packets travel: escaped between `A5` and `AE` on a serial line, or behind an 8-byte
/// header on a TCP connection.
public enum CPowerFraming: Sendable, Hashable, CustomStringConvertible {
    case serial
    /// `idCode` must equal the network ID code configured on the card.
    case network(idCode: UInt32)

    public var description: String {
        switch self {
        case .serial: "serial"
        case .network(let idCode): "network (ID code \(hexString(CPowerFraming.bigEndian(idCode))))"
        }
    }

    static let start: UInt8 = 0xA5
    static let end: UInt8 = 0xAE
    static let escape: UInt8 = 0xAA
    /// ID code (4), length (2), reserved (2).
    static let networkHeaderLength = 8

    /// `packet` (checksum included) as it goes on the wire.
    public func frame(_ packet: [UInt8]) -> [UInt8] {
        switch self {
        case .serial:
            var bytes: [UInt8] = [Self.start]
            bytes.reserveCapacity(packet.count + 8)
            for byte in packet {
                switch byte {
                case Self.start: bytes += [Self.escape, 0x05]
                case Self.end: bytes += [Self.escape, 0x0E]
                case Self.escape: bytes += [Self.escape, 0x0A]
                default: bytes.append(byte)
                }
            }
            bytes.append(Self.end)
            return bytes
        case .network(let idCode):
            var writer = ByteWriter(capacity: packet.count + Self.networkHeaderLength)
            writer.append(Self.bigEndian(idCode))
            writer.u16(UInt16(truncatingIfNeeded: packet.count))
            writer.zeros(2)
            writer.append(packet)
            return writer.bytes
        }
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }
}

/// One packet between a sender and a card, without its framing and checksum.
public struct CPowerPacket: Sendable, Equatable {
    public var isReply: Bool
    public var cardID: UInt8
    public var command: UInt8
    /// In a request, bit 0 asks for a reply; in a network reply (and any external-call reply) the
    /// return code, 00 success.
    public var confirm: UInt8
    public var data: [UInt8]

    public init(isReply: Bool = false, cardID: UInt8, command: UInt8, confirm: UInt8, data: [UInt8]) {
        self.isReply = isReply
        self.cardID = cardID
        self.command = command
        self.confirm = confirm
        self.data = data
    }

    /// Packet type through data, then the checksum low byte first.
    public var bytes: [UInt8] {
        var bytes: [UInt8] = [isReply ? CPower.sendType | CPower.replyBit : CPower.sendType, CPower.cardType, cardID, command, confirm]
        bytes += data
        let sum = CPower.checksum(bytes)
        bytes += [UInt8(truncatingIfNeeded: sum), UInt8(truncatingIfNeeded: sum >> 8)]
        return bytes
    }
}
