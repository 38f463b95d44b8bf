import WallboardRender

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
        let listed = unencodable.map(UnencodableTextError.named)
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

func format2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
