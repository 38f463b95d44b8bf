/// Little-endian writing and bounds-checked reading of wire bytes, shared by the protocols.
struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 64) {
        bytes.reserveCapacity(capacity)
    }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func u32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func append(_ other: some Sequence<UInt8>) { bytes.append(contentsOf: other) }

    mutating func zeros(_ count: Int) { bytes.append(contentsOf: repeatElement(0, count: count)) }

    /// Overwrites a little-endian `UInt16` written earlier (for lengths known only afterwards).
    mutating func patch16(at offset: Int, _ value: UInt16) {
        bytes[offset] = UInt8(truncatingIfNeeded: value)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
    }

    mutating func patch32(at offset: Int, _ value: UInt32) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> UInt32(8 * index)) }
    }
}

/// Reads fields from a byte slice; every read past the end throws `ByteReader.Truncated`.
struct ByteReader {
    struct Truncated: Error {
        let field: String
        let offset: Int
    }

    let bytes: ArraySlice<UInt8>
    private(set) var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    init(_ bytes: [UInt8]) { self.init(bytes[...]) }

    var remaining: Int { bytes.endIndex - position }
    var isAtEnd: Bool { position >= bytes.endIndex }
    var offset: Int { position - bytes.startIndex }

    mutating func u8(_ field: String) throws(Truncated) -> UInt8 {
        guard position < bytes.endIndex else { throw Truncated(field: field, offset: offset) }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u16(_ field: String) throws(Truncated) -> UInt16 {
        let low = try u8(field)
        let high = try u8(field)
        return UInt16(low) | UInt16(high) << 8
    }

    mutating func u32(_ field: String) throws(Truncated) -> UInt32 {
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(try u8(field)) << UInt32(8 * index) }
        return value
    }

    mutating func take(_ count: Int, _ field: String) throws(Truncated) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw Truncated(field: field, offset: offset) }
        defer { position += count }
        return bytes[position..<position + count]
    }

    mutating func skip(_ count: Int, _ field: String) throws(Truncated) {
        _ = try take(count, field)
    }
}

/// `A5 5A` style hex for messages and tests.
public func hexString(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789ABCDEF")
    var text = ""
    for byte in bytes {
        if !text.isEmpty { text.append(" ") }
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0xF)])
    }
    return text
}

func hexNibble(_ character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
    default: nil
    }
}

/// Uppercase hex digits of `value`, zero-padded to `width` (Alpha's size and checksum fields).
func upperHex(_ value: Int, width: Int) -> [UInt8] {
    let digits = Array("0123456789ABCDEF".utf8)
    var result = [UInt8](repeating: UInt8(ascii: "0"), count: width)
    var rest = value
    for index in stride(from: width - 1, through: 0, by: -1) {
        result[index] = digits[rest & 0xF]
        rest >>= 4
    }
    return result
}

/// The value of uppercase or lowercase hex digits; nil if any is not a hex digit.
func parseHex(_ digits: some Collection<UInt8>) -> Int? {
    guard !digits.isEmpty else { return nil }
    var value = 0
    for digit in digits {
        guard let nibble = hexNibble(digit) else { return nil }
        value = value << 4 | Int(nibble)
    }
    return value
}
