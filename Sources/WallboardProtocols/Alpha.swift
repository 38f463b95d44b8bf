import WallboardRender

/// The Alpha Sign Communications Protocol (Alpha, BetaBrite and compatible signs).
///
///     00 ×5 | 01 SOH | TypeCode | Addr (2 hex) | { 02 STX | Cmd | data | 03 ETX | CCCC }… | 04 EOT
///
/// The protocol has no byte stuffing: any byte below 0x20 in data is a command. Text is
/// therefore filtered: control bytes (below 0x20 and 0x7F) never reach the wire, and a
/// character the sign cannot show is reported before anything is sent.
public enum Alpha {
    static let nul: UInt8 = 0x00, soh: UInt8 = 0x01, stx: UInt8 = 0x02, etx: UInt8 = 0x03, eot: UInt8 = 0x04
    static let escape: UInt8 = 0x1B, colourCode: UInt8 = 0x1C, callString: UInt8 = 0x10, callDots: UInt8 = 0x14
    static let carriageReturn: UInt8 = 0x0D
    /// The longest STRING file the sign accepts.
    public static let maximumStringLength = 125
    /// Wait this long at each of a transmission's pauses (after a DOTS size, between nested commands).
    public static let pauseMilliseconds = 100

    // MARK: Encoding

    /// One packet carrying `commands` (nested when more than one), with a checksum per command.
    public static func encode(_ commands: [AlphaCommand], address: AlphaAddress = AlphaAddress(), checksums: Bool = true) throws(AlphaEncodingError) -> AlphaTransmission {
        guard !commands.isEmpty else { throw AlphaEncodingError("an Alpha packet needs at least one command") }
        var bytes: [UInt8] = [nul, nul, nul, nul, nul, soh, address.typeCode] + upperHex(Int(address.address), width: 2)
        var pauses: [Int] = []
        for (index, command) in commands.enumerated() {
            if index > 0 { pauses.append(bytes.count) }
            let start = bytes.count
            bytes.append(stx)
            let body = try commandBody(command)
            if let pause = body.pauseAfter { pauses.append(bytes.count + pause) }
            bytes += body.bytes
            if checksums {
                bytes.append(etx)
                bytes += upperHex(checksum(bytes[start...]), width: 4)
            }
        }
        bytes.append(eot)
        return AlphaTransmission(bytes: bytes, pauses: pauses)
    }

    /// The 16-bit sum of STX through ETX.
    static func checksum(_ bytes: some Sequence<UInt8>) -> Int {
        bytes.reduce(0) { ($0 + Int($1)) & 0xFFFF }
    }

    private static func commandBody(_ command: AlphaCommand) throws(AlphaEncodingError) -> (bytes: [UInt8], pauseAfter: Int?) {
        switch command {
        case .writeText(let label, let text):
            var bytes: [UInt8] = [UInt8(ascii: "A"), label.rawValue, escape, text.position.rawValue]
            bytes += text.mode.bytes
            bytes += try encodePieces(text.pieces, context: "TEXT file \(label)")
            return (bytes, nil)
        case .writeString(let label, let text):
            let encoded = try filteredText(text, context: "STRING file \(label)")
            guard encoded.count <= maximumStringLength else {
                throw AlphaEncodingError("STRING file \(label): \(encoded.count) characters, over the sign's \(maximumStringLength)")
            }
            return ([UInt8(ascii: "G"), label.rawValue] + encoded, nil)
        case .writeSmallDots(let label, let picture):
            guard picture.width > 0, picture.width <= 0xFF, picture.height > 0, picture.height <= 0xFF else {
                throw AlphaEncodingError("DOTS file \(label): \(picture.width)x\(picture.height) does not fit SMALL DOTS (1–255 each way)")
            }
            var bytes: [UInt8] = [UInt8(ascii: "I"), label.rawValue] + upperHex(picture.height, width: 2) + upperHex(picture.width, width: 2)
            let pause = bytes.count
            let bicolor = picture.converted(to: .bicolor)
            for y in 0..<bicolor.height {
                for x in 0..<bicolor.width { bytes.append(UInt8(ascii: "0") + UInt8(bicolor[x, y] & 3)) }
                bytes.append(carriageReturn)
            }
            return (bytes, pause)
        case .configureMemory(let entries):
            guard !entries.isEmpty else { throw AlphaEncodingError("a memory configuration needs at least one file") }
            var bytes: [UInt8] = [UInt8(ascii: "E"), UInt8(ascii: "$")]
            for entry in entries {
                bytes += try entry.bytes()
            }
            return (bytes, nil)
        case .setTime(let hour, let minute):
            guard (0...23).contains(hour), (0...59).contains(minute) else { throw AlphaEncodingError("time \(hour):\(minute) is out of range") }
            let digits = Array(String(format2(hour) + format2(minute)).utf8)
            return ([UInt8(ascii: "E"), 0x20] + digits, nil)
        }
    }

    private static func encodePieces(_ pieces: [AlphaTextPiece], context: String) throws(AlphaEncodingError) -> [UInt8] {
        var bytes: [UInt8] = []
        var missing: [Character] = []
        for piece in pieces {
            switch piece {
            case .text(let text):
                do { bytes += try filteredText(text, context: context) } catch {
                    for character in error.unencodable where !missing.contains(character) { missing.append(character) }
                }
            case .colour(let colour): bytes += [colourCode, colour.rawValue]
            case .callString(let label): bytes += [callString, label.rawValue]
            case .callDots(let label): bytes += [callDots, label.rawValue]
            }
        }
        if !missing.isEmpty { throw AlphaEncodingError(context: context, unencodable: missing) }
        return bytes
    }

    /// Printable ASCII only: control bytes are dropped, anything else is refused.
    static func filteredText(_ text: String, context: String) throws(AlphaEncodingError) -> [UInt8] {
        // Fast path: plain ASCII needs only the control bytes dropped.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.utf8.filter { $0 >= 0x20 && $0 != 0x7F } }
        var bytes: [UInt8] = []
        var missing: [Character] = []
        for character in text {
            if let ascii = character.asciiValue {
                if ascii >= 0x20 && ascii != 0x7F { bytes.append(ascii) }
            } else if character.unicodeScalars.allSatisfy({ $0.value < 0x20 || $0.value == 0x7F }) {
                continue
            } else if !missing.contains(character) {
                missing.append(character)
            }
        }
        if !missing.isEmpty { throw AlphaEncodingError(context: context, unencodable: missing) }
        return bytes
    }

    /// `text` as the sign would store it: control characters removed.
    public static func filtered(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
    }

    // MARK: Decoding

    /// Reads one command (as `AlphaPacketScanner` yields it); commands this implementation
    /// does not model fail with their code.
    public static func decodeCommand(_ command: AlphaReceivedCommand) -> Result<AlphaCommand, AlphaDecodeError> {
        let data = command.data
        func fail(_ message: String) -> Result<AlphaCommand, AlphaDecodeError> {
            .failure(AlphaDecodeError(code: command.code, message: message))
        }
        switch command.code {
        case UInt8(ascii: "A"):
            guard data.count >= 4, let label = AlphaLabel(rawValue: data[0]), data[1] == escape,
                  let position = AlphaPosition(rawValue: data[2]) else { return fail("TEXT needs a label, ESC, a position and a mode") }
            guard let (mode, modeLength) = AlphaMode.read(data[3...]) else { return fail("unknown display mode \(hexString([data[3]]))") }
            let pieces = readPieces(data[(3 + modeLength)...])
            return .success(.writeText(label: label, AlphaText(position: position, mode: mode, pieces: pieces)))
        case UInt8(ascii: "G"):
            guard let first = data.first, let label = AlphaLabel(rawValue: first) else { return fail("STRING needs a label") }
            return .success(.writeString(label: label, String(decoding: data.dropFirst().filter { $0 >= 0x20 && $0 != 0x7F }, as: UTF8.self)))
        case UInt8(ascii: "I"):
            guard data.count >= 5, let label = AlphaLabel(rawValue: data[0]), let height = parseHex(data[1...2]), let width = parseHex(data[3...4]),
                  width > 0, height > 0 else { return fail("SMALL DOTS needs a label, height and width") }
            var picture = Bitmap(width: width, height: height, format: .bicolor)
            var x = 0, y = 0
            for byte in data[5...] {
                if byte == carriageReturn {
                    y += 1
                    x = 0
                    continue
                }
                picture[x, y] = AlphaTextPiece.pixelValue(byte)
                x += 1
            }
            return .success(.writeSmallDots(label: label, picture))
        case UInt8(ascii: "E"):
            guard let function = data.first else { return fail("special function without a function code") }
            switch function {
            case 0x20:
                guard data.count == 5, let hour = Int(String(decoding: data[1...2], as: UTF8.self)),
                      let minute = Int(String(decoding: data[3...4], as: UTF8.self)), (0...23).contains(hour), (0...59).contains(minute)
                else { return fail("set time needs HHMM") }
                return .success(.setTime(hour: hour, minute: minute))
            case UInt8(ascii: "$"):
                let body = Array(data.dropFirst())
                guard !body.isEmpty, body.count % 11 == 0 else { return fail("memory configuration entries are 11 characters each") }
                var entries: [AlphaMemoryEntry] = []
                for start in stride(from: 0, to: body.count, by: 11) {
                    guard let entry = AlphaMemoryEntry(body[start..<start + 11]) else { return fail("bad memory entry \(String(decoding: body[start..<start + 11], as: UTF8.self))") }
                    entries.append(entry)
                }
                return .success(.configureMemory(entries))
            default:
                return fail("special function \(hexString([function])) is not modelled")
            }
        default:
            return fail("command \(hexString([command.code])) is not modelled")
        }
    }

    private static func readPieces(_ data: ArraySlice<UInt8>) -> [AlphaTextPiece] {
        var pieces: [AlphaTextPiece] = []
        var run: [UInt8] = []
        func flush() {
            if !run.isEmpty { pieces.append(.text(String(decoding: run, as: UTF8.self))) }
            run.removeAll()
        }
        var index = data.startIndex
        while index < data.endIndex {
            let byte = data[index]
            let argument = index + 1 < data.endIndex ? data[index + 1] : nil
            switch byte {
            case colourCode, callString, callDots, 0x1A:
                flush()
                if let argument {
                    if byte == colourCode, let colour = AlphaColour(rawValue: argument) { pieces.append(.colour(colour)) }
                    if byte == callString, let label = AlphaLabel(rawValue: argument) { pieces.append(.callString(label)) }
                    if byte == callDots, let label = AlphaLabel(rawValue: argument) { pieces.append(.callDots(label)) }
                }
                index += 2
            case 0..<0x20, 0x7F:
                index += 1
            default:
                run.append(byte)
                index += 1
            }
        }
        flush()
        return pieces
    }

    /// The ACK/NAK a sign sends when ACK/NAK is enabled: `06` or `15`, then the Serial Error
    /// Status Register (bit 6 always set; 0x20 illegal command or label, 0x10 checksum,
    /// 0x08 buffer overflow, 0x04 timeout, 0x02 framing, 0x01 parity).
    public static func reply(status: UInt8) -> [UInt8] {
        [status & 0x3F == 0 ? 0x06 : 0x15, status | 0x40]
    }
}

/// Reads an Alpha sign's ACK (`06` + status) and NAK (`15` + status) replies.
public struct AlphaReplyParser: BoardReplyParser {
    private var awaitingNakStatus = false

    public init() {}

    public mutating func feed(_ bytes: [UInt8]) -> [BoardReply] {
        var replies: [BoardReply] = []
        for byte in bytes {
            if awaitingNakStatus {
                awaitingNakStatus = false
                replies.append(.nack(code: Int(byte), explanation: AlphaReplyParser.explain(byte)))
                continue
            }
            switch byte {
            case 0x06: replies.append(.ack)
            case 0x15: awaitingNakStatus = true
            default: continue  // the status byte after an ACK, or line noise
            }
        }
        return replies
    }

    static func explain(_ status: UInt8) -> String {
        let bits: [(UInt8, String)] = [
            (0x20, "illegal command or file label"), (0x10, "checksum error"), (0x08, "serial buffer overflow"),
            (0x04, "serial timeout"), (0x02, "bit framing error (check baud rate and parity)"), (0x01, "parity error"),
        ]
        let named = bits.filter { status & $0.0 != 0 }.map(\.1)
        return named.isEmpty ? "no error bit set" : named.joined(separator: ", ")
    }
}

/// Splits a byte stream into Alpha packets, resynchronising at every SOH. Bytes outside
/// packets are dropped; a packet cut off by a new SOH is dropped too.
public struct AlphaPacketScanner: Sendable {
    private enum State: Sendable {
        case hunting
        case header([UInt8])
        case between
        case command(code: UInt8?, data: [UInt8], sum: Int)
        case checksum(code: UInt8, data: [UInt8], sum: Int, digits: [UInt8])
    }

    private var state = State.hunting
    private var packet = AlphaReceivedPacket(typeCode: 0, address: 0, commands: [])
    public let maximumPacketLength: Int
    private var length = 0

    public init(maximumPacketLength: Int = 70_000) {
        self.maximumPacketLength = maximumPacketLength
    }

    public var isInsidePacket: Bool {
        if case .hunting = state { return false }
        return true
    }

    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [AlphaReceivedPacket] {
        var packets: [AlphaReceivedPacket] = []
        for byte in bytes {
            length += 1
            if byte == Alpha.soh {
                state = .header([])
                length = 0
                continue
            }
            if length > maximumPacketLength { state = .hunting }
            switch state {
            case .hunting:
                continue
            case .header(var collected):
                collected.append(byte)
                if collected.count == 3 {
                    let address = parseHex(collected[1...2]) ?? -1
                    packet = AlphaReceivedPacket(typeCode: collected[0], address: address, commands: [])
                    state = .between
                } else {
                    state = .header(collected)
                }
            case .between:
                if byte == Alpha.stx { state = .command(code: nil, data: [], sum: Int(Alpha.stx)) }
                if byte == Alpha.eot {
                    packets.append(packet)
                    state = .hunting
                }
            case .command(let code, var data, let sum):
                switch byte {
                case Alpha.stx, Alpha.eot:
                    if let code { packet.commands.append(AlphaReceivedCommand(code: code, data: data, checksum: .absent)) }
                    if byte == Alpha.eot {
                        packets.append(packet)
                        state = .hunting
                    } else {
                        state = .command(code: nil, data: [], sum: Int(Alpha.stx))
                    }
                case Alpha.etx:
                    state = .checksum(code: code ?? 0, data: data, sum: (sum + Int(byte)) & 0xFFFF, digits: [])
                default:
                    if code == nil {
                        state = .command(code: byte, data: data, sum: (sum + Int(byte)) & 0xFFFF)
                    } else {
                        data.append(byte)
                        state = .command(code: code, data: data, sum: (sum + Int(byte)) & 0xFFFF)
                    }
                }
            case .checksum(let code, let data, let sum, var digits):
                if byte == Alpha.stx || byte == Alpha.eot {
                    // ETX without a checksum: the nested form without checks.
                    packet.commands.append(AlphaReceivedCommand(code: code, data: data, checksum: digits.isEmpty ? .absent : .wrong))
                    if byte == Alpha.eot {
                        packets.append(packet)
                        state = .hunting
                    } else {
                        state = .command(code: nil, data: [], sum: Int(Alpha.stx))
                    }
                    continue
                }
                digits.append(byte)
                if digits.count == 4 {
                    let valid = parseHex(digits) == sum
                    packet.commands.append(AlphaReceivedCommand(code: code, data: data, checksum: valid ? .valid : .wrong))
                    state = .between
                } else {
                    state = .checksum(code: code, data: data, sum: sum, digits: digits)
                }
            }
        }
        return packets
    }
}

// MARK: - Model

/// Which signs a packet is for: type code (`Z` all) and address (0 = broadcast).
public struct AlphaAddress: Equatable, Sendable {
    public var typeCode: UInt8
    public var address: UInt8

    public init(typeCode: UInt8 = UInt8(ascii: "Z"), address: UInt8 = 0) {
        self.typeCode = typeCode
        self.address = address
    }
}

/// A packet's bytes, and the offsets after which the sender must pause (`Alpha.pauseMilliseconds`).
public struct AlphaTransmission: Equatable, Sendable {
    public var bytes: [UInt8]
    public var pauses: [Int]
}

/// A file label: printable ASCII except `?`; `0` is the priority TEXT file.
public struct AlphaLabel: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8

    public init?(rawValue: UInt8) {
        guard rawValue >= 0x20, rawValue < 0x7F, rawValue != UInt8(ascii: "?") else { return nil }
        self.rawValue = rawValue
    }

    public init?(_ character: Character) {
        guard let ascii = character.asciiValue else { return nil }
        self.init(rawValue: ascii)
    }

    public static let priority = AlphaLabel(rawValue: UInt8(ascii: "0"))!
    public static let a = AlphaLabel(rawValue: UInt8(ascii: "A"))!

    public var description: String { "'\(Character(Unicode.Scalar(rawValue)))'" }
}

public enum AlphaCommand: Equatable, Sendable {
    case writeText(label: AlphaLabel, AlphaText)
    /// Fast update of text inside a running TEXT file, without rewriting it.
    case writeString(label: AlphaLabel, String)
    case writeSmallDots(label: AlphaLabel, Bitmap)
    case configureMemory([AlphaMemoryEntry])
    /// 24-hour time of day.
    case setTime(hour: Int, minute: Int)
}

public struct AlphaText: Equatable, Sendable {
    public var position: AlphaPosition
    public var mode: AlphaMode
    public var pieces: [AlphaTextPiece]

    public init(position: AlphaPosition = .middleLine, mode: AlphaMode = .hold, pieces: [AlphaTextPiece]) {
        self.position = position
        self.mode = mode
        self.pieces = pieces
    }

    /// As the sign would store it: text filtered, adjacent text merged, empty text dropped.
    public var normalised: AlphaText {
        var result: [AlphaTextPiece] = []
        for piece in pieces {
            guard case .text(let text) = piece else {
                result.append(piece)
                continue
            }
            let clean = Alpha.filtered(text)
            if clean.isEmpty { continue }
            if case .text(let previous)? = result.last { result[result.count - 1] = .text(previous + clean) } else { result.append(.text(clean)) }
        }
        return AlphaText(position: position, mode: mode, pieces: result)
    }
}

public enum AlphaTextPiece: Equatable, Sendable {
    case text(String)
    case colour(AlphaColour)
    /// Shows the STRING file with this label here.
    case callString(AlphaLabel)
    /// Shows the SMALL DOTS picture with this label here.
    case callDots(AlphaLabel)

    /// SMALL DOTS pixel characters as bicolor values: dim colours show as their colour,
    /// brown, orange and yellow as amber.
    static func pixelValue(_ character: UInt8) -> UInt32 {
        switch character {
        case UInt8(ascii: "1"), UInt8(ascii: "4"): PixelFormat.bicolorRed
        case UInt8(ascii: "2"), UInt8(ascii: "5"): PixelFormat.bicolorGreen
        case UInt8(ascii: "3"), UInt8(ascii: "6"), UInt8(ascii: "7"), UInt8(ascii: "8"): PixelFormat.bicolorAmber
        default: 0
        }
    }
}

public enum AlphaPosition: UInt8, Sendable, CaseIterable {
    case middleLine = 0x20
    case topLine = 0x22
    case bottomLine = 0x26
    case fill = 0x30
    case left = 0x31
    case right = 0x32
}

public enum AlphaMode: Equatable, Sendable {
    case rotate, hold, flash, rollUp, rollDown, rollLeft, rollRight, wipeUp, wipeDown, wipeLeft, wipeRight
    case scroll, automode, rollIn, rollOut, wipeIn, wipeOut, compressedRotate, explode, clock
    /// Mode `n` with a special-effect character (`0` twinkle, `1` sparkle, …).
    case special(UInt8)

    static let codes: [(AlphaMode, UInt8)] = [
        (.rotate, 0x61), (.hold, 0x62), (.flash, 0x63), (.rollUp, 0x65), (.rollDown, 0x66), (.rollLeft, 0x67), (.rollRight, 0x68),
        (.wipeUp, 0x69), (.wipeDown, 0x6A), (.wipeLeft, 0x6B), (.wipeRight, 0x6C), (.scroll, 0x6D), (.automode, 0x6F), (.rollIn, 0x70),
        (.rollOut, 0x71), (.wipeIn, 0x72), (.wipeOut, 0x73), (.compressedRotate, 0x74), (.explode, 0x75), (.clock, 0x76),
    ]

    var bytes: [UInt8] {
        if case .special(let effect) = self { return [0x6E, effect] }
        return [Self.codes.first { $0.0 == self }?.1 ?? 0x62]
    }

    static func read(_ data: ArraySlice<UInt8>) -> (AlphaMode, Int)? {
        guard let code = data.first else { return nil }
        if code == 0x6E {
            guard data.count >= 2 else { return nil }
            return (.special(data[data.startIndex + 1]), 2)
        }
        return codes.first { $0.1 == code }.map { ($0.0, 1) }
    }
}

public enum AlphaColour: UInt8, Sendable, CaseIterable {
    case red = 0x31, green, amber, dimRed, dimGreen, brown, orange, yellow, rainbow1
    case rainbow2 = 0x41, colourMix, autoColour
}

/// One file in the memory configuration (`E$`).
public struct AlphaMemoryEntry: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// A TEXT file of `bytes`, shown all day.
        case text(bytes: Int)
        case string(bytes: Int)
        /// A SMALL DOTS picture; `colours` 1 (mono), 3 (red/green/amber) or 8.
        case dots(width: Int, height: Int, colours: Int)
    }

    public var label: AlphaLabel
    public var kind: Kind
    /// Locked files cannot be edited from the infrared keyboard.
    public var locked: Bool

    public init(label: AlphaLabel, kind: Kind, locked: Bool = true) {
        self.label = label
        self.kind = kind
        self.locked = locked
    }

    func bytes() throws(AlphaEncodingError) -> [UInt8] {
        var bytes = [label.rawValue]
        switch kind {
        case .text(let size):
            guard (1...0xFFFF).contains(size) else { throw AlphaEncodingError("TEXT file \(label): size \(size) is out of range") }
            bytes += [UInt8(ascii: "A"), locked ? UInt8(ascii: "L") : UInt8(ascii: "U")] + upperHex(size, width: 4) + Array("FF00".utf8)
        case .string(let size):
            guard (1...Alpha.maximumStringLength).contains(size) else { throw AlphaEncodingError("STRING file \(label): size \(size) is out of range 1–125") }
            bytes += [UInt8(ascii: "B"), locked ? UInt8(ascii: "L") : UInt8(ascii: "U")] + upperHex(size, width: 4) + Array("0000".utf8)
        case .dots(let width, let height, let colours):
            guard (1...0xFF).contains(width), (1...0xFF).contains(height), [1, 3, 8].contains(colours) else {
                throw AlphaEncodingError("DOTS file \(label): \(width)x\(height) with \(colours) colours is out of range")
            }
            let depth = colours == 1 ? "1000" : colours == 3 ? "2000" : "8000"
            bytes += [UInt8(ascii: "D"), locked ? UInt8(ascii: "L") : UInt8(ascii: "U")] + upperHex(height, width: 2) + upperHex(width, width: 2) + Array(depth.utf8)
        }
        return bytes
    }

    init?(_ bytes: ArraySlice<UInt8>) {
        let field = Array(bytes)
        guard field.count == 11, let label = AlphaLabel(rawValue: field[0]) else { return nil }
        self.label = label
        locked = field[2] == UInt8(ascii: "L")
        switch field[1] {
        case UInt8(ascii: "A"):
            guard let size = parseHex(field[3...6]) else { return nil }
            kind = .text(bytes: size)
        case UInt8(ascii: "B"):
            guard let size = parseHex(field[3...6]) else { return nil }
            kind = .string(bytes: size)
        case UInt8(ascii: "D"):
            guard let height = parseHex(field[3...4]), let width = parseHex(field[5...6]) else { return nil }
            let colours = field[7] == UInt8(ascii: "1") ? 1 : field[7] == UInt8(ascii: "2") ? 3 : 8
            kind = .dots(width: width, height: height, colours: colours)
        default:
            return nil
        }
    }
}

/// A packet as received: header and raw commands.
public struct AlphaReceivedPacket: Equatable, Sendable {
    public var typeCode: UInt8
    /// -1 when the address characters are not hex.
    public var address: Int
    public var commands: [AlphaReceivedCommand]
}

public struct AlphaReceivedCommand: Equatable, Sendable {
    public enum Checksum: Equatable, Sendable { case absent, valid, wrong }

    public var code: UInt8
    public var data: [UInt8]
    public var checksum: Checksum
}

public struct AlphaEncodingError: Error, Equatable, CustomStringConvertible {
    public let message: String
    /// Characters the sign cannot show, each once.
    public let unencodable: [Character]

    init(_ message: String) {
        self.message = message
        self.unencodable = []
    }

    init(context: String, unencodable: [Character]) {
        self.unencodable = unencodable
        let listed = unencodable.map { character in
            "'\(character)' (" + character.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ") + ")"
        }
        self.message = "\(context): an Alpha sign shows printable ASCII only and cannot show \(listed.joined(separator: ", ")); "
            + "transliterate these in the layout or use a board that draws Chinese"
    }

    public var description: String { message }
}

public struct AlphaDecodeError: Error, Equatable, CustomStringConvertible {
    public let code: UInt8
    public let message: String

    public var description: String { "command \(hexString([code])): \(message)" }
}

private func format2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
