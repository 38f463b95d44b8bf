import Testing
import WallboardEmulator
import WallboardProtocols
import WallboardRender
import WallboardTestKit

/// A fake font for tests: every character is a solid block `fontHeight / 8` rows tall, one
/// column wide for ASCII and two for anything wider, with one blank column after it.
struct BlockPainter: BoardTextPainter {
    func advance(_ character: Character) -> Int { character.isASCII ? 2 : 3 }

    func width(of text: String, fontHeight: Int) -> Int { text.reduce(0) { $0 + advance($1) } }

    func draw(_ text: String, fontHeight: Int, x: Int, y: Int, colour: Color, on canvas: inout Canvas) {
        var left = x
        let rows = fontHeight / 8
        for character in text {
            // Text sits on the bottom of its font cell.
            canvas.fill(Rect(x: left, y: y + fontHeight - rows, width: advance(character) - 1, height: rows), colour)
            left += advance(character)
        }
    }
}

private func feedInChunks<E: BoardEmulator>(_ emulator: inout E, _ bytes: [UInt8], chunk: Int) -> [UInt8] {
    var replies: [UInt8] = []
    for start in stride(from: 0, to: bytes.count, by: chunk) {
        replies += emulator.receive(Array(bytes[start..<min(start + chunk, bytes.count)]))
    }
    return replies
}

@Suite struct OnbonFontCardEmulatorTests {
    let link = OnbonFontCardLink()

    @Test func answersPingWithTheDocumentedAck() throws {
        var board = OnbonFontCardEmulator(painter: BlockPainter())
        var request = OnbonFontCardLink(destination: 0xFFFE)
        request.wantsReply = true
        let reply = board.receive(try OnbonFontCard.encode(.ping, link: request))
        #expect(hexString(reply) == "A5 A5 A5 A5 A5 A5 A5 A5 A5 00 80 FE FF 00 00 00 00 00 00 FE 02 05 00 A0 00 00 00 00 14 AC 5A")
    }

    @Test func keepsAreasFromSplitGarbledStreams() throws {
        var board = OnbonFontCardEmulator(configuration: .init(width: 32, height: 4), painter: BlockPainter())
        let top = OnbonTextArea(id: 0, frame: Rect(x: 0, y: 0, width: 32, height: 2), text: OnbonText([.colour(.red), .text("AB"), .colour(.green), .text("急")]))
        let bottom = OnbonTextArea(
            id: 1, frame: Rect(x: 0, y: 2, width: 32, height: 2), alignment: OnbonAlignment(horizontal: .right), text: OnbonText([.colour(.yellow), .text("1")]))
        let update = try OnbonFontCard.encode(.updateAreas(OnbonAreaUpdate(areas: [top, bottom])), link: link)
        let stream = [0x00, 0xA5, 0x13, 0x37, 0x5A, 0xFF] + update + [0x42] + (try OnbonFontCard.encode(.brightness(3), link: link))
        for chunk in [1, 2, 7, 64] {
            var copy = board
            let replies = feedInChunks(&copy, stream, chunk: chunk)
            var parser = OnbonFontCardReplyParser()
            #expect(parser.feed(replies) == [.ack, .ack], "chunks of \(chunk)")
            #expect(copy.areas.count == 2)
            #expect(copy.brightness == 3)
        }
        _ = board.receive(stream)
        #expect(board.areas[0]?.text == top.text)
        #expect(board.areas[1]?.alignment.horizontal == .right)
    }

    @Test func rendersTextThroughThePainter() throws {
        // 16-dot font: each line is 16 rows and the fake font's blocks fill the last two.
        var board = OnbonFontCardEmulator(configuration: .init(width: 12, height: 40), painter: BlockPainter())
        let area = OnbonTextArea(
            id: 0, frame: Rect(x: 0, y: 0, width: 12, height: 40), alignment: OnbonAlignment(horizontal: .left, vertical: .top),
            text: OnbonText([.font("O000"), .colour(.red), .text("AB"), .colour(.green), .text("急"), .newline, .colour(.yellow), .text("1")]))
        _ = board.receive(try OnbonFontCard.encode(.updateAreas(OnbonAreaUpdate(areas: [area])), link: link))
        let rendered = board.render().cropped(to: Rect(x: 0, y: 14, width: 12, height: 18))
        expectPicture(rendered, """
            r.r.gg......
            r.r.gg......
            ............
            ............
            ............
            ............
            ............
            ............
            ............
            ............
            ............
            ............
            ............
            ............
            ............
            ............
            a...........
            a...........
            """)
    }

    /// Static lines taller than their area turn a page a StayTime from the packet's arrival and
    /// stop on the last (RunMode 1); writing another area leaves them turning.
    @Test func turnsOneLinePagesEachStayTimeAndHoldsTheLast() throws {
        let clock = SettableClock()
        var board = OnbonFontCardEmulator(configuration: .init(width: 32, height: 32, clock: clock.now), painter: BlockPainter())
        let timer = OnbonTextArea(
            id: 1, frame: Rect(x: 0, y: 0, width: 32, height: 16), runMode: .holdLast, stayHalfSeconds: 2,
            text: OnbonText([.colour(.green), .text("1:59"), .newline, .colour(.yellow), .text("2:00"), .newline, .colour(.yellow), .text("2:01")]))
        clock.set(10.2)
        _ = board.receive(try OnbonFontCard.encode(.updateAreas(OnbonAreaUpdate(areas: [timer])), link: link))
        var shown: [[TextArea.Run]] = []
        for moment in [10.3, 11.1, 11.3, 12.3, 14, 60] {
            clock.set(moment)
            if moment == 11.3 {
                let other = OnbonTextArea(id: 0, frame: Rect(x: 0, y: 16, width: 32, height: 16), text: OnbonText([.text("A")]))
                _ = board.receive(try OnbonFontCard.encode(.updateAreas(OnbonAreaUpdate(areas: [other])), link: link))
            }
            shown.append(try #require(board.shownLines(of: 1)?.first))
        }
        #expect(shown == [
            [.init("1:59", colour: .green)], [.init("1:59", colour: .green)], [.init("2:00", colour: .amber)],
            [.init("2:01", colour: .amber)], [.init("2:01", colour: .amber)], [.init("2:01", colour: .amber)],
        ])
    }

    /// Static lines taller than their area with RunMode 0 turn a page a StayTime from the
    /// packet's arrival and start again from the first after the last, without another packet:
    /// a line of pages 6 s each (StayTime 12), and a blink of a lit and a blank page half a second
    /// each (StayTime 1).
    @Test func loopsOneLinePagesEachStayTime() throws {
        let clock = SettableClock()
        var board = OnbonFontCardEmulator(configuration: .init(width: 32, height: 32, clock: clock.now), painter: BlockPainter())
        let line = OnbonTextArea(
            id: 0, frame: Rect(x: 0, y: 16, width: 32, height: 16), runMode: .loop, stayHalfSeconds: 12,
            text: OnbonText([.colour(.yellow), .text("A"), .newline, .colour(.red), .text("C")]))
        let blink = OnbonTextArea(
            id: 1, frame: Rect(x: 0, y: 0, width: 32, height: 16), runMode: .loop, stayHalfSeconds: 1,
            text: OnbonText([.colour(.red), .text("V"), .newline, .text(" ")]))
        clock.set(3.2)
        _ = board.receive(try OnbonFontCard.encode(.updateAreas(OnbonAreaUpdate(areas: [line, blink])), link: link))
        var shown: [String] = []
        for moment in [3.3, 3.8, 4.3, 9.1, 9.3, 15.3, 21.3, 603.3] {
            clock.set(moment)
            let text = { (id: UInt8) in board.shownLines(of: id)?.map { $0.map(\.text).joined() }.joined() ?? "-" }
            shown.append(text(0) + text(1))
        }
        #expect(shown == ["AV", "A ", "AV", "A ", "CV", "AV", "CV", "AV"])
    }

    @Test func nacksABadCRCWithTheDocumentedFrame() throws {
        var board = OnbonFontCardEmulator(painter: BlockPainter())
        var frame = try OnbonFontCard.encode(.ping, link: OnbonFontCardLink(destination: 0xFFFE))
        frame[frame.count - 3] ^= 0x40  // CRC low byte 0x?? → still not a framing byte
        #expect(hexString(board.receive(frame)) == "A5 A5 A5 A5 A5 A5 A5 A5 A5 00 80 FE FF 00 00 00 00 00 00 FE 02 05 00 A0 01 05 00 00 05 51 5A")
    }

    @Test func nacksABadCRCWithCode5() throws {
        var board = OnbonFontCardEmulator(painter: BlockPainter())
        var frame = try OnbonFontCard.encode(.brightness(4), link: link)
        frame[frame.count - 2] ^= 0x10  // a CRC byte
        var parser = OnbonFontCardReplyParser()
        #expect(parser.feed(board.receive(frame)) == [.nack(code: 5, explanation: OnbonErrorCode.checksum.explanation)])
        #expect(board.brightness == 15)
        if case .refused(let code, _)? = board.journal.last { #expect(code == 5) } else { Issue.record("no refusal journaled") }
    }

    @Test func refusesWhatTheControllerWould() throws {
        var board = OnbonFontCardEmulator(configuration: .init(model: .bx6k, fonts: ["O000"]), painter: BlockPainter())
        var parser = OnbonFontCardReplyParser()
        let areas = (0..<6).map { OnbonTextArea(id: UInt8($0), frame: Rect(x: 0, y: 0, width: 8, height: 16), text: "x") }
        var fiveK = link
        fiveK.model = .bx5k
        let tooMany = try OnbonFontCard.encode(.updateAreas(OnbonAreaUpdate(areas: areas)), link: fiveK)
        #expect(parser.feed(board.receive(tooMany)) == [.nack(code: 4, explanation: OnbonErrorCode.outOfMemory.explanation)])
        let bigFont = OnbonTextArea(id: 0, frame: Rect(x: 0, y: 0, width: 8, height: 16), text: OnbonText([.font("O002"), .text("x")]))
        let missing = try OnbonFontCard.encode(.updateAreas(OnbonAreaUpdate(areas: [bigFont])), link: link)
        #expect(parser.feed(board.receive(missing)) == [.nack(code: 12, explanation: OnbonErrorCode.fontMissing.explanation)])
        #expect(board.areas.isEmpty)
    }

    @Test func addressingAndStateAfterASequence() throws {
        var board = OnbonFontCardEmulator(configuration: .init(address: 7), painter: BlockPainter())
        let area = { (id: UInt8) in OnbonTextArea(id: id, frame: Rect(x: 0, y: 0, width: 64, height: 16), text: "待命") }
        var other = link
        other.destination = 8
        #expect(board.receive(try OnbonFontCard.encode(.updateAreas(OnbonAreaUpdate(areas: [area(0)])), link: other)).isEmpty)
        #expect(board.areas.isEmpty)
        var broadcast = link
        broadcast.destination = 0xFFFF
        let time = OnbonDateTime(year: 2026, month: 11, day: 22, hour: 0, minute: 5, second: 0, weekday: 7)
        #expect(board.receive(try OnbonFontCard.encode(.setTime(time), link: broadcast)).isEmpty)
        #expect(board.clock == time)
        var mine = link
        mine.destination = 7
        _ = board.receive(try OnbonFontCard.encode(.updateAreas(OnbonAreaUpdate(areas: [area(0), area(1), area(2)])), link: mine))
        _ = board.receive(try OnbonFontCard.encode(.deleteAreas(.areas([1])), link: mine))
        #expect(board.areas.keys.sorted() == [0, 2])
        _ = board.receive(try OnbonFontCard.encode(.updateAreas(OnbonAreaUpdate(delete: .all, areas: [area(4)])), link: mine))
        #expect(board.areas.keys.sorted() == [4])
        _ = board.receive(try OnbonFontCard.encode(.clearScreen, link: mine))
        #expect(board.areas.isEmpty)
        // A sender that stops mid-frame leaves the board waiting; the next preamble resynchronises.
        let ping = try OnbonFontCard.encode(.ping, link: mine)
        #expect(board.receive(Array(ping.prefix(15))).isEmpty)
        #expect(board.isInsideFrame)
        var parser = OnbonFontCardReplyParser()
        #expect(parser.feed(board.receive(ping)) == [.ack])
    }
}

@Suite struct OnbonGraphicEmulatorTests {
    private func picture(_ text: String, format: PixelFormat) throws -> Bitmap {
        try #require(AsciiPicture.parse(text, format: format))
    }

    @Test(arguments: [OnbonGraphicModel.bx5e, .bx6e, .bx6q])
    func showsPixelsExactly(model: OnbonGraphicModel) throws {
        let format: PixelFormat = model == .bx6q ? .rgb : .bicolor
        let page = try picture("""
            r.g.a
            .ag.r
            """, format: format)
        var board = OnbonGraphicEmulator(configuration: .init(width: 10, height: 4, model: model))
        let link = OnbonGraphicLink(model: model)
        let area = OnbonGraphicArea(id: 1, frame: Rect(x: 3, y: 1, width: 5, height: 2), pages: [OnbonGraphicPage(bitmap: page)])
        let frame = try OnbonGraphicCard.encode(.updateAreas([area]), link: link)
        var parser = OnbonGraphicCardReplyParser()
        #expect(parser.feed(feedInChunks(&board, [0x5A, 0xA5] + frame, chunk: 5)) == [.ack])
        expectPicture(board.render(), """
            ..........
            ...r.g.a..
            ....ag.r..
            ..........
            """)
        _ = board.receive(try OnbonGraphicCard.encode(.deleteAreas(.all), link: link))
        expectPicture(board.render(), """
            ..........
            ..........
            ..........
            ..........
            """)
    }

    @Test func nacksAreasOffTheScreenAndBadCRC() throws {
        var board = OnbonGraphicEmulator(configuration: .init(width: 8, height: 8))
        let link = OnbonGraphicLink(model: .bx6e)
        let area = OnbonGraphicArea(id: 0, frame: Rect(x: 4, y: 0, width: 8, height: 2), pages: [OnbonGraphicPage(bitmap: Bitmap(width: 8, height: 2, format: .bicolor))])
        var parser = OnbonGraphicCardReplyParser()
        #expect(parser.feed(board.receive(try OnbonGraphicCard.encode(.updateAreas([area]), link: link))) == [.nack(code: 18, explanation: OnbonErrorCode.screenParameters.explanation)])
        var ping = try OnbonGraphicCard.encode(.ping, link: link)
        ping[ping.count - 3] ^= 0x01
        #expect(parser.feed(board.receive(ping)) == [.nack(code: 5, explanation: OnbonErrorCode.checksum.explanation)])
    }
}

@Suite struct AlphaEmulatorTests {
    @Test func filesStringsAndPicturesMakeTheDisplay() throws {
        // An 8-row sign with an 8-row font: the fake font's blocks fill the bottom row.
        var board = AlphaEmulator(configuration: .init(width: 16, height: 8, fontHeight: 8), painter: BlockPainter())
        let bottomRow = Rect(x: 0, y: 6, width: 16, height: 2)
        let string = try #require(AlphaLabel("1"))
        let dots = try #require(AlphaLabel("P"))
        var icon = Bitmap(width: 2, height: 1, format: .bicolor)
        icon[0, 0] = PixelFormat.bicolorGreen
        icon[1, 0] = PixelFormat.bicolorAmber
        let packet = try Alpha.encode([
            .configureMemory([
                AlphaMemoryEntry(label: .a, kind: .text(bytes: 64)), AlphaMemoryEntry(label: string, kind: .string(bytes: 16)),
                AlphaMemoryEntry(label: dots, kind: .dots(width: 2, height: 1, colours: 3)),
            ]),
            .writeText(label: .a, AlphaText(position: .left, mode: .hold, pieces: [.colour(.red), .text("A"), .callDots(dots), .colour(.green), .callString(string)])),
            .writeString(label: string, "12"),
            .writeSmallDots(label: dots, icon),
        ])
        #expect(feedInChunks(&board, [0x04, 0x02] + packet.bytes, chunk: 3) == [0x06, 0x40])
        expectPicture(board.render().cropped(to: bottomRow), """
            ................
            r.gag.g.........
            """)
        // A fast update through the STRING file alone.
        _ = board.receive(try Alpha.encode([.writeString(label: string, "1")]).bytes)
        expectPicture(board.render().cropped(to: bottomRow), """
            ................
            r.gag...........
            """)
        // The priority file shows over everything until cleared.
        _ = board.receive(try Alpha.encode([.writeText(label: .priority, AlphaText(position: .left, pieces: [.colour(.amber), .text("!!")]))]).bytes)
        expectPicture(board.render().cropped(to: bottomRow), """
            ................
            a.a.............
            """)
        _ = board.receive(try Alpha.encode([.writeText(label: .priority, AlphaText(pieces: []))]).bytes)
        #expect(board.priority == nil)
    }

    @Test func naksBadChecksumsAndUnknownFiles() throws {
        var board = AlphaEmulator(painter: BlockPainter())
        var damaged = try Alpha.encode([.writeText(label: .a, AlphaText(pieces: [.text("HI")]))]).bytes
        damaged[damaged.count - 2] = UInt8(ascii: "0")
        var parser = AlphaReplyParser()
        #expect(parser.feed(board.receive(damaged)) == [.nack(code: 0x50, explanation: "checksum error")])
        let unknown = try Alpha.encode([.writeString(label: .a, "X")]).bytes
        #expect(parser.feed(board.receive(unknown)) == [.nack(code: 0x60, explanation: "illegal command or file label")])
        #expect(board.receive(try Alpha.encode([.setTime(hour: 9, minute: 41)], address: AlphaAddress(address: 5)).bytes).isEmpty)
        #expect(board.time == nil)
        #expect(parser.feed(board.receive(try Alpha.encode([.setTime(hour: 9, minute: 41)]).bytes)) == [.ack])
        #expect(board.time?.hour == 9 && board.time?.minute == 41)
    }
}

@Suite struct TPM2EmulatorTests {
    @Test func showsFramesAndAcknowledgesEach() throws {
        var board = TPM2Emulator(width: 3, height: 2)
        let frame = try #require(AsciiPicture.parse("""
            rgb
            w.y
            """, format: .rgb))
        let wire = try TPM2.encode(frame)
        let replies = feedInChunks(&board, [0xC9, 0x00, 0x36] + wire + [0xC9, 0xDA, 0x00, 0x01, 0x00, 0x00] + wire, chunk: 4)
        #expect(replies == [0xAC, 0xAC])
        #expect(board.framesShown == 2)
        expectPicture(board.render(), """
            rgb
            w.y
            """)
    }
}


@Suite struct EmulatorResyncTests {
    /// Updates separated by line noise and cut into random chunks: the board ends in the state
    /// of the last update and answers one reply per update that arrived whole.
    @Test func fontCardFollowsUpdatesThroughNoise() throws {
        var generator = SeededGenerator(seed: 0xF0_0D)
        var board = OnbonFontCardEmulator(painter: BlockPainter())
        var stream: [UInt8] = []
        var lastText = ""
        for index in 0..<200 {
            lastText = "急救\(index)号"
            let area = OnbonTextArea(id: 0, frame: Rect(x: 0, y: 0, width: 192, height: 16), text: OnbonText([.text(lastText)]))
            stream += try OnbonFontCard.encode(.updateAreas(OnbonAreaUpdate(areas: [area])))
            // Noise that cannot start a frame (no A5) ends each gap with a stray frame end.
            stream += (0..<Int(generator.next() % 6)).map { _ in UInt8(truncatingIfNeeded: generator.next() % 0xA0) } + [0x5A]
        }
        var replies: [UInt8] = []
        var start = 0
        while start < stream.count {
            let end = min(stream.count, start + Int(generator.next() % 40) + 1)
            replies += board.receive(Array(stream[start..<end]))
            start = end
        }
        var parser = OnbonFontCardReplyParser()
        let parsed = parser.feed(replies)
        #expect(parsed.count == 200 && parsed.allSatisfy { $0 == .ack })
        #expect(board.areas[0]?.text == OnbonText([.text(lastText)]))
    }
}

@Suite struct EndToEndByProtocolTests {
    /// Every protocol with an emulator: encode a frame, feed it, parse the board's reply with
    /// the protocol's own parser, as the delivery layer will.
    @Test(arguments: ["bx5k", "bx6k", "bx5e", "bx6e", "bx6q", "alpha", "tpm2", "cpower", "huidu"])
    func encodedFramesAreAcknowledged(name: String) throws {
        let board = try #require(BoardProtocols.model(named: name))
        var emulator = try #require(makeEmulator(for: board, width: 64, height: 16, painter: BlockPainter()))
        var parser = try #require(board.replies).makeParser()
        let picture = Bitmap(width: 64, height: 16, format: .bicolor)
        let wire: [UInt8]
        switch board.family {
        case .onbonFontCard(let card):
            wire = try OnbonFontCard.encode(
                .updateAreas(OnbonAreaUpdate(areas: [OnbonTextArea(id: 0, frame: Rect(x: 0, y: 0, width: 64, height: 16), text: "急救")])),
                link: OnbonFontCardLink(model: card))
        case .onbonGraphicCard(let card):
            wire = try OnbonGraphicCard.encode(
                .updateAreas([OnbonGraphicArea(id: 0, frame: Rect(x: 0, y: 0, width: 64, height: 16), pages: [OnbonGraphicPage(bitmap: picture)])]),
                link: OnbonGraphicLink(model: card))
        case .alpha:
            wire = try Alpha.encode([.writeText(label: .a, AlphaText(pieces: [.text("EMS 120")]))]).bytes
        case .tpm2:
            wire = try TPM2.encode(picture)
        case .dreamCheeky:
            return
        case .cpower:
            wire = try CPower.encode(.splitWindows([Rect(x: 0, y: 0, width: 64, height: 16)]), framing: .serial)
        case .huidu:
            wire = Huidu.versionAsk()
        }
        #expect(parser.feed(emulator.receive(wire)) == [.ack])
        #expect(emulator.render().width == 64)
    }
}
