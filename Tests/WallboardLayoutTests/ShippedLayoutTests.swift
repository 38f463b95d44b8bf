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
    }

    /// Every shipped layout drawn from the fixture city at its fixed moment must match its golden
    /// PNG pixel for pixel. `WALLBOARD_UPDATE_GOLDEN=1 swift test --filter ShippedLayoutTests`
    /// rewrites them after a deliberate change (look at them before committing).
    @Test(arguments: files)
    func matchesItsGoldenPicture(file: String) throws {
        let layout = try Fixture.loader().load(contentsOf: Fixture.layoutsDirectory.appendingPathComponent(file))
        let frame = try Fixture.renderer(layout).render(Fixture.snapshot(), at: Fixture.now).frame
        try Self.expectGolden(frame.bitmap, named: file.replacingOccurrences(of: ".yaml", with: ".png"))
    }

    /// `bitmap` must match the golden PNG `name` pixel for pixel; `WALLBOARD_UPDATE_GOLDEN=1`
    /// writes it instead.
    static func expectGolden(_ bitmap: Bitmap, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let golden = goldenDirectory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["WALLBOARD_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: goldenDirectory, withIntermediateDirectories: true)
            try Data(PNG.encode(bitmap)).write(to: golden)
        }
        let expected = try PNG.decode(Array(Data(contentsOf: golden)))
        #expect(expected.width == bitmap.width && expected.height == bitmap.height, sourceLocation: sourceLocation)
        var differing = 0
        for y in 0..<min(expected.height, bitmap.height) {
            for x in 0..<min(expected.width, bitmap.width) where expected.colour(x: x, y: y) != bitmap.colour(x: x, y: y) {
                differing += 1
            }
        }
        #expect(differing == 0, "\(differing) pixels differ from \(golden.path)", sourceLocation: sourceLocation)
    }

    /// On the LED wall each table column's text stays clear of the column before: the priority
    /// "一般" once ran into the address ("一般西城区").
    @Test func theLEDWallsColumnsNeverRunTogether() throws {
        let layout = try Fixture.loader().load(contentsOf: Fixture.layoutsDirectory.appendingPathComponent("wall-384x192-rgb.yaml"))
        var snapshot = Fixture.snapshot(priority: .routine)
        snapshot.incidents[0].incidentAddress = "西城区中山五路219号"
        let bitmap = try Fixture.renderer(layout).render(snapshot, at: Fixture.now).frame.bitmap
        // The table's rows start at y 50; its columns at x 32 (address), 256 (vehicles) and 340 (time).
        for boundary in [32, 256, 340] {
            let lit = (50..<82).contains { y in (boundary..<boundary + 4).contains { bitmap.isLit(x: $0, y: y) } }
            #expect(!lit, "text within 4 px after the column edge at x \(boundary)")
        }
    }

    static var goldenDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    }
}
