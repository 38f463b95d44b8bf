import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WallboardEmulator
import WallboardTestKit
@testable import WallboardService

/// The console's processor card in headless Chromium: an operator loads a preset with the token,
/// the card turns red as the processor stops answering and says so, and back to automatic
/// returns the wall to the rules' preset.
@Suite(.serialized) struct ProcessorBrowserTests {
    @Test func anOperatorLoadsAPresetAndTheCardTurnsRedWhenTheProcessorStops() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: WebDriver.chromium), "make test installs Debian's chromium")
        let directory = try TemporaryDirectory()
        let incidents = try await ProcessorServiceTests.Incidents(directory: directory)
        let processor = NovaStarProcessorEmulator()
        try await ProcessorServiceTests.serving(processor) { port in
            let service = try ProcessorServiceTests.service(database: incidents.database.path, directory: directory, port: port)
            try await withRunningBoards(service) {
                let http = HTTPInterface(service: service)
                let app = Application(router: http.router(), server: .http1WebSocketUpgrade(webSocketRouter: http.router()),
                                      configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                try await app.test(.live) { client in
                    let port = try #require(client.port)
                    let browser = try await WebDriver(width: 1200, height: 1400)
                    do {
                        let card = ".processor[data-processor=wall-splicer]"
                        try await browser.open("http://127.0.0.1:\(port)/")
                        #expect(try await browser.waitUntil("return document.querySelector('\(card)').classList.contains('ok')", within: .seconds(20)) != nil)
                        #expect(try await browser.waitUntil("return document.querySelector('\(card) .counters').textContent.includes('预案 normal（自动）')",
                                                            within: .seconds(5)) != nil)

                        try await browser.execute("document.querySelector('\(card) select').value = 'spare';")
                        try await browser.click("\(card) .load")
                        #expect(try await browser.waitUntil("return document.getElementById('token').open", within: .seconds(5)) != nil, "the page asks for the token")
                        try await browser.type("test-token-1234", into: "#token input")
                        try await browser.click("#token button[value=ok]")
                        try await eventually("the operator's preset on the wall") { try await ProcessorServiceTests.shownPreset(processor) == 3 }
                        #expect(try await browser.waitUntil("return document.querySelector('\(card) .counters').textContent.includes('预案 spare（手动）')",
                                                            within: .seconds(5)) != nil)

                        await processor.setAnswering(false)
                        #expect(try await browser.waitUntil("return document.querySelector('\(card)').classList.contains('failing')", within: .seconds(5)) != nil,
                                "the card turns red")
                        let counters = try await browser.text("\(card) .counters")
                        #expect(counters.hasPrefix("离线") && counters.contains("W0120: offline"), "\(counters)")

                        await processor.setAnswering(true)
                        try await browser.click("\(card) .automatic")
                        try await eventually("back to automatic: normal") { try await ProcessorServiceTests.shownPreset(processor) == 5 }
                        #expect(try await browser.waitUntil("return document.querySelector('\(card)').classList.contains('ok')", within: .seconds(5)) != nil)
                    } catch {
                        await browser.quit()
                        throw error
                    }
                    await browser.quit()
                }
            }
        }
    }
}
