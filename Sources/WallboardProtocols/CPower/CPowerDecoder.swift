import WallboardRender

/// Why a card does not act on a packet: the return code it answers with, or nil when it cannot
/// make sense of the packet and stays silent.
public struct CPowerDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var returnCode: UInt8?
    public var message: String

    public var description: String { message }
}

extension CPower {
    /// The command in a request packet (as `CPowerFrameScanner` yields it).
    public static func decodeRequest(_ packet: CPowerPacket) throws(CPowerDecodeError) -> CPowerRequest {
        let wantsReply = packet.confirm & 0x01 != 0
        var reader = ByteReader(packet.data)
        do {
            let command = try decodeCommand(packet.command, reader: &reader)
            return CPowerRequest(cardID: packet.cardID, wantsReply: wantsReply, command: command)
        } catch let truncated as ByteReader.Truncated {
            throw CPowerDecodeError(returnCode: nil, message: "command \(hexString([packet.command])) ends early at \(truncated.field)")
        } catch let error as CPowerDecodeError {
            throw error
        } catch {
            throw CPowerDecodeError(returnCode: nil, message: "command \(hexString([packet.command])): \(error)")
        }
    }

    private static func decodeCommand(_ code: UInt8, reader: inout ByteReader) throws -> CPowerCommand {
        switch code {
        case externalCallCommand:
            let length = Int(try reader.u16("length"))
            let number = try reader.u8("packet number"), last = try reader.u8("last packet number")
            guard number == 0, last == 0 else {
                throw CPowerDecodeError(returnCode: ReturnCode.packetSequence, message: "packet \(number) of \(Int(last) + 1): only single-packet calls are taken")
            }
            guard length == reader.remaining else {
                throw CPowerDecodeError(returnCode: nil, message: "external call of \(reader.remaining) bytes says it has \(length)")
            }
            return try decodeExternalCall(try reader.u8("sub-command"), reader: &reader)
        case brightnessCommand:
            guard try reader.u8("query or set") == 0x00 else { throw CPowerDecodeError(returnCode: nil, message: "brightness query: not emulated") }
            return .brightness(Array(try reader.take(24, "hourly brightness")))
        case timeCommand:
            guard try reader.u8("query or set") == 0x00 else { throw CPowerDecodeError(returnCode: nil, message: "time query: not emulated") }
            let second = Int(try reader.u8("second")), minute = Int(try reader.u8("minute")), hour = Int(try reader.u8("hour"))
            let weekday = Int(try reader.u8("week")), day = Int(try reader.u8("day")), month = Int(try reader.u8("month"))
            let year = 2000 + Int(try reader.u8("year"))
            return .setTime(CPowerTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second, weekday: weekday))
        case screenPowerCommand:
            guard try reader.u8("query or set") == 0x00 else { throw CPowerDecodeError(returnCode: nil, message: "screen power query: not emulated") }
            return .screenPower(on: try reader.u8("switch") == 0x01)
        default:
            throw CPowerDecodeError(returnCode: nil, message: "command \(hexString([code])) is not one this emulator handles")
        }
    }

    private static func decodeExternalCall(_ code: UInt8, reader: inout ByteReader) throws -> CPowerCommand {
        switch code {
        case splitWindowsCode:
            let count = Int(try reader.u8("window count"))
            guard (1...maximumWindows).contains(count) else {
                throw CPowerDecodeError(returnCode: ReturnCode.windowOutOfRange, message: "\(count) windows; 1 to \(maximumWindows) are allowed")
            }
            var windows: [Rect] = []
            for index in 0..<count {
                let field = "window \(index)"
                let x = try reader.u16BigEndian(field), y = try reader.u16BigEndian(field)
                let width = try reader.u16BigEndian(field), height = try reader.u16BigEndian(field)
                windows.append(Rect(x: Int(x), y: Int(y), width: Int(width), height: Int(height)))
            }
            return .splitWindows(windows)
        case pureTextCode:
            let (window, effect, alignment, speed, stay) = try textSettings(&reader)
            let font = try reader.u8("font")
            let colour = RGB(try reader.u8("red"), try reader.u8("green"), try reader.u8("blue"))
            var bytes: [UInt8] = []
            while true {
                let byte = try reader.u8("text (no 00 terminator)")
                if byte == 0 { break }
                bytes.append(byte)
            }
            let text = ControllerTextCodec.decode(bytes.map { $0 == 0x0D ? 0x0A : $0 }, charset: .gbk)
            return .windowText(CPowerWindowText(
                window: window, effect: effect,
                horizontal: CPowerWindowText.Horizontal(rawValue: alignment & 0x03) ?? .left,
                vertical: CPowerWindowText.Vertical(rawValue: alignment >> 2 & 0x03) ?? .top,
                speed: speed, staySeconds: stay, fontSize: min(font & 0x0F, UInt8(fontHeights.count - 1)), fontStyle: font >> 4 & 0x07,
                colour: colour, text: text))
        case richTextCode:
            let (window, effect, alignment, speed, stay) = try textSettings(&reader)
            guard reader.remaining % 3 == 0 else {
                throw CPowerDecodeError(returnCode: nil, message: "rich text of \(reader.remaining) bytes is not three bytes a character")
            }
            var runs: [CPowerRichText.Run] = []
            while reader.remaining > 0 {
                let head = try reader.u8("character colour and size"), high = try reader.u8("character"), low = try reader.u8("character")
                if head == 0, high == 0, low == 0 { break }
                guard let colour = CPowerColour(rawValue: head >> 4), Int(head & 0x0F) < fontHeights.count else {
                    throw CPowerDecodeError(returnCode: nil, message: "rich text character \(hexString([head, high, low])): colour 1 to 7 and size 0 to 7 are allowed")
                }
                let character = high == 0 && low == 0x0D ? "\n" : ControllerTextCodec.decode(high == 0 ? [low] : [high, low], charset: .gbk)
                if let last = runs.last, last.colour == colour, last.fontSize == head & 0x0F {
                    runs[runs.count - 1].text += character
                } else {
                    runs.append(CPowerRichText.Run(colour: colour, fontSize: head & 0x0F, text: character))
                }
            }
            return .richText(CPowerRichText(
                window: window, effect: effect, horizontal: CPowerWindowText.Horizontal(rawValue: alignment & 0x03) ?? .left, speed: speed,
                staySeconds: stay, runs: runs))
        case resumeProgramsCode:
            return .resumePrograms
        default:
            throw CPowerDecodeError(returnCode: nil, message: "external call \(hexString([code])) is not one this emulator handles")
        }
    }

    /// What pure and rich text both begin with: window, effect, alignment, speed, stay time.
    private static func textSettings(_ reader: inout ByteReader) throws(ByteReader.Truncated) -> (UInt8, CPowerEffect, UInt8, UInt8, UInt16) {
        (try reader.u8("window"), CPowerEffect(rawValue: try reader.u8("effect")), try reader.u8("alignment"), try reader.u8("speed"), try reader.u16BigEndian("stay time"))
    }

    /// The return codes the documents name for external calls (00 success, 01 checksum error,
    /// 02 packet sequence error) and the program templates' "window out of range", which the
    /// emulator also answers a text for a window that does not exist with.
    public enum ReturnCode {
        public static let success: UInt8 = 0x00
        public static let checksum: UInt8 = 0x01
        public static let packetSequence: UInt8 = 0x02
        public static let windowOutOfRange: UInt8 = 0x12

        public static func meaning(_ code: Int) -> String {
            switch code {
            case Int(checksum): "checksum error"
            case Int(packetSequence): "packet sequence error"
            case Int(windowOutOfRange): "window out of range"
            default: "error \(code)"
            }
        }
    }

    /// What a card answers `command` from `cardID` with, in the framing it came in. External
    /// calls carry the return code after the command; the basic commands (46, 47) carry 1
    /// (success) or 0 (failed) as their first data byte, 76 its `00 SW`; a serial reply repeats
    /// the confirm byte where a network reply carries the return code.
    public static func reply(
        command: UInt8, cardID: UInt8, confirm: UInt8, returnCode: UInt8, screenOn: Bool = true, framing: CPowerFraming
    ) -> [UInt8] {
        let packet: CPowerPacket
        if command == externalCallCommand {
            packet = CPowerPacket(isReply: true, cardID: cardID, command: command, confirm: returnCode, data: [])
        } else {
            let head = framing == .serial ? confirm : returnCode
            let data: [UInt8] = command == screenPowerCommand && returnCode == ReturnCode.success ? [0x00, screenOn ? 1 : 0] : [returnCode == ReturnCode.success ? 1 : 0]
            packet = CPowerPacket(isReply: true, cardID: cardID, command: command, confirm: head, data: data)
        }
        return framing.frame(packet.bytes)
    }
}

extension ByteReader {
    mutating func u16BigEndian(_ field: String) throws(Truncated) -> UInt16 {
        let high = try u8(field)
        return UInt16(high) << 8 | UInt16(try u8(field))
    }
}
