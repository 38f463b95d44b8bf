import WallboardRender

extension OnbonGraphicCard {
    public static func encode(_ command: OnbonGraphicCommand, link: OnbonGraphicLink) throws(OnbonEncodingError) -> [UInt8] {
        let data = try commandData(command, link: link)
        guard data.count <= maximumDataLength else {
            throw OnbonEncodingError("the command is \(data.count) bytes, over the controller's 64 KB packet limit: send fewer or smaller areas")
        }
        return OnbonFraming.frame(OnbonFraming.packet(header: header(destination: link.destination, source: link.source, deviceType: link.deviceType, dataLength: data.count), data: data))
    }

    static func header(destination: UInt16, source: UInt16, deviceType: UInt16, dataLength: Int) -> [UInt8] {
        var writer = ByteWriter(capacity: headerLength)
        writer.u16(destination)
        writer.u16(source)
        writer.u8(protocolVersion)
        writer.u8(0)
        writer.u16(deviceType)
        writer.zeros(4)
        writer.u32(UInt32(dataLength))
        return writer.bytes
    }

    static func commandData(_ command: OnbonGraphicCommand, link: OnbonGraphicLink) throws(OnbonEncodingError) -> [UInt8] {
        var writer = ByteWriter(capacity: 2048)
        let returnRequest: UInt8 = link.wantsReply ? 0x01 : 0x00
        switch command {
        case .ping:
            writer.append([0x01, 0xA2, 0x00, 0, 0])  // the controller always answers a ping
        case .deleteAreas(let deletion):
            writer.append([returnRequest, 0xA7, 0x01, 0, 0])
            try deletion.append(to: &writer)
        case .updateAreas(let areas):
            guard !areas.isEmpty, areas.count <= link.model.maximumAreas else {
                throw OnbonEncodingError("\(areas.count) areas, but a \(link.model.rawValue) takes 1 to \(link.model.maximumAreas) dynamic areas")
            }
            writer.append([returnRequest, 0xA7, 0x00, 0, 0])
            if link.model.isSixthGeneration {
                try appendSixthGeneration(areas, link: link, to: &writer)
            } else {
                guard areas.count == 1 else {
                    throw OnbonEncodingError("a BX-5E takes one area per A7 00 command: send \(areas.count) commands")
                }
                let record = try fifthGenerationRecord(areas[0], link: link)
                writer.u32(UInt32(record.count))
                writer.append(record)
            }
        }
        return writer.bytes
    }

    private static func checkFrame(_ area: OnbonGraphicArea) throws(OnbonEncodingError) {
        let frame = area.frame
        guard frame.x >= 0, frame.y >= 0, frame.width > 0, frame.height > 0, frame.maxX <= 0xFFFF, frame.maxY <= 0xFFFF else {
            throw OnbonEncodingError("area \(area.id): frame \(frame) is not a positive rectangle on the screen")
        }
        guard !area.pages.isEmpty, area.pages.count <= 0xFFFF else { throw OnbonEncodingError("area \(area.id) needs at least one page") }
        for page in area.pages where page.bitmap.width != frame.width || page.bitmap.height != frame.height {
            throw OnbonEncodingError("area \(area.id): a page is \(page.bitmap.width)x\(page.bitmap.height) but the area is \(frame.width)x\(frame.height)")
        }
    }

    private static func appendAreaStart(_ area: OnbonGraphicArea, to writer: inout ByteWriter) {
        writer.u8(area.id)
        writer.u8(area.runMode.rawValue)
        writer.u16(area.timeoutSeconds)
        writer.u8(1)  // shown with every program
        writer.u16(0)  // no particular programs
        writer.u8(area.showsAlone ? 1 : 0)
        writer.zeros(4)
        writer.u8(0x10)  // area type
        writer.u16(UInt16(area.frame.x))
        writer.u16(UInt16(area.frame.y))
        writer.u16(UInt16(area.frame.width))
        writer.u16(UInt16(area.frame.height))
        writer.u8(0)  // no border
    }

    private static func appendPageStart(_ page: OnbonGraphicPage, area: OnbonGraphicArea, to writer: inout ByteWriter) {
        writer.u8(0)  // page style: text and pictures
        writer.u8(page.effect)
        writer.u8(page.clearMode)
        writer.u8(page.speed)
        writer.u16(page.stayHundredths)
        writer.u8(page.repeatCount)
        writer.u16(UInt16(area.frame.width))
    }

    private static func fifthGenerationRecord(_ area: OnbonGraphicArea, link: OnbonGraphicLink) throws(OnbonEncodingError) -> [UInt8] {
        try checkFrame(area)
        var writer = ByteWriter(capacity: 64)
        appendAreaStart(area, to: &writer)
        writer.u16(UInt16(area.pages.count))
        for page in area.pages {
            let pixels = OnbonBitmapFormat.fifthGeneration(link.colours).encode(page.bitmap, originX: area.frame.x)
            writer.u32(UInt32(13 + pixels.count))
            appendPageStart(page, area: area, to: &writer)
            writer.zeros(4)
            writer.append(pixels)
        }
        return writer.bytes
    }

    /// 6th generation: every area's parameters first, then every page's pixels, each page
    /// pointing at its pixels with an offset from the start of the pixel section.
    private static func appendSixthGeneration(_ areas: [OnbonGraphicArea], link: OnbonGraphicLink, to writer: inout ByteWriter) throws(OnbonEncodingError) {
        writer.u16(UInt16(areas.count))
        let format = link.model == .bx6q ? OnbonBitmapFormat.rgb888 : OnbonBitmapFormat.sixthGeneration(link.colours)
        var pixelSection: [UInt8] = []
        for area in areas {
            try checkFrame(area)
            var record = ByteWriter(capacity: 64)
            appendAreaStart(area, to: &record)
            record.u8(0)  // no background layers
            record.u8(0)  // transparency
            record.u8(0)  // foreground and background the same size
            record.u8(0)  // no sound
            record.zeros(5)
            record.u16(UInt16(area.pages.count))
            for page in area.pages {
                let pixels = format.encode(page.bitmap, originX: area.frame.x)
                record.u32(26)
                appendPageStart(page, area: area, to: &record)
                record.zeros(9)
                record.u32(UInt32(pixelSection.count))
                record.u32(UInt32(pixels.count))
                pixelSection += pixels
            }
            writer.u32(UInt32(record.bytes.count))
            writer.append(record.bytes)
        }
        writer.append(pixelSection)
    }
}
