import Foundation
import Testing
import WallboardEmulator
import WallboardTestKit
@testable import WallboardService

/// A Huidu door board on TCP (`protocol: huidu`): the service opens the SDK session, sends the
/// program once and a dispatch reaches the emulated card's text items, every request addressed
/// to the session's GUID.
@Suite(.serialized) struct HuiduServiceTests {
    @Test func aDispatchReachesAHuiduBoardOverTCP() async throws {
        _ = try await dispatchToTCPDoorBoard(model: "huidu", texts: { board in
            guard let card = await board.state as? HuiduEmulator else { return [] }
            return card.program?.areas.map(\.text) ?? []
        }, check: { _, board in
            let journal = await board.journal
            #expect(!journal.isEmpty && journal.allSatisfy { if case .accepted = $0 { true } else { false } }, "every request was taken: \(journal)")
            #expect(journal.filter { if case .accepted(let what) = $0 { what.hasPrefix("GetIFVersion") } else { false } }.count == 1, "one session")
        })
    }
}
