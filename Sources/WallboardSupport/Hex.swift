/// Hexadecimal text as people read it in device listings, errors and byte dumps.
public enum Hex {
    /// Four lowercase digits, as USB vendor and product IDs are written: `1a86`.
    public static func word(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// A character's code point as Unicode writes it: `U+4E2D`, `U+00E9`.
    public static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Bytes as two uppercase digits each, separated by spaces: `45 52 52 3F`.
    public static func bytes(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: " ")
    }
}
