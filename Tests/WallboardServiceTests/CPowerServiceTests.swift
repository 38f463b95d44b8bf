import Foundation
import Testing
import WallboardEmulator
import WallboardTestKit
@testable import WallboardService

/// A C-Power door board on TCP (`protocol: cpower`, `transport: tcp`): the service frames its
/// packets for the network, a dispatch reaches the emulated card's windows, and when the service
/// stops the card goes back to its stored programs.
@Suite(.serialized) struct CPowerServiceTests {
    /// The windows' texts, first window first.
    static func texts(_ board: EmulatedBoard) async -> [String] {
        guard let card = await board.state as? CPowerEmulator else { return [] }
        return card.texts.keys.sorted().compactMap { card.texts[$0]?.text }
    }

    @Test func aDispatchReachesACPowerBoardOverTCP() async throws {
        let board = try await dispatchToTCPDoorBoard(model: "cpower", texts: Self.texts, check: { _, board in
            let journal = await board.journal
            #expect(!journal.isEmpty && journal.allSatisfy { event in
                if case .accepted(let what) = event { what.hasSuffix("network (ID code FF FF FF FF) framing") } else { false }
            }, "every packet arrived in network framing and was taken: \(journal)")
        })
        let card = try #require(await board.state as? CPowerEmulator)
        #expect(card.windows.isEmpty && card.texts.isEmpty, "the stopped service handed the card back to its programs")
        #expect(card.journal.last == .accepted("back to the stored programs, network (ID code FF FF FF FF) framing"))
    }
}
