import WallboardRender

extension OnbonFontCard {
    /// Reads an unescaped packet (as `OnbonFrameScanner` yields it): checks length and CRC,
    /// then the command. The error carries the NACK code a controller would answer with.
    public static func decodeRequest(_ packet: [UInt8], charset: ControllerCharset = .gb2312) throws(OnbonDecodeError) -> OnbonFontCardRequest {
        let header = try checkedHeader(packet)
        let data = Array(packet[headerLength..<packet.count - 2])
        guard data.count >= 5 else { throw OnbonDecodeError(.noSuchCommand, "data field of \(data.count) bytes has no command", header: header) }
        let wantsReply = data[2] == 0x01 && header.destination != 0xFFFF
        var reader = ByteReader(data[5...])
        do {
            let command = try decodeCommand(group: data[0], code: data[1], reserved: data[3], reader: &reader, charset: charset, header: header)
            return OnbonFontCardRequest(header: header, command: command, wantsReply: wantsReply)
        } catch let truncated as ByteReader.Truncated {
            throw OnbonDecodeError(.noSuchCommand, "command \(hexString(data.prefix(2))) ends early at \(truncated.field)", header: header)
        } catch let error as OnbonDecodeError {
            throw error
        } catch {
            throw OnbonDecodeError(.noSuchCommand, "\(error)", header: header)
        }
    }

    static func checkedHeader(_ packet: [UInt8]) throws(OnbonDecodeError) -> OnbonFontCardHeader {
        do {
            return try OnbonPacketCheck.checkedHeader(packet, headerLength: headerLength, read: { try OnbonFontCardHeader(reading: &$0) }, dataLength: { Int($0.dataLength) })
        } catch {
            throw OnbonDecodeError(.checksum, error.message, header: error.header)
        }
    }

    private static func decodeCommand(
        group: UInt8, code: UInt8, reserved: UInt8, reader: inout ByteReader, charset: ControllerCharset, header: OnbonFontCardHeader
    ) throws -> OnbonFontCardCommand {
        switch (group, code) {
        case (0xA2, 0x00):
            return .ping
        case (0xA3, 0x10):
            return .clearScreen
        case (0xA3, 0x02):
            let type = try reader.u8("BrightnessType")
            let level = try reader.u8("CurrentBrightness")
            if type == 0x02 {
                return .brightnessSchedule(Array(try reader.take(48, "BrightnessValue")))
            }
            guard level <= 15 else { throw OnbonDecodeError(.screenParameters, "brightness \(level) over 15", header: header) }
            return .brightness(level)
        case (0xA2, 0x03):
            let yearLow = try reader.u8("year"), yearHigh = try reader.u8("year")
            var fields: [Int] = []
            for name in ["month", "day", "hour", "minute", "second", "weekday"] {
                guard let value = fromBCD(try reader.u8(name)) else {
                    throw OnbonDecodeError(.dateTimeFormat, "\(name) is not BCD", header: header)
                }
                fields.append(value)
            }
            guard let low = fromBCD(yearLow), let high = fromBCD(yearHigh) else {
                throw OnbonDecodeError(.dateTimeFormat, "year is not BCD", header: header)
            }
            let time = OnbonDateTime(
                year: high * 100 + low, month: fields[0], day: fields[1], hour: fields[2], minute: fields[3], second: fields[4], weekday: fields[5])
            do { try time.validate() } catch { throw OnbonDecodeError(.dateTimeFormat, error.description, header: header) }
            return .setTime(time)
        case (0xA3, 0x06):
            let deletion = try OnbonAreaDeletion.read(&reader)
            let count = try reader.u8("AreaNum")
            var areas: [OnbonTextArea] = []
            for _ in 0..<count {
                let length = Int(try reader.u16("AreaDataLen"))
                var record = ByteReader(try reader.take(length, "AreaData"))
                areas.append(try readArea(&record, charset: charset))
            }
            if areas.isEmpty && reserved == 0 { return .deleteAreas(deletion) }
            return .updateAreas(OnbonAreaUpdate(clearAreasFirst: reserved == 1, delete: deletion, areas: areas))
        case (0xA0, _), (0xA1, _), (0xA2, _), (0xA3, _), (0xA4, _):
            throw OnbonDecodeError(.noSuchCommand, "command \(hexString([group, code])) is not one this board handles", header: header)
        default:
            throw OnbonDecodeError(.commandGroup, "command group \(hexString([group])) is unknown", header: header)
        }
    }


    private static func readArea(_ reader: inout ByteReader, charset: ControllerCharset) throws -> OnbonTextArea {
        _ = try reader.u8("AreaType")
        let rawX = try reader.u16("AreaX"), y = try reader.u16("AreaY")
        let rawWidth = try reader.u16("AreaWidth"), height = try reader.u16("AreaHeight")
        func pixels(_ raw: UInt16) -> Int { raw & 0x8000 != 0 ? Int(raw & 0x7FFF) : Int(raw) * 8 }
        let id = try reader.u8("DynamicAreaLoc")
        let lineSpacing = try reader.u8("Lines_sizes")
        let runMode = OnbonRunMode(rawValue: try reader.u8("RunMode")) ?? .loop
        let timeout = try reader.u16("Timeout")
        let sound = try reader.u8("SoundMode")
        if sound != 0 {
            try reader.skip(3, "SoundPerson/Volume/Speed")
            if sound == 2 { try reader.skip(Int(try reader.u32("SoundDataLen")), "SoundData") }
        }
        try reader.skip(Int(try reader.u8("ExtendParaLen")), "extension bytes")
        let alignment = OnbonAlignment(byte: try reader.u8("TextAlignment"))
        let singleLine = try reader.u8("SingleLine") == 0x01
        let autoWrap = try reader.u8("NewLine") == 0x02
        let effect = OnbonTextEffect(rawValue: try reader.u8("DisplayMode")) ?? .staticText
        let exitMode = try reader.u8("ExitMode")
        let speed = try reader.u8("Speed")
        let stay = try reader.u8("StayTime")
        let textLength = Int(try reader.u32("DataLen"))
        let text = OnbonTextCodec.decode(try reader.take(textLength, "Data"), charset: charset)
        return OnbonTextArea(
            id: id, frame: Rect(x: pixels(rawX), y: Int(y), width: pixels(rawWidth), height: Int(height)),
            lineSpacing: lineSpacing, runMode: runMode, timeoutSeconds: timeout, alignment: alignment, singleLine: singleLine,
            wrapsAutomatically: autoWrap, effect: effect, exitMode: exitMode, speed: speed, stayHalfSeconds: stay, text: text)
    }
}
