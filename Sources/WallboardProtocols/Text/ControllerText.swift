#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The character sets Chinese controllers draw text in. Encoding goes through the C library's
/// iconv, a real codec, never a hand-made table.
public enum ControllerCharset: String, Sendable, CaseIterable {
    case gb2312 = "GB2312"
    case gbk = "GBK"

    /// Input methods type U+00B7 "·" and U+2014 "—"; glibc's GB2312 knows those two glyphs
    /// (A1A4, A1AA) only as U+30FB and U+2015, and its GBK knows A1A4 only as U+00B7. Each
    /// pair is one glyph on the board, so the encoder accepts both spellings.
    fileprivate func beforeEncoding(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch (self, scalar.value) {
        case (.gb2312, 0x00B7): "\u{30FB}"
        case (.gb2312, 0x2014): "\u{2015}"
        case (.gbk, 0x30FB): "\u{00B7}"
        default: scalar
        }
    }

    /// The spelling decoding gives back: the one input methods produce.
    fileprivate func afterDecoding(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch (self, scalar.value) {
        case (.gb2312, 0x30FB): "\u{00B7}"
        case (.gb2312, 0x2015): "\u{2014}"
        default: scalar
        }
    }

    /// `text` as a board would give it back after a round trip through this character set
    /// (the two dual-spelled punctuation marks normalised); for tests and comparisons.
    public func canonical(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { result.append(afterDecoding(beforeEncoding(scalar))) }
        return String(result)
    }

    /// True when `byte` opens a two-byte character in this set.
    func isLeadByte(_ byte: UInt8) -> Bool {
        switch self {
        case .gb2312: byte >= 0xA1 && byte <= 0xFE
        case .gbk: byte >= 0x81 && byte <= 0xFE
        }
    }
}

/// Text a controller's fonts cannot show, reported before anything is sent.
public struct UnencodableTextError: Error, Equatable, CustomStringConvertible {
    /// Each offending character once, in the order they first appear.
    public let characters: [Character]
    public let charset: ControllerCharset
    /// Where the text was going (an area, a file), for the message.
    public var context: String
    /// True when the C library has no converter for the set at all (gconv modules missing).
    public var converterMissing = false

    /// A character as an error names it: '陈' (U+9648).
    static func named(_ character: Character) -> String {
        let codes = character.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }
        return "'\(character)' (\(codes.joined(separator: " ")))"
    }

    public var description: String {
        if converterMissing {
            return "\(context): this machine's C library cannot convert to \(charset.rawValue) (iconv_open failed); "
                + "install the glibc gconv modules (Debian: libc6) and retry"
        }
        let listed = characters.map(Self.named)
        return "\(context): the controller's \(charset.rawValue) fonts cannot show \(listed.joined(separator: ", ")); "
            + "replace these characters in the layout or the data, or use a board with a \(charset == .gb2312 ? "GBK" : "wider") font"
    }
}

/// Conversions between Swift strings and a controller character set through iconv.
public enum ControllerTextCodec {
    /// The bytes of `text` in `charset`; throws listing every character the set lacks.
    public static func encode(_ text: String, charset: ControllerCharset, context: String = "text") throws(UnencodableTextError) -> [UInt8] {
        var input: [UInt8] = []
        input.reserveCapacity(text.utf8.count)
        var isASCII = true
        for scalar in text.unicodeScalars {
            let value = charset.beforeEncoding(scalar).value
            switch value {
            case 0..<0x80:
                input.append(UInt8(value))
            case 0x80..<0x800:
                isASCII = false
                input.append(UInt8(0xC0 | value >> 6))
                input.append(UInt8(0x80 | value & 0x3F))
            case 0x800..<0x10000:
                isASCII = false
                input.append(UInt8(0xE0 | value >> 12))
                input.append(UInt8(0x80 | value >> 6 & 0x3F))
                input.append(UInt8(0x80 | value & 0x3F))
            default:
                isASCII = false
                input.append(UInt8(0xF0 | value >> 18))
                input.append(UInt8(0x80 | value >> 12 & 0x3F))
                input.append(UInt8(0x80 | value >> 6 & 0x3F))
                input.append(UInt8(0x80 | value & 0x3F))
            }
        }
        // ASCII is the same in both sets and needs no conversion.
        if isASCII { return input }
        var rejected: [Unicode.Scalar] = []
        let converted = convert(input, from: "UTF-8", to: charset.rawValue) { remaining in
            let length = utf8SequenceLength(remaining.first ?? 0)
            var decoder = UTF8()
            var iterator = remaining.prefix(length).makeIterator()
            if case .scalarValue(let scalar) = decoder.decode(&iterator), !rejected.contains(scalar) { rejected.append(scalar) }
            return (skip: length, replacement: [])
        }
        guard let output = converted else {
            throw UnencodableTextError(characters: [], charset: charset, context: context, converterMissing: true)
        }
        guard rejected.isEmpty else {
            throw UnencodableTextError(characters: rejected.map { Character($0) }, charset: charset, context: context)
        }
        return output
    }

    /// The text `bytes` hold in `charset`; bytes that are not valid there become U+FFFD.
    public static func decode(_ bytes: some Collection<UInt8>, charset: ControllerCharset) -> String {
        let input = Array(bytes)
        if input.allSatisfy({ $0 < 0x80 }) { return String(decoding: input, as: UTF8.self) }
        let replacement = Array("\u{FFFD}".utf8)
        let converted = convert(input, from: charset.rawValue, to: "UTF-8") { _ in (skip: 1, replacement: replacement) }
        // Without a converter every non-ASCII byte shows as a replacement character.
        let utf8: [UInt8] = converted ?? input.flatMap { $0 < 0x80 ? [$0] : replacement }
        var result = String.UnicodeScalarView()
        for scalar in String(decoding: utf8, as: UTF8.self).unicodeScalars { result.append(charset.afterDecoding(scalar)) }
        return String(result)
    }

    /// Runs iconv over `input`; at an input it cannot convert, `onInvalid` says how many bytes
    /// to skip and what to write instead.
    private static func convert(
        _ input: [UInt8],
        from source: String,
        to target: String,
        onInvalid: (ArraySlice<UInt8>) -> (skip: Int, replacement: [UInt8])
    ) -> [UInt8]? {
        guard let converter = ConverterPool.shared.take(from: source, to: target) else { return nil }
        defer { ConverterPool.shared.give(converter, from: source, to: target) }
        let descriptor = converter.descriptor
        var output = [UInt8](repeating: 0, count: max(16, input.count * 2))
        var written = 0
        var consumed = 0
        while consumed < input.count {
            var inLeft = input.count - consumed
            var outLeft = output.count - written
            let status = input.withUnsafeBufferPointer { inBuffer -> (result: Int, error: Int32) in
                output.withUnsafeMutableBufferPointer { outBuffer -> (result: Int, error: Int32) in
                    var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: inBuffer.baseAddress! + consumed)
                        .assumingMemoryBound(to: CChar.self)
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress! + written)
                        .assumingMemoryBound(to: CChar.self)
                    let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                    return (result, result == -1 ? errno : 0)
                }
            }
            consumed = input.count - inLeft
            written = output.count - outLeft
            guard status.result == -1 else { break }
            switch status.error {
            case E2BIG:
                output.append(contentsOf: repeatElement(0, count: output.count))
            default:
                // EILSEQ (not representable / invalid) or EINVAL (cut short at the end).
                let action = onInvalid(input[consumed...])
                consumed = min(input.count, consumed + max(1, action.skip))
                if written + action.replacement.count > output.count {
                    output.append(contentsOf: repeatElement(0, count: output.count + action.replacement.count))
                }
                output.replaceSubrange(written..<written + action.replacement.count, with: action.replacement)
                written += action.replacement.count
            }
        }
        return Array(output[..<written])
    }

}

/// Open iconv converters kept for reuse: opening one costs far more than a short conversion.
/// A converter is used by one caller at a time and reset before it goes back in the pool.
private final class ConverterPool: Sendable {
    struct Converter: @unchecked Sendable {
        let descriptor: iconv_t
    }

    static let shared = ConverterPool()
    private let idle = Mutex<[String: [Converter]]>([:])

    func take(from source: String, to target: String) -> Converter? {
        let key = source + ">" + target
        if let converter = idle.withLock({ $0[key]?.popLast() }) { return converter }
        guard let descriptor = iconv_open(target, source), Int(bitPattern: descriptor) != -1 else { return nil }
        return Converter(descriptor: descriptor)
    }

    func give(_ converter: Converter, from source: String, to target: String) {
        // Back to the initial shift state for the next caller.
        iconv(converter.descriptor, nil, nil, nil, nil)
        let key = source + ">" + target
        let kept = idle.withLock { pool -> Bool in
            guard pool[key, default: []].count < 8 else { return false }
            pool[key, default: []].append(converter)
            return true
        }
        if !kept { iconv_close(converter.descriptor) }
    }
}

func utf8SequenceLength(_ lead: UInt8) -> Int {
    switch lead {
    case 0..<0x80: 1
    case 0xC0..<0xE0: 2
    case 0xE0..<0xF0: 3
    case 0xF0..<0xF8: 4
    default: 1
    }
}
