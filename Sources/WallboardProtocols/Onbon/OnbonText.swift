/// The colours of the `\C` inline code.
public enum OnbonColour: UInt8, Sendable, CaseIterable {
    case red = 1, green, yellow, blue, cyan, magenta, white
}

/// What the controller's clock field `\D` shows.
public enum OnbonClockField: UInt8, Sendable, CaseIterable {
    case second = 0x53  // S
    case minute = 0x4D  // M
    case hour = 0x48  // H
    case day = 0x44  // D
    case month = 0x4C  // L
    case year = 0x59  // Y
    case weekday = 0x57  // W
}

/// One piece of a font card's text: plain text or an inline code.
public enum OnbonTextPiece: Equatable, Sendable {
    case text(String)
    /// `\C1`…`\C7`: the colour of the text that follows.
    case colour(OnbonColour)
    /// `\F` + font file name (`O000` 16-dot Chinese, `O001` 24, `O002` 32; `E000`… Latin).
    case font(String)
    /// `\n`.
    case newline
    /// `\D` + field: the controller's own clock, drawn by the controller.
    case clock(OnbonClockField)
}

/// Text for a dynamic area: plain text and inline codes, in order.
public struct OnbonText: Equatable, Sendable, ExpressibleByStringLiteral {
    public var pieces: [OnbonTextPiece]

    public init(_ pieces: [OnbonTextPiece]) {
        self.pieces = pieces
    }

    public init(stringLiteral value: String) {
        self.pieces = [.text(value)]
    }

    /// The text as the board would read it back: adjacent text merged, empty text dropped,
    /// text sanitised the way the encoder sanitises it.
    public func normalised(charset: ControllerCharset) -> OnbonText {
        var result: [OnbonTextPiece] = []
        for piece in pieces {
            if case .text(let text) = piece {
                let clean = charset.canonical(OnbonTextCodec.sanitise(text))
                if clean.isEmpty { continue }
                if case .text(let previous)? = result.last {
                    result[result.count - 1] = .text(previous + clean)
                } else {
                    result.append(.text(clean))
                }
            } else {
                result.append(piece)
            }
        }
        return OnbonText(result)
    }

    /// The text cut so that it takes at most `limit` bytes on the wire, ending with '…' where it
    /// was cut; unchanged when it fits. For text its character set can show (each character
    /// other than ASCII is two bytes in GB2312 and GBK), see `ControllerRepertoire`.
    public func cut(toFit limit: Int) -> OnbonText {
        func size(_ scalar: Unicode.Scalar) -> Int { scalar.isASCII ? 1 : 2 }
        func size(_ piece: OnbonTextPiece) -> Int {
            switch piece {
            case .text(let text): OnbonTextCodec.sanitise(text).unicodeScalars.reduce(0) { $0 + size($1) }
            case .colour, .clock: 3
            case .font(let name): 2 + name.utf8.count
            case .newline: 2
            }
        }
        guard pieces.reduce(0, { $0 + size($1) }) > limit else { return self }
        let ellipsis: Unicode.Scalar = "\u{2026}"
        var budget = limit - size(ellipsis)
        var kept: [OnbonTextPiece] = []
        for piece in pieces {
            let cost = size(piece)
            if cost <= budget {
                kept.append(piece)
                budget -= cost
                continue
            }
            if case .text(let text) = piece {
                var head = String.UnicodeScalarView()
                for scalar in OnbonTextCodec.sanitise(text).unicodeScalars {
                    guard size(scalar) <= budget else { break }
                    head.append(scalar)
                    budget -= size(scalar)
                }
                if !head.isEmpty { kept.append(.text(String(head))) }
            }
            break
        }
        if budget >= 0 { kept.append(.text(String(ellipsis))) }
        return OnbonText(kept)
    }

    /// The plain text without codes, lines joined with "\n" (for tests and previews).
    public var plainText: String {
        pieces.map { piece in
            switch piece {
            case .text(let text): text
            case .newline: "\n"
            default: ""
            }
        }.joined()
    }
}

/// Inline codes to and from bytes. Text never carries a code: control characters are dropped
/// and a backslash becomes the full-width backslash (GB2312 A3DC), so data cannot open one.
public enum OnbonTextCodec {
    static let backslash = UInt8(ascii: "\\")

    /// Text as the encoder sends it: no control characters, no ASCII backslash.
    public static func sanitise(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F { continue }
            result.append(scalar == "\\" ? "\u{FF3C}" : scalar)
        }
        return String(result)
    }

    public static func encode(_ text: OnbonText, charset: ControllerCharset, context: String) throws(OnbonEncodingError) -> [UInt8] {
        var bytes: [UInt8] = []
        var missing: [Character] = []
        for piece in text.pieces {
            switch piece {
            case .text(let text):
                do {
                    bytes += try ControllerTextCodec.encode(sanitise(text), charset: charset, context: context)
                } catch {
                    if error.converterMissing { throw OnbonEncodingError(error.description, unencodable: error) }
                    for character in error.characters where !missing.contains(character) { missing.append(character) }
                }
            case .colour(let colour):
                bytes += [backslash, UInt8(ascii: "C"), UInt8(ascii: "0") + colour.rawValue]
            case .font(let name):
                let nameBytes = Array(name.utf8)
                guard nameBytes.count == 4, [UInt8(ascii: "O"), UInt8(ascii: "E"), UInt8(ascii: "K")].contains(nameBytes[0]),
                      nameBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != backslash })
                else { throw OnbonEncodingError("\(context): font name '\(name)' is not a controller font file (O000, E000, …)") }
                bytes += [backslash, UInt8(ascii: "F")] + nameBytes
            case .newline:
                bytes += [backslash, UInt8(ascii: "n")]
            case .clock(let field):
                bytes += [backslash, UInt8(ascii: "D"), field.rawValue]
            }
        }
        if !missing.isEmpty {
            let error = UnencodableTextError(characters: missing, charset: charset, context: context)
            throw OnbonEncodingError(error.description, unencodable: error)
        }
        return bytes
    }

    /// Reads text and inline codes. Double-byte characters are taken whole, so a GBK trail
    /// byte of 0x5C is never read as a backslash; an unknown code stays as text.
    public static func decode(_ bytes: some Collection<UInt8>, charset: ControllerCharset) -> OnbonText {
        let data = Array(bytes)
        var pieces: [OnbonTextPiece] = []
        var run: [UInt8] = []
        func flush() {
            guard !run.isEmpty else { return }
            let text = ControllerTextCodec.decode(run, charset: charset)
            if case .text(let previous)? = pieces.last {
                pieces[pieces.count - 1] = .text(previous + text)
            } else {
                pieces.append(.text(text))
            }
            run.removeAll()
        }
        var index = 0
        while index < data.count {
            let byte = data[index]
            if charset.isLeadByte(byte), index + 1 < data.count {
                run += [byte, data[index + 1]]
                index += 2
                continue
            }
            if byte == backslash, let (piece, length) = code(at: index, in: data) {
                flush()
                pieces.append(piece)
                index += length
                continue
            }
            run.append(byte)
            index += 1
        }
        flush()
        return OnbonText(pieces)
    }

    private static func code(at index: Int, in data: [UInt8]) -> (OnbonTextPiece, Int)? {
        guard index + 1 < data.count else { return nil }
        switch data[index + 1] {
        case UInt8(ascii: "n"):
            return (.newline, 2)
        case UInt8(ascii: "C"):
            guard index + 2 < data.count, let colour = OnbonColour(rawValue: data[index + 2] &- UInt8(ascii: "0")) else { return nil }
            return (.colour(colour), 3)
        case UInt8(ascii: "F"):
            guard index + 5 < data.count else { return nil }
            let name = data[index + 2...index + 5]
            guard name.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
            return (.font(String(decoding: name, as: UTF8.self)), 6)
        case UInt8(ascii: "D"):
            guard index + 2 < data.count, let field = OnbonClockField(rawValue: data[index + 2]) else { return nil }
            return (.clock(field), 3)
        default:
            return nil
        }
    }
}
