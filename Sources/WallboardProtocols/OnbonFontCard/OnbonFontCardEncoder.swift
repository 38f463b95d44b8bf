import WallboardRender

extension OnbonFontCard {
    /// The wire bytes of `command` for the controller `link` describes.
    public static func encode(_ command: OnbonFontCardCommand, link: OnbonFontCardLink = OnbonFontCardLink()) throws(OnbonEncodingError) -> [UInt8] {
        let data = try commandData(command, link: link)
        return OnbonFraming.frame(OnbonFraming.packet(header: header(link: link, dataLength: data.count), data: data))
    }

    static func header(link: OnbonFontCardLink, dataLength: Int) -> [UInt8] {
        var writer = ByteWriter(capacity: headerLength)
        writer.u16(link.destination)
        writer.u16(link.source)
        writer.zeros(3)
        writer.u8(0)  // no bar code
        writer.u8(0)  // CRC16 check
        writer.u8(link.dynamicAreasOverPrograms ? 1 : 0)
        writer.u8(link.deviceType)
        writer.u8(link.protocolVersion)
        writer.u16(UInt16(truncatingIfNeeded: dataLength))
        return writer.bytes
    }

    static func commandData(_ command: OnbonFontCardCommand, link: OnbonFontCardLink) throws(OnbonEncodingError) -> [UInt8] {
        var writer = ByteWriter(capacity: 64)
        let response: UInt8 = link.wantsReply ? 0x01 : 0x02
        switch command {
        case .ping:
            writer.append([0xA2, 0x00, response, 0, 0])
        case .clearScreen:
            writer.append([0xA3, 0x10, response, 0, 0])
        case .brightness(let level):
            guard level <= 15 else { throw OnbonEncodingError("brightness \(level) is out of range: use 0 (dimmest) to 15 (brightest)") }
            writer.append([0xA3, 0x02, response, 0, 0, 0x01, level])
        case .brightnessSchedule(let levels):
            guard levels.count == 48, levels.allSatisfy({ $0 <= 15 }) else {
                throw OnbonEncodingError("a brightness schedule needs 48 half-hour levels of 0–15, got \(levels.count)")
            }
            writer.append([0xA3, 0x02, response, 0, 0, 0x02, 0])
            writer.append(levels)
        case .setTime(let time):
            try time.validate()
            writer.append([0xA2, 0x03, response, 0, 0])
            writer.u8(bcd(time.year % 100))
            writer.u8(bcd(time.year / 100))
            for value in [time.month, time.day, time.hour, time.minute, time.second, time.weekday] { writer.u8(bcd(value)) }
        case .updateAreas(let update):
            guard !update.areas.isEmpty else { throw OnbonEncodingError("an area update needs at least one area: use deleteAreas to only delete") }
            writer.append([0xA3, 0x06, response, update.clearAreasFirst ? 1 : 0, 0])
            try update.delete.append(to: &writer)
            guard update.areas.count <= link.model.maximumAreas else {
                throw OnbonEncodingError("\(update.areas.count) areas, but a \(link.model) shows at most \(link.model.maximumAreas) dynamic areas")
            }
            writer.u8(UInt8(update.areas.count))
            for area in update.areas {
                let record = try areaRecord(area, link: link)
                writer.u16(UInt16(record.count))
                writer.append(record)
            }
        case .deleteAreas(let deletion):
            writer.append([0xA3, 0x06, response, 0, 0])
            try deletion.append(to: &writer)
            writer.u8(0)
        }
        guard writer.bytes.count <= link.model.receiveBuffer else {
            throw OnbonEncodingError("the command is \(writer.bytes.count) bytes, over the controller's \(link.model.receiveBuffer)-byte receive buffer: shorten the text")
        }
        return writer.bytes
    }

    static func areaRecord(_ area: OnbonTextArea, link: OnbonFontCardLink) throws(OnbonEncodingError) -> [UInt8] {
        let frame = area.frame
        guard frame.x >= 0, frame.y >= 0, frame.width > 0, frame.height > 0,
              frame.x < 0x8000, frame.width < 0x8000, frame.y <= 0xFFFF, frame.height <= 0xFFFF
        else { throw OnbonEncodingError("area \(area.id): frame \(frame) is not a positive rectangle on the screen") }
        guard area.speed <= 0x18 else { throw OnbonEncodingError("area \(area.id): speed \(area.speed) is out of range 0 (fastest) to 24") }
        let text = try OnbonTextCodec.encode(area.text, charset: link.charset, context: "area \(area.id)")
        guard text.count <= link.model.maximumAreaBytes else {
            throw OnbonEncodingError("area \(area.id): \(text.count) bytes of text, over the \(link.model)'s \(link.model.maximumAreaBytes)-byte limit per area")
        }
        var writer = ByteWriter(capacity: 27 + text.count)
        writer.u8(0x00)  // area type
        // X and width in pixels: bit 15 set. Y and height are always pixels.
        writer.u16(UInt16(frame.x) | 0x8000)
        writer.u16(UInt16(frame.y))
        writer.u16(UInt16(frame.width) | 0x8000)
        writer.u16(UInt16(frame.height))
        writer.u8(area.id)
        writer.u8(area.lineSpacing)
        writer.u8(area.runMode.rawValue)
        writer.u16(area.timeoutSeconds)
        writer.u8(0)  // no sound
        writer.u8(0)  // no extension bytes
        writer.u8(area.alignment.byte)
        writer.u8(area.singleLine ? 0x01 : 0x02)
        writer.u8(area.wrapsAutomatically ? 0x02 : 0x01)
        writer.u8(area.effect.rawValue)
        writer.u8(area.exitMode)
        writer.u8(area.speed)
        writer.u8(area.stayHalfSeconds)
        writer.u32(UInt32(text.count))
        writer.append(text)
        return writer.bytes
    }
}
