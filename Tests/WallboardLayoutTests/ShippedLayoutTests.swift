import Foundation
import Testing
import WallboardDispatch
import WallboardExport
import WallboardLayout
import WallboardRender

@Suite struct ShippedLayoutTests {
    static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Fixture.layoutsDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    @Test func everyShippedLayoutIsFound() {
        #expect(Self.files.count >= 7, "found \(Self.files)")
    }

    @Test(arguments: files)
    func loadsAndRenders(file: String) throws {
        let layout = try Fixture.loader().load(contentsOf: Fixture.layoutsDirectory.appendingPathComponent(file))
        let renderer = try Fixture.renderer(layout)
        let (frame, output) = renderer.render(Fixture.snapshot(), at: Fixture.now)
        #expect(frame.bitmap.width == layout.width && frame.bitmap.height == layout.height)
        #expect(frame.bitmap.pixels.contains { $0 != 0 }, "\(file) rendered nothing")
        #expect(output.missing.isEmpty, "\(file) could not draw \(output.missing)")
        if let directory = ProcessInfo.processInfo.environment["WALLBOARD_PREVIEW_DIR"] {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(file.replacingOccurrences(of: ".yaml", with: ".png"))
            try Data(PNG.encode(frame.bitmap, scale: layout.width < 400 ? 4 : 1, ledDots: layout.width < 400)).write(to: url)
        }
    }
}
