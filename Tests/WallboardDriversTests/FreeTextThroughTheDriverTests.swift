import Foundation
import Testing
import WallboardDispatch
import WallboardDrivers
import WallboardEmulator
import WallboardFonts
import WallboardLayout
import WallboardRender

/// What a font-card controller is sent is the text areas as bound: the patient's name and
/// numbers typed into free text are gone before the driver sees them.
@Suite struct FreeTextThroughTheDriverTests {
    @Test func aFontCardIsNeverSentPersonalDataFromFreeText() throws {
        var snapshot = EndToEndTests.dispatchedSnapshot()
        snapshot.incidents[0].complaint = "摔伤 联系家属赵甲 138-1234-5678"
        snapshot.incidents[0].pickupAddress = "东风路12号 回拨（020）8765-4321"
        snapshot.incidents[0].landmark = "赵甲家楼下 身份证11010519900307123X"

        let fonts = try DriverTests.library.get()
        let layouts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Layouts")
        let layout = try LayoutLoader(fontNames: fonts.names + FontLibrary.namedChains.map(\.name))
            .load(contentsOf: layouts.appendingPathComponent("door-192x32-bicolor.yaml"))
        #expect(layout.privacy == .public)
        let identity = BoardIdentity(centreName: "中心", stationID: "S1", privacy: layout.privacy, timeZone: TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt)
        var bound = BoardRenderer(layout: layout, identity: identity, fonts: try FontSet(layout: layout) { try fonts.chain($0) })
            .bind(snapshot, staleSince: nil)

        let driver = try BoardDrivers.make(protocol: "bx5k", width: 192, height: 32, format: .bicolor)
        var emulator = try #require(makeEmulator(for: try DriverTests.model("bx5k"), width: 192, height: 32, painter: DriverTests.painter()))
        var previous: Frame?
        var everShown: Set<String> = []
        // Half a minute of the alert: every line of it comes round, scrolling and blinking.
        for step in 0..<60 {
            let frame = bound.render(at: EndToEndTests.now.addingTimeInterval(Double(step) / 2)).frame
            for message in try driver.messages(for: frame, previous: previous) {
                #expect(driver.replies?.interpret(emulator.receive(message)) == .acknowledged)
            }
            previous = frame
            let board = try #require(emulator as? OnbonFontCardEmulator)
            everShown.formUnion(BlinkTests.texts(board).values)
        }
        #expect(everShown.contains { $0.contains("***") }, "the free text reached the board, scrubbed: \(everShown)")
        for text in everShown {
            #expect(!text.contains("赵甲"), "the board showed the patient's name in '\(text)'")
            let digits = text.filter(\.isASCII).filter(\.isNumber)
            for secret in ["12345678", "87654321", "11010519900307"] {
                #expect(!digits.contains(secret), "the board showed \(secret) in '\(text)'")
            }
        }
    }
}
