import Testing
import WallboardLayout
import WallboardYAML

/// Everything wrong with a layout is found when it loads, at its file:line:column.
@Suite struct LayoutLoaderTests {
    static let loader = LayoutLoader(fontNames: ["cjk-16", "clock-16", "tiny"])

    static func doorLayout(idle: String, privacy: String = "public") -> String {
        """
        board:
          kind: door
          width: 64
          height: 32
          format: mono
          privacy: \(privacy)
        states:
          alert: []
          idle:
        \(idle)
        """
    }

    static func error(_ yaml: String) -> YAMLFileError? {
        #expect(throws: YAMLFileError.self) { try loader.load(yaml, file: "door.yaml", name: "door") }
    }

    @Test func unknownWidgetIsNamedWithTheValidOnes() throws {
        let error = try #require(Self.error(Self.doorLayout(idle: """
              - clok: "HH:mm"
                rect: [0, 0, 64, 16]
                font: cjk-16
            """)))
        #expect(error.location.description == "door.yaml:10:5")
        #expect(error.message.contains("text, marquee, clock, timer"))
        #expect(error.message.contains("did you mean 'clock'?"))
    }

    @Test func unknownFontColourAndAlignment() throws {
        let font = try #require(Self.error(Self.doorLayout(idle: """
              - text: "x"
                rect: [0, 0, 64, 16]
                font: cjk-61
            """)))
        #expect(font.location.description == "door.yaml:12:11")
        #expect(font.message == "unknown font 'cjk-61'; valid fonts: cjk-16, clock-16, tiny (did you mean 'cjk-16'?)")
        let colour = try #require(Self.error(Self.doorLayout(idle: """
              - text: "x"
                rect: [0, 0, 64, 16]
                font: cjk-16
                colour: purple
            """)))
        #expect(colour.location.description == "door.yaml:13:13")
        #expect(colour.message.hasPrefix("unknown colour 'purple'; valid colours: off, on"))
        let align = try #require(Self.error(Self.doorLayout(idle: """
              - text: "x"
                rect: [0, 0, 64, 16]
                font: cjk-16
                align: center
            """)))
        #expect(align.message.contains("expected one of: left, centre, right (did you mean 'centre'?)"))
    }

    @Test func zoneOutsideTheBoard() throws {
        let error = try #require(Self.error(Self.doorLayout(idle: """
              - text: "x"
                rect: [32, 16, 64, 16]
                font: cjk-16
            """)))
        #expect(error.location.description == "door.yaml:11:11")
        #expect(error.message == "the zone 64x16 at (32, 16) lies outside the 64x32 board")
    }

    @Test func templateNamingAMissingField() throws {
        let error = try #require(Self.error(Self.doorLayout(idle: """
              - text: "{{station.nmae}}"
                rect: [0, 0, 64, 16]
                font: cjk-16
            """)))
        #expect(error.location.description == "door.yaml:10:11")
        #expect(error.message.contains("the template names 'station.nmae', which is not a field here"))
        #expect(error.message.contains("did you mean 'station.name'?"))
    }

    @Test func sectionsScopeTheirFields() throws {
        let ok = Self.doorLayout(idle: """
              - text: "{{#station.standby}}{{callSign}} {{plate}}{{/station.standby}}"
                rect: [0, 0, 64, 16]
                font: cjk-16
            """)
        #expect(throws: Never.self) { try Self.loader.load(ok, file: "door.yaml", name: "door") }
        let error = try #require(Self.error(Self.doorLayout(idle: """
              - text: "{{#station.standby}}{{callsign}}{{/station.standby}}"
                rect: [0, 0, 64, 16]
                font: cjk-16
            """)))
        #expect(error.message.contains("did you mean 'callSign'?"))
    }

    @Test func publicBoardsCannotBindPersonalData() throws {
        let widget = """
              - text: "{{alert.incident.patientName}} {{alert.incident.callbackPhone}}"
                rect: [0, 0, 64, 16]
                font: cjk-16
            """
        let yaml = Self.doorLayout(idle: "    []").replacingOccurrences(of: "  alert: []", with: "  alert:\n" + widget)
        let error = try #require(Self.error(yaml))
        #expect(error.message.contains("'alert.incident.patientName' is personal data"))
        let internalBoard = yaml.replacingOccurrences(of: "privacy: public", with: "privacy: internal")
        #expect(throws: Never.self) { try Self.loader.load(internalBoard, file: "door.yaml", name: "door") }
    }

    @Test func missingStatesAndBoardKeys() throws {
        let noAlert = """
            board:
              kind: door
              width: 64
              height: 32
              format: mono
              privacy: public
            states:
              idle: []
            """
        let error = try #require(Self.error(noAlert))
        #expect(error.description == "door.yaml:8:3: a door board needs the states idle and alert; 'alert' is missing")
        let noPrivacy = noAlert.replacingOccurrences(of: "  privacy: public\n", with: "")
        let privacy = try #require(Self.error(noPrivacy))
        #expect(privacy.description == "door.yaml:2:3: 'board' needs a 'privacy' key")
    }

    @Test func timersNeedATimeStampAndKPIsANumber() throws {
        let timer = try #require(Self.error(Self.doorLayout(idle: """
              - timer: station.name
                rect: [0, 0, 64, 16]
                font: clock-16
            """)))
        #expect(timer.message == "'station.name' is not a time stamp, so a timer cannot count from it")
        let pages = try #require(Self.error(Self.doorLayout(idle: """
              - pages:
                  - - text: "1"
                      rect: [0, 0, 64, 16]
                      font: cjk-16
                from: station.name
            """)))
        #expect(pages.message == "'station.name' is not a time stamp, so pages cannot count from it")
        let kpi = try #require(Self.error(Self.doorLayout(idle: """
              - kpi:
                  label: "x"
                  value: station.name
                  font: cjk-16
                rect: [0, 0, 64, 32]
            """)))
        #expect(kpi.message == "'station.name' is not a number, so no threshold can judge it")
    }

    @Test func malformedYAMLIsLocated() throws {
        let error = try #require(Self.error("board:\n  kind: door\n  width: [64\n"))
        #expect(error.location.file == "door.yaml")
        #expect(error.message.hasPrefix("YAML syntax"))
    }
}
