import Testing
import WallboardLayout
import WallboardRender
import WallboardYAML

/// A splicing wall declares where its screens meet; text split by a bezel cannot be read, so the
/// loader refuses a widget that draws text across one, at its file:line.
@Suite struct BezelTests {
    /// A 2×2 wall of 64×32 screens.
    static func wall(_ widgets: String, stale: String = "") -> String {
        """
        board:
          kind: wall
          width: 128
          height: 64
          format: rgb
          privacy: internal
          bezels:
            columns: [64]
            rows: [32]
        \(stale)
        states:
          main:
        \(widgets)
        """
    }

    static func error(_ yaml: String) -> YAMLFileError? {
        #expect(throws: YAMLFileError.self) { try LayoutLoaderTests.loader.load(yaml, file: "wall.yaml", name: "wall") }
    }

    @Test func theLayoutKnowsItsScreens() throws {
        let layout = try LayoutLoaderTests.loader.load(Self.wall("""
              - text: "左上"
                rect: [0, 0, 64, 16]
                font: cjk-16
            """), file: "wall.yaml", name: "wall")
        #expect(layout.bezels == Bezels(columns: [64], rows: [32]))
        #expect(layout.bezels.tile(column: 1, row: 1, width: 128, height: 64) == Rect(x: 64, y: 32, width: 64, height: 32))
        #expect(layout.bezels.tile(column: 2, row: 0, width: 128, height: 64) == nil)
        // With no banner given, it stays on the bottom-left screen.
        #expect(layout.staleBanner.rect == Rect(x: 0, y: 48, width: 64, height: 16))
    }

    @Test func textAcrossAColumnBezelIsRefusedAtItsLine() throws {
        let error = try #require(Self.error(Self.wall("""
              - text: "跨屏"
                rect: [32, 0, 64, 16]
                font: cjk-16
            """)))
        #expect(error.location.description == "wall.yaml:13:5")
        #expect(error.message.contains("'text' draws text"))
        #expect(error.message.contains("crosses the bezel between screen columns 0 and 1 at x 64"))
    }

    @Test func everyKindThatDrawsTextIsRefusedAcrossARowBezel() throws {
        let widgets = [
            #"- kpi: {label: "来电", value: figures.callsToday, font: cjk-16}"#,
            "- table: {rows: incidents, font: cjk-16, columns: [{title: 分级, value: \"{{priority}}\", width: 32}]}",
            "- legend: {font: cjk-16}",
        ]
        for widget in widgets {
            let error = Self.error(Self.wall("""
                  \(widget)
                    rect: [0, 24, 32, 16]
                """))
            #expect(error?.message.contains("crosses the bezel between screen rows 0 and 1 at y 32") == true, "\(widget)")
        }
    }

    @Test func chartsTheMapAndBoxesMaySpanScreens() throws {
        let layout = try LayoutLoaderTests.loader.load(Self.wall("""
              - box: "#2080FF"
                rect: [0, 30, 128, 4]
              - bars: {rows: day.stations, label: name, value: dispatches, font: cjk-16}
                rect: [0, 0, 128, 64]
              - line: {rows: day.hours, series: [{value: calls}], font: cjk-16, tick: hour}
                rect: [32, 16, 64, 32]
              - donut: {rows: day.categories, label: name, value: count, font: cjk-16}
                rect: [32, 16, 64, 32]
              - text: "右下"
                rect: [64, 32, 64, 32]
                font: cjk-16
            """), file: "wall.yaml", name: "wall")
        #expect(layout.states["main"]?.count == 5)
    }

    @Test func theBannerMustStayOnOneScreen() throws {
        let error = try #require(Self.error(Self.wall("""
              - text: "x"
                rect: [0, 0, 64, 16]
                font: cjk-16
            """, stale: """
            stale:
              rect: [0, 48, 128, 16]
              font: cjk-16
            """)))
        #expect(error.location.description == "wall.yaml:11:9")
        #expect(error.message.contains("the stale-data banner draws text"))
    }

    @Test func bezelLinesLieInsideTheBoardInRisingOrder() throws {
        let outside = try #require(Self.error("""
            board: {kind: wall, width: 128, height: 64, format: rgb, privacy: internal, bezels: {columns: [128]}}
            states: {main: []}
            """))
        #expect(outside.location.description == "wall.yaml:1:96")
        let unordered = try #require(Self.error("""
            board: {kind: wall, width: 128, height: 64, format: rgb, privacy: internal, bezels: {columns: [80, 40]}}
            states: {main: []}
            """))
        #expect(unordered.message.contains("each further than the one before"))
        let empty = try #require(Self.error("""
            board: {kind: wall, width: 128, height: 64, format: rgb, privacy: internal, bezels: {}}
            states: {main: []}
            """))
        #expect(empty.message.contains("at least one line"))
    }
}
