import WallboardRender

extension Alpha {
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
}
