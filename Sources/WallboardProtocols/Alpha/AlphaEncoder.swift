import WallboardRender

extension Alpha {
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
}
