import WallboardRender

extension OnbonGraphicCard {
    /// Reads an unescaped packet: checks length and CRC, then the command.
    public static func decodeRequest(_ packet: [UInt8], model: OnbonGraphicModel, colours: OnbonGraphicColours) throws(OnbonGraphicDecodeError) -> OnbonGraphicRequest {
        let header = try checkedHeader(packet)
        let data = Array(packet[headerLength..<packet.count - 2])
        guard data.count >= 3 else { throw OnbonGraphicDecodeError(.noSuchCommand, "data field of \(data.count) bytes has no command", header: header) }
        var reader = ByteReader(data[3...])
        do {
            let command: OnbonGraphicCommand
            switch (data[1], data[2]) {
            case (0xA2, 0x00):
                command = .ping
            case (0xA7, 0x01):
                try reader.skip(2, "Reserved")
                command = .deleteAreas(try OnbonAreaDeletion.read(&reader))
            case (0xA7, 0x00):
                try reader.skip(2, "Reserved")
                command = .updateAreas(
                    model.isSixthGeneration
                        ? try readSixthGeneration(&reader, model: model, colours: colours, header: header)
                        : [try readFifthGeneration(&reader, colours: colours, header: header)])
            case (0xA2, _), (0xA7, _):
                throw OnbonGraphicDecodeError(.noSuchCommand, "command \(hexString(data[1...2])) is not one this board handles", header: header)
            default:
                throw OnbonGraphicDecodeError(.commandGroup, "command group \(hexString([data[1]])) is unknown", header: header)
            }
            return OnbonGraphicRequest(header: header, command: command, wantsReply: data[0] == 0x01 && header.destination != 0xFFFF)
        } catch let error as OnbonGraphicDecodeError {
            throw error
        } catch let truncated as ByteReader.Truncated {
            throw OnbonGraphicDecodeError(.noSuchCommand, "command ends early at \(truncated.field)", header: header)
        } catch {
            throw OnbonGraphicDecodeError(.noSuchCommand, "\(error)", header: header)
        }
    }

    static func checkedHeader(_ packet: [UInt8]) throws(OnbonGraphicDecodeError) -> OnbonGraphicHeader {
        do {
            return try OnbonPacketCheck.checkedHeader(packet, headerLength: headerLength, read: { try OnbonGraphicHeader(reading: &$0) }, dataLength: { Int($0.dataLength) })
        } catch {
            throw OnbonGraphicDecodeError(.checksum, error.message, header: error.header)
        }
    }

    struct AreaStart {
        var id: UInt8, runMode: OnbonGraphicRunMode, timeout: UInt16, showsAlone: Bool, frame: Rect
    }

    private static func readAreaStart(_ reader: inout ByteReader) throws -> AreaStart {
        let id = try reader.u8("AreaId")
        let runMode = OnbonGraphicRunMode(rawValue: try reader.u8("RunMode")) ?? .loop
        let timeout = try reader.u16("Timeout")
        _ = try reader.u8("RelateAllPro")
        try reader.skip(2 * Int(try reader.u16("RelateProNum")), "RelateProSerial")
        let alone = try reader.u8("ImmePlay") == 1
        try reader.skip(4, "Reserved")
        _ = try reader.u8("AreaType")
        let x = try reader.u16("AreaX"), y = try reader.u16("AreaY"), width = try reader.u16("AreaWidth"), height = try reader.u16("AreaHeight")
        if try reader.u8("AreaFFlag") != 0 {
            try reader.skip(6, "border attributes")
            // AreaFUnitData: AreaFWidth bytes; the width is the fourth attribute byte.
            let attributes = reader.bytes[reader.position - 6..<reader.position]
            try reader.skip(Int(attributes[attributes.startIndex + 3]), "AreaFUnitData")
        }
        return AreaStart(id: id, runMode: runMode, timeout: timeout, showsAlone: alone, frame: Rect(x: Int(x), y: Int(y), width: Int(width), height: Int(height)))
    }

    struct PageStart {
        var effect: UInt8, clearMode: UInt8, speed: UInt8, stay: UInt16, repeatCount: UInt8
    }

    private static func readPageStart(_ reader: inout ByteReader) throws -> PageStart {
        _ = try reader.u8("PageStyle")
        let effect = try reader.u8("DisplayMode"), clear = try reader.u8("ClearMode"), speed = try reader.u8("Speed")
        let stay = try reader.u16("StayTime"), repeatCount = try reader.u8("RepeatTime")
        _ = try reader.u16("ValidLen")
        return PageStart(effect: effect, clearMode: clear, speed: speed, stay: stay, repeatCount: repeatCount)
    }

    private static func readFifthGeneration(_ reader: inout ByteReader, colours: OnbonGraphicColours, header: OnbonGraphicHeader) throws -> OnbonGraphicArea {
        let length = Int(try reader.u32("AreaDataLen"))
        var record = ByteReader(try reader.take(length, "AreaData"))
        let start = try readAreaStart(&record)
        let pageCount = Int(try record.u16("PageNum"))
        var pages: [OnbonGraphicPage] = []
        let format = OnbonBitmapFormat.fifthGeneration(colours)
        for _ in 0..<pageCount {
            let pageLength = Int(try record.u32("PageDataLen"))
            var page = ByteReader(try record.take(pageLength, "page"))
            let pageStart = try readPageStart(&page)
            try page.skip(4, "Reserved")
            let pixels = try page.take(page.remaining, "PicPageData")
            guard let bitmap = format.decode(pixels, frame: start.frame) else {
                throw OnbonGraphicDecodeError(.screenParameters, "area \(start.id): \(pixels.count) pixel bytes do not fit \(start.frame)", header: header)
            }
            pages.append(OnbonGraphicPage(pageStart, bitmap: bitmap))
        }
        return OnbonGraphicArea(start, pages: pages)
    }

    private static func readSixthGeneration(
        _ reader: inout ByteReader, model: OnbonGraphicModel, colours: OnbonGraphicColours, header: OnbonGraphicHeader
    ) throws -> [OnbonGraphicArea] {
        let count = Int(try reader.u16("AreaNum"))
        var pending: [(AreaStart, [(PageStart, offset: Int, length: Int)])] = []
        for _ in 0..<count {
            var record = ByteReader(try reader.take(Int(try reader.u32("AreaDataLen")), "AreaData"))
            let start = try readAreaStart(&record)
            try record.skip(3, "background, transparency, AreaEqual")
            if try record.u8("SoundFlag") != 0 {
                try record.skip(15, "sound parameters")
                try record.skip(Int(try record.u8("SoundReservedParaLen")), "sound reserved")
                try record.skip(Int(try record.u32("SoundDataLen")), "SoundData")
            }
            try record.skip(5, "Reserved")
            var pages: [(PageStart, offset: Int, length: Int)] = []
            for _ in 0..<Int(try record.u16("PageNum")) {
                var page = ByteReader(try record.take(Int(try record.u32("PageDataLen")), "page"))
                let pageStart = try readPageStart(&page)
                try page.skip(9, "Reserved")
                pages.append((pageStart, Int(try page.u32("DataOffset")), Int(try page.u32("DataLen"))))
            }
            pending.append((start, pages))
        }
        let pixelSection = try reader.take(reader.remaining, "pixel data")
        let format = model == .bx6q ? OnbonBitmapFormat.rgb888 : OnbonBitmapFormat.sixthGeneration(colours)
        return try pending.map { start, pages in
            let decoded = try pages.map { pageStart, offset, length in
                guard offset >= 0, length >= 0, offset + length <= pixelSection.count,
                      let bitmap = format.decode(pixelSection.dropFirst(offset).prefix(length), frame: start.frame)
                else {
                    throw OnbonGraphicDecodeError(.screenParameters, "area \(start.id): page pixels at \(offset)+\(length) do not fit \(start.frame)", header: header)
                }
                return OnbonGraphicPage(pageStart, bitmap: bitmap)
            }
            return OnbonGraphicArea(start, pages: decoded)
        }
    }
}
