import Testing
import WallboardEmulator
import WallboardProtocols
import WallboardRender

/// The emulator made for a font-card model holds what that controller holds: BX-5K 8 areas of
/// 512 bytes, BX-6K 5 areas of 1024 bytes (BX-5K/6K protocol v1.4, 2.1 and 8.1.2).
@Suite struct FontCardModelTests {
    static func emulator(_ name: String) throws -> any BoardEmulator {
        let model = try #require(BoardProtocols.model(named: name))
        return try #require(makeEmulator(for: model, width: 192, height: 32, painter: BlockPainter()))
    }

    /// `count` areas of `bytes` GB2312 bytes each, encoded as for `sender` (a model that allows
    /// them), so that the emulator, not the encoder, has to judge them.
    static func update(areas count: Int, bytes: Int, as sender: OnbonFontCardModel) throws -> [UInt8] {
        let text = OnbonText([.text(String(repeating: "急", count: bytes / 2))])
        let areas = (0..<count).map { OnbonTextArea(id: UInt8($0), frame: Rect(x: 0, y: 0, width: 64, height: 16), text: text) }
        return try OnbonFontCard.encode(.updateAreas(OnbonAreaUpdate(delete: .all, areas: areas)), link: OnbonFontCardLink(model: sender))
    }

    static func answer(_ emulator: inout any BoardEmulator, _ bytes: [UInt8]) throws -> BoardReply? {
        var parser = try #require(BoardProtocols.model(named: "bx5k")?.replies).makeParser()
        return parser.feed(emulator.receive(bytes)).first
    }

    /// The protocol document's "refresh ≥ 1 s" holds for both font cards; the other controllers
    /// document no such limit.
    @Test func fontCardsTakeAnUpdateAtMostOnceASecondAndOtherModelsAtAnyTime() {
        for model in BoardProtocols.models {
            let expected: Duration? = if case .onbonFontCard = model.family { .seconds(1) } else { nil }
            #expect(model.minimumUpdateInterval == expected, "\(model.name)")
        }
        #expect(BoardProtocols.models.contains { $0.minimumUpdateInterval != nil } && BoardProtocols.models.contains { $0.minimumUpdateInterval == nil })
    }

    @Test func theBX5KEmulatorTakesEightAreasAndRefusesAnAreaOver512Bytes() throws {
        var board = try Self.emulator("bx5k")
        #expect(try Self.answer(&board, Self.update(areas: 8, bytes: 40, as: .bx5k)) == .ack)
        let refusal = try Self.answer(&board, Self.update(areas: 1, bytes: 600, as: .bx6k))
        guard case .nack(let code, _) = refusal else {
            Issue.record("a 600-byte area on a BX-5K must be refused, got \(String(describing: refusal))")
            return
        }
        #expect(code == Int(OnbonErrorCode.outOfMemory.rawValue))
    }

    @Test func theBX6KEmulatorTakesA600ByteAreaAndRefusesASixthArea() throws {
        var board = try Self.emulator("bx6k")
        #expect(try Self.answer(&board, Self.update(areas: 1, bytes: 600, as: .bx6k)) == .ack)
        #expect(try Self.answer(&board, Self.update(areas: 5, bytes: 40, as: .bx6k)) == .ack)
        guard case .nack = try Self.answer(&board, Self.update(areas: 6, bytes: 40, as: .bx5k)) else {
            Issue.record("a sixth area on a BX-6K must be refused")
            return
        }
    }
}
