import Foundation
import Testing
import WallboardConfig
import WallboardDispatch
import WallboardFonts
import WallboardLayout
import WallboardPostgres
import WallboardProtocols
import WallboardSQLite
import WallboardSources
import WallboardTransport
import WallboardYAML
@testable import WallboardService

@Suite struct ConfigTests {
    static let minimal = """
        centre: 测试急救中心
        source:
          sqlite: dispatch.db
          timeZone: Asia/Shanghai
        boards:
          - id: wall
            layout: ../Layouts/wall-384x192-rgb.yaml
            transport: browser
        """

    /// The error `text` gives, as "line:column: message".
    static func error(_ text: String) -> String {
        do {
            _ = try ConfigLoader.load(text, file: "/etc/wallboard/test.yaml")
            return "no error"
        } catch let error as YAMLFileError {
            #expect(error.location.file == "/etc/wallboard/test.yaml")
            return "\(error.location.line):\(error.location.column): \(error.message)"
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func minimalConfigTakesTheDefaults() throws {
        let configuration = try ConfigLoader.load(Self.minimal, file: "/etc/wallboard/test.yaml")
        #expect(configuration.centreName == "测试急救中心")
        #expect(configuration.source.address as? SQLiteFile == SQLiteFile(path: "/etc/wallboard/dispatch.db"), "relative to the config file")
        #expect(configuration.source.pollInterval == .milliseconds(10))
        #expect(configuration.source.staleAfter == .seconds(10))
        #expect(configuration.http.address == "127.0.0.1")
        #expect(configuration.http.port == 8080)
        #expect(configuration.http.token == nil)
        let board = try #require(configuration.boards.first)
        #expect(board.name == "wall")
        #expect(board.layoutPath == "/etc/Layouts/wall-384x192-rgb.yaml")
        guard case .browser = board.output else { Issue.record("expected a browser board"); return }
    }

    static let station = """
        centre: 测试急救中心
        source:
          postgres:
            hosts: [db-standby.city:5433, "db-primary.city"]
            database: dispatch
            user: station_07
            passwordFile: secrets/wallboard.pw
            sslmode: verify-full
            applicationName: wallboard-station-07
        boards:
          - id: door-s07
            station: S07
            layout: ../Layouts/door-192x32-bicolor.yaml
            transport: browser
        """

    @Test func aStationReadsThePostgresServersItNames() throws {
        let configuration = try ConfigLoader.load(Self.station, file: "/etc/wallboard/station.yaml")
        let expected = PostgresSettings(
            hosts: [PostgresSettings.Host(name: "db-standby.city", port: 5433), PostgresSettings.Host(name: "db-primary.city")],
            database: "dispatch", user: "station_07", passwordFile: "/etc/wallboard/secrets/wallboard.pw", tls: .verifyFull,
            applicationName: "wallboard-station-07"
        )
        #expect(configuration.source.address as? PostgresSettings == expected)
        #expect(configuration.source.pollInterval == .milliseconds(20), "a standby serves many instances")
    }

    /// The URL every command takes serves in the configuration too, with the same meaning as the mapping.
    @Test func aStationMayNameItsServersByURL() throws {
        let mapping = try #require(Self.station.range(of: "  postgres:\n(    .*\n)+", options: .regularExpression))
        let url = "postgresql://station_07@db-standby.city:5433,db-primary.city/dispatch"
            + "?sslmode=verify-full&application_name=wallboard-station-07&passwordFile=secrets/wallboard.pw"
        let text = Self.station.replacingCharacters(in: mapping, with: "  postgres: \(url)\n")
        let byURL = try ConfigLoader.load(text, file: "/etc/wallboard/station.yaml")
        let byMapping = try ConfigLoader.load(Self.station, file: "/etc/wallboard/station.yaml")
        #expect(byURL.source.address as? PostgresSettings == byMapping.source.address as? PostgresSettings)
        #expect(byURL.source.pollInterval == .milliseconds(20))
        let wrong = Self.error(Self.station.replacingCharacters(in: mapping, with: "  postgres: mysql://db/dispatch\n"))
        #expect(wrong.hasPrefix("3:13: PostgreSQL URL: it must start with postgresql://"), "\(wrong)")
        let password = Self.error(Self.station.replacingCharacters(in: mapping, with: "  postgres: postgresql://u:secret@db/dispatch\n"))
        #expect(password.contains("put the password in a file"), "\(password)")
    }

    @Test func aPostgresSourceWithAnErrorIsNamed() {
        func source(_ hosts: String) -> String {
            Self.error(Self.station.replacingOccurrences(of: "[db-standby.city:5433, \"db-primary.city\"]", with: hosts))
        }
        #expect(source("[db:70000]").hasPrefix("4:13: 'db:70000' is not HOST or HOST:PORT"), "\(source("[db:70000]"))")
        #expect(source("[]").hasPrefix("4:12: 'hosts' lists no server"), "\(source("[]"))")
        let both = Self.error(Self.minimal.replacingOccurrences(of: "  sqlite: dispatch.db", with: "  sqlite: dispatch.db\n  postgres: {hosts: [db], database: d, user: u}"))
        #expect(both.contains("'source' names both sqlite and postgres; keep one"), "\(both)")
        let mode = Self.error(Self.station.replacingOccurrences(of: "verify-full", with: "sometimes"))
        #expect(mode.contains("sslmode 'sometimes' is not one of disable, prefer, require, verify-full"), "\(mode)")
    }

    @Test func shippedExampleLoadsWithEveryKindOfOutput() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/wallboard.example.yaml")
        let configuration = try ConfigLoader.load(contentsOf: url)
        #expect(configuration.http.token == nil)
        #expect(configuration.http.users.map(\.name) == ["prometheus", "duty-leader", "it-desk"])
        #expect(configuration.http.kiosks == "/var/lib/wallboard/kiosks.json", "the wall PCs are kiosks, not users")
        #expect(configuration.http.users.map(\.role) == [.viewer, .operator, .admin])
        #expect(configuration.boards.map(\.id) == ["wall", "wall-fb", "door-s01", "door-s02", "calls"])
        let door = configuration.boards[2]
        #expect(door.stationID == "S01")
        #expect(door.clockSync == TimeOfDay(hour: 3, minute: 0))
        guard case .device(let model, let transport) = door.output, model.name == "bx5k", let serial = transport as? SerialTransportSetting else {
            Issue.record("door-s01 should be a serial board: \(door.output)")
            return
        }
        #expect(serial == SerialTransportSetting(path: "/dev/wallboard/door-s01", settings: SerialSettings(baudRate: 9600, rs485: .adapterControlled)))
        let schedule = try #require(door.brightness)
        #expect(schedule.level(at: TimeOfDay(hour: 12, minute: 0)) == 1.0)
        #expect(schedule.level(at: TimeOfDay(hour: 21, minute: 0)) == 0.6)
        #expect(schedule.level(at: TimeOfDay(hour: 2, minute: 0)) == 0.25, "before the first entry, last night's level holds")
        guard case .device(_, let transport) = configuration.boards[3].output, transport as? TCPTransportSetting == TCPTransportSetting(host: "10.20.2.50", port: 5005) else {
            Issue.record("door-s02 should be on TCP: \(configuration.boards[3].output)")
            return
        }
        #expect(configuration.boards[3].frameInterval == .seconds(1))
        guard case .device(let model, let transport) = configuration.boards[4].output, model.name == "alpha", let usb = transport as? USBTransportSetting else {
            Issue.record("calls should be on USB: \(configuration.boards[4].output)")
            return
        }
        #expect(usb == USBTransportSetting(match: USBDeviceMatch(vendorID: 0x8765, productID: 0x1234, serialNumber: "A1B2C3"), mode: .bulk))
        guard case .framebuffer("/dev/fb0", .xrgb8888) = configuration.boards[1].output else {
            Issue.record("wall-fb should be a framebuffer board")
            return
        }
        let processor = try #require(configuration.processors.first)
        #expect(configuration.processors.count == 1 && processor.id == "wall-splicer" && processor.host == "192.168.10.20" && processor.port == 6000)
        #expect(processor.preset(named: "massCasualty")?.shown == 9 && processor.signal != nil)
        #expect(processor.brightness?.level(at: TimeOfDay(hour: 23, minute: 0)) == 0.4)
    }

    /// The example's commented PostgreSQL sources, uncommented in place of its sqlite line, load
    /// and say the same thing.
    @Test func shippedExamplesPostgresSourcesLoad() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/wallboard.example.yaml")
        let example = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "  sqlite: /var/lib/dispatch/wallboard.db\n", with: "")
        let byURL = example.replacingOccurrences(of: "  # postgres: postgresql://", with: "  postgres: postgresql://")
        let byMapping = Self.uncommenting("  # postgres:", in: example)
        let expected = PostgresSettings(
            hosts: [PostgresSettings.Host(name: "db-standby.city", port: 5433), PostgresSettings.Host(name: "db-primary.city")],
            database: "dispatch", user: "wallboard_reader", passwordFile: url.deletingLastPathComponent().appendingPathComponent("secrets/wallboard.pw").path,
            tls: .verifyFull
        )
        #expect(try ConfigLoader.load(byURL, file: url.path).source.address as? PostgresSettings == expected)
        #expect(try ConfigLoader.load(byMapping, file: url.path).source.address as? PostgresSettings == expected)
    }

    /// `text` with the commented mapping that starts at the line `first` (`  # KEY:`, then lines
    /// `  #   …`) uncommented, and nothing else.
    static func uncommenting(_ first: String, in text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: first) else { return text }
        lines[start] = "  " + lines[start].dropFirst(4)
        var index = start + 1
        while index < lines.count, lines[index].hasPrefix("  #   ") {
            lines[index] = "    " + lines[index].dropFirst(6)
            index += 1
        }
        return lines.joined(separator: "\n")
    }

    /// The example's commented TLS block, uncommented, names the certificate and key.
    @Test func shippedExamplesTLSBlockLoads() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/wallboard.example.yaml")
        let example = try String(contentsOf: url, encoding: .utf8)
        #expect(try ConfigLoader.load(example, file: url.path).http.tls == nil)
        let http = try ConfigLoader.load(Self.uncommenting("  # tls:", in: example).replacingOccurrences(of: "  # insecure:", with: "  insecure:"), file: url.path).http
        #expect(http.tls?.certificate == "/etc/wallboard/tls/wallboard.pem")
        #expect(http.tls?.key == "/etc/wallboard/tls/wallboard.key")
        #expect(!http.insecure)
    }

    @Test func demoConfigurationBuildsAService() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/demo.yaml")
        let service = try WallboardService(configuration: try ConfigLoader.load(contentsOf: url))
        #expect(service.monitors.map(\.output) == ["browser", "browser", "bx5k", "bx6e", "alpha", "cpower", "huidu", "browser"])
        #expect(service.monitor(id: "door-s01")?.controlsBrightness == true)
        #expect(service.configuration.http.token == nil && service.configuration.http.users.isEmpty, "the demo adds its user when it runs")
    }

    /// Every command defaults to Asia/Shanghai, and so does a configuration that names no zone.
    @Test func timeZoneDefaultsToShanghai() throws {
        let text = Self.minimal.replacingOccurrences(of: "  timeZone: Asia/Shanghai\n", with: "")
        #expect(!text.contains("timeZone"))
        let configuration = try ConfigLoader.load(text, file: "/etc/wallboard/wallboard.yaml")
        #expect(configuration.source.timeZone.identifier == "Asia/Shanghai")
    }

    @Test func unknownKeyIsNamedWithItsPlaceAndASuggestion() {
        let text = Self.minimal.replacingOccurrences(of: "  timeZone:", with: "  timezone:")
        let keys = (DispatchSources.kinds.names + ["poll", "timeZone", "staleAfter"]).joined(separator: ", ")
        #expect(keys.hasPrefix("sqlite, postgres, "))
        #expect(Self.error(text) == "4:3: unknown key 'timezone' in 'source'; valid keys: \(keys) (did you mean 'timeZone'?)")
    }

    @Test func badValuesAreReportedWhereTheyAre() {
        #expect(Self.error(Self.minimal.replacingOccurrences(of: "Asia/Shanghai", with: "Asia/Beijing"))
            == "4:13: unknown time zone 'Asia/Beijing'; use a tz database name such as Asia/Shanghai")
        #expect(Self.error(Self.minimal + "\nhttp:\n  port: 80000\n") == "10:9: 'http.port' must be between 0 and 65535, not 80000")
        #expect(Self.error(Self.minimal.replacingOccurrences(of: "timeZone: Asia/Shanghai", with: "timeZone: Asia/Shanghai\n  poll: fast"))
            == "5:9: 'fast' is not a duration; write a number with ms, s, m or h (such as 500ms or 10s)")
        // Found by fuzzing: a number too large for a Duration trapped instead of being refused.
        let huge = String(repeating: "5", count: 40) + "ms"
        #expect(Self.error(Self.minimal.replacingOccurrences(of: "timeZone: Asia/Shanghai", with: "timeZone: Asia/Shanghai\n  poll: \(huge)"))
            .hasPrefix("5:9: \(huge) is outside "))
        #expect(Self.error(Self.minimal.replacingOccurrences(of: "id: wall", with: "id: wall/1")).hasPrefix("6:9: board id 'wall/1' may hold only"))
    }

    /// An override may not go below `http.brightnessFloor` (0.1 unless configured, 0 only when written);
    /// a board may keep one level all day instead of a schedule.
    @Test func brightnessFloorAndAFixedLevel() throws {
        #expect(try ConfigLoader.load(Self.minimal, file: "/etc/wallboard/test.yaml").http.brightnessFloor == 0.1)
        let dark = try ConfigLoader.load(Self.minimal + "\nhttp:\n  brightnessFloor: 0\n", file: "/etc/wallboard/test.yaml")
        #expect(dark.http.brightnessFloor == 0)
        #expect(Self.error(Self.minimal + "\nhttp:\n  brightnessFloor: 1.5\n") == "10:20: 'http.brightnessFloor' must be between 0.0 and 1.0, not 1.5")
        let fixed = Self.minimal.replacingOccurrences(of: "transport: browser", with: "protocol: bx5k\n    transport:\n      tcp: 10.0.0.1:5005\n    brightness: 0.6")
        let schedule = try #require(try ConfigLoader.load(fixed, file: "/etc/wallboard/test.yaml").boards.first?.brightness)
        #expect(schedule.level(at: TimeOfDay(hour: 3, minute: 0)) == 0.6 && schedule.level(at: TimeOfDay(hour: 15, minute: 30)) == 0.6)
    }

    @Test func theAuditTrailIsKeptSixMonthsAtLeast() throws {
        #expect(try ConfigLoader.load(Self.minimal, file: "/etc/wallboard/test.yaml").http.auditRetentionDays == 180)
        let year = try ConfigLoader.load(Self.minimal + "\nhttp:\n  auditRetentionDays: 365\n", file: "/etc/wallboard/test.yaml")
        #expect(year.http.auditRetentionDays == 365)
        #expect(Self.error(Self.minimal + "\nhttp:\n  auditRetentionDays: 90\n") == "10:23: http.auditRetentionDays is 90; keep the audit trail 180 days (six months) at least")
    }

    @Test func transportsAreChecked() {
        // Every registered kind, then the framebuffer.
        let outputs = (TransportKinds.all.map { $0.name } + ["framebuffer"]).joined(separator: ", ")
        let serialWithoutProtocol = Self.minimal.replacingOccurrences(of: "transport: browser", with: "transport:\n      serial: /dev/ttyUSB0")
        #expect(Self.error(serialWithoutProtocol) == "6:5: a board on serial needs a 'protocol' (the wire protocol it speaks)")
        let badTCP = Self.minimal.replacingOccurrences(of: "transport: browser", with: "protocol: bx5k\n    transport:\n      tcp: 10.0.0.1")
        #expect(Self.error(badTCP) == "10:12: 'tcp' is host:port (such as 10.1.2.3:5005), not '10.0.0.1'")
        let two = Self.minimal.replacingOccurrences(of: "transport: browser", with: "protocol: bx5k\n    transport:\n      tcp: a:1\n      serial: /dev/x")
        #expect(Self.error(two) == "10:7: 'transport' needs exactly one of \(outputs) (or is just 'browser'); it has serial and tcp")
        let unknown = Self.minimal.replacingOccurrences(of: "transport: browser", with: "protocol: bx5k\n    transport:\n      pipe: /tmp/board")
        #expect(Self.error(unknown) == "10:7: unknown transport 'pipe'; the kinds are \(outputs) (or 'transport: browser')")
        let misspelt = Self.minimal.replacingOccurrences(of: "transport: browser", with: "protocol: bx5k\n    transport:\n      seriall: /dev/x")
        #expect(Self.error(misspelt) == "10:7: unknown transport 'seriall'; the kinds are \(outputs) (or 'transport: browser') (did you mean 'serial'?)")
        let otherKindsKey = Self.minimal.replacingOccurrences(of: "transport: browser", with: "protocol: bx5k\n    transport:\n      tcp: a:1\n      baud: 9600")
        #expect(Self.error(otherKindsKey) == "11:7: unknown key 'baud' in 'boards[0].transport'; valid keys: tcp")
        let browserWithProtocol = Self.minimal.replacingOccurrences(of: "transport: browser", with: "transport: browser\n    protocol: alpha")
        #expect(Self.error(browserWithProtocol) == "9:15: a browser board has no protocol; remove 'protocol'")
        let parity = Self.minimal.replacingOccurrences(of: "transport: browser", with: "protocol: alpha\n    transport:\n      serial: /dev/x\n      parity: evn")
        #expect(Self.error(parity) == "11:15: 'boards[0].transport.parity' is 'evn'; expected one of: none, even, odd, mark, space (did you mean 'even'?)")
    }

    @Test func protocolsAreTheDriversOwn() {
        let text = Self.minimal.replacingOccurrences(of: "transport: browser", with: "protocol: bx5kk\n    transport:\n      tcp: a:1")
        #expect(Self.error(text) == "8:15: 'boards[0].protocol' is 'bx5kk'; expected one of: bx5k, bx6k, bx5e, bx6e, bx6q, alpha, tpm2, dreamcheeky, cpower, huidu (did you mean 'bx5k'?)")
    }

    @Test func aFontCardNamesItsFontLibrary() throws {
        let gbk = Self.minimal.replacingOccurrences(of: "transport: browser", with: "protocol: bx5k\n    charset: gbk\n    transport:\n      tcp: a:1")
        #expect(try ConfigLoader.load(gbk, file: "/etc/wallboard/test.yaml").boards.first?.charset == .gbk)
        let plain = Self.minimal.replacingOccurrences(of: "transport: browser", with: "protocol: bx5k\n    transport:\n      tcp: a:1")
        #expect(try ConfigLoader.load(plain, file: "/etc/wallboard/test.yaml").boards.first?.charset == .gb2312)
        let big5 = gbk.replacingOccurrences(of: "charset: gbk", with: "charset: big5")
        #expect(Self.error(big5) == "9:14: 'boards[0].charset' is 'big5'; expected one of: gb2312, gbk")
        let graphic = gbk.replacingOccurrences(of: "bx5k", with: "bx6e")
        #expect(Self.error(graphic) == "9:14: 'charset' names the font library of a font-card board (bx5k, bx6k); this board draws no text of its own")
    }

    /// A C-Power card's card ID and, over TCP, its network ID code; the factory settings (1 and
    /// FFFFFFFF) where they are left out.
    @Test func aCPowerBoardNamesItsCardIDAndIDCode() throws {
        func board(_ keys: String, transport: String = "tcp: a:5200") -> String {
            Self.minimal.replacingOccurrences(of: "transport: browser", with: "protocol: cpower\n\(keys)    transport:\n      \(transport)")
        }
        let addressed = try ConfigLoader.load(board("    cardID: 7\n    idCode: 0A0B0c0D\n"), file: "/etc/wallboard/test.yaml")
        #expect(addressed.boards.first?.cpowerCard == CPowerCardAddress(cardID: 7, idCode: 0x0A0B_0C0D))
        let factory = try ConfigLoader.load(board(""), file: "/etc/wallboard/test.yaml")
        #expect(factory.boards.first?.cpowerCard == CPowerCardAddress(cardID: 1, idCode: 0xFFFF_FFFF))
        let serial = try ConfigLoader.load(board("    cardID: 255\n", transport: "serial: /dev/ttyUSB0"), file: "/etc/wallboard/test.yaml")
        #expect(serial.boards.first?.cpowerCard.cardID == 0xFF, "the broadcast ID every card takes")
        #expect(Self.error(board("    cardID: 0\n")).hasPrefix("9:13: "))
        #expect(Self.error(board("    cardID: 256\n")).hasPrefix("9:13: "))
        #expect(Self.error(board("    idCode: 12345\n"))
            == "9:13: 'idCode' is the card's network ID code as eight hexadecimal digits (FFFFFFFF until it is set), not '12345'")
        #expect(Self.error(board("    idCode: FFFFFFFF\n", transport: "serial: /dev/ttyUSB0"))
            .hasPrefix("9:13: 'idCode' travels only in the network framing (transport: tcp)"))
        let fontCard = board("    cardID: 7\n").replacingOccurrences(of: "cpower", with: "bx5k")
        #expect(Self.error(fontCard) == "9:13: 'cardID' and 'idCode' address a C-Power card (protocol: cpower); this board has neither")
    }

    static let withProcessor = minimal + """

        processors:
          - id: wall-splicer
            kind: novastar-h
            address: 192.168.10.20:6000
            screen: 1
            presets: {normal: 5, massCasualty: 9, drill: 12}
            brightness: [{from: "07:00", level: 1}, {from: "22:00", level: 0.4}]
            signal: {slot: 1, interface: 2}
          - id: hall-2
            kind: novastar-h
            address: 10.0.0.7
            screen: 2
            presets: {massCasualty: 2, normal: 1}
        """

    @Test func processorsAreReadWithConsoleNumbersConvertedToTheWire() throws {
        let configuration = try ConfigLoader.load(Self.withProcessor, file: "/etc/wallboard/test.yaml")
        #expect(configuration.processors.map(\.id) == ["wall-splicer", "hall-2"])
        let splicer = try #require(configuration.processors.first)
        #expect(splicer.kind == .novastarH)
        #expect(splicer.host == "192.168.10.20")
        #expect(splicer.port == 6000)
        #expect(splicer.screen.wire == 0)
        #expect(splicer.presets.map(\.name) == ["normal", "massCasualty", "drill"])
        #expect(splicer.preset(named: "massCasualty")?.shown == 9)
        #expect(splicer.preset(named: "massCasualty")?.wire == 8)
        #expect(splicer.signal?.slot.wire == 0)
        #expect(splicer.signal?.interface.wire == 1)
        #expect(splicer.brightness?.level(at: TimeOfDay(hour: 23, minute: 0)) == 0.4)
        #expect(splicer.location.line == 10)
        let hall = try #require(configuration.processors.last)
        #expect(hall.port == 6000, "the processors' own port when none is given")
        #expect(hall.signal == nil)
        #expect(hall.brightness == nil)
        #expect(try ConfigLoader.load(Self.minimal, file: "/etc/wallboard/test.yaml").processors.isEmpty)
    }

    @Test func processorMistakesAreReportedWhereTheyAre() {
        func processorError(_ replacing: String, with replacement: String) -> String {
            Self.error(Self.withProcessor.replacingOccurrences(of: replacing, with: replacement))
        }
        #expect(processorError("screen: 1", with: "screen: 0")
            == "13:13: screen 0 is outside 1…40; numbers are as the processor's console shows them, from 1")
        #expect(processorError("kind: novastar-h\n    address: 192", with: "kind: novastar-x\n    address: 192").hasPrefix("11:11: "))
        #expect(processorError("192.168.10.20:6000", with: "wall-splicer.local")
            == "12:14: 'wall-splicer.local' is not an IPv4 address with an optional port, such as 192.168.10.20:6000")
        #expect(processorError("192.168.10.20:6000", with: "192.168.10.20:0") == "12:14: '0' is not a port (1…65535)")
        #expect(processorError("{normal: 5, massCasualty: 9, drill: 12}", with: "{normal: 5, drill: 12}")
            == "14:14: 'presets' has no 'massCasualty'; name the processor's preset for each of normal, massCasualty")
        #expect(processorError("interface: 2}", with: "interface: 5}")
            == "16:34: interface 5 is outside 1…4; numbers are as the processor's console shows them, from 1")
        #expect(processorError("id: hall-2", with: "id: wall") == "17:5: id 'wall' is used twice; the first is at /etc/wallboard/test.yaml:6:5")
        #expect(processorError("    signal: {slot", with: "    signal: {slt").hasPrefix("16:14: "))
    }

    @Test func processorRulesAndTheBlackScreenAreRead() throws {
        let text = Self.withProcessor.replacingOccurrences(of: "{from: \"22:00\", level: 0.4}]", with: """
            {from: "22:00", level: 0.4}, {from: "01:00", level: off}]
                rules:
                  - {preset: drill, when: criticalIncident}
                  - {preset: massCasualty, when: massCasualty}
            """)
        let configuration = try ConfigLoader.load(text, file: "/etc/wallboard/test.yaml")
        let splicer = try #require(configuration.processors.first)
        #expect(splicer.rules == [ProcessorRule(preset: "drill", condition: .criticalIncident), ProcessorRule(preset: "massCasualty", condition: .massCasualty)])
        #expect(splicer.brightness?.entry(at: TimeOfDay(hour: 3, minute: 0)) == .init(from: TimeOfDay(hour: 1, minute: 0), level: 0, off: true))
        #expect(splicer.brightness?.entry(at: TimeOfDay(hour: 23, minute: 0)).off == false)
        #expect(configuration.processors.last?.rules == ProcessorConfiguration.defaultRules, "no rules written: mass casualties load massCasualty")
    }

    @Test func processorRuleMistakesAreReportedWhereTheyAre() {
        let withRules = Self.withProcessor.replacingOccurrences(of: "    signal: {slot: 1, interface: 2}", with: """
                signal: {slot: 1, interface: 2}
                rules:
                  - {preset: drill, when: criticalIncident}
            """)
        #expect(Self.error(withRules.replacingOccurrences(of: "when: criticalIncident", with: "when: busyDay"))
            == "18:31: 'processors[0].rules[0].when' is 'busyDay'; expected one of: massCasualty, criticalIncident")
        #expect(Self.error(withRules.replacingOccurrences(of: "preset: drill", with: "preset: dril"))
            == "18:18: rule's preset 'dril' is not among 'presets' (normal, massCasualty, drill) (did you mean 'drill'?)")
    }

    @Test func boardsNeedDistinctIDs() {
        let text = Self.minimal + "\n  - id: wall\n    layout: x.yaml\n    transport: browser\n"
        #expect(Self.error(text) == "9:5: board id 'wall' is used twice; the first is at /etc/wallboard/test.yaml:6:5")
    }

    @Test func syntaxErrorsHaveAPlace() {
        #expect(Self.error("centre: [unclosed\n").hasPrefix("2:1: YAML syntax"))
    }

    @Test func setupErrorsNameTheBoard() throws {
        let directory = try TemporaryDirectory()
        let layouts = TemporaryDirectory.layoutsDirectory.path
        let text = """
            centre: 测试
            source:
              sqlite: \(directory.path("none.db"))
              timeZone: Asia/Shanghai
            boards:
              - id: door
                layout: \(layouts)/door-192x32-bicolor.yaml
                transport: browser
            """
        let configuration = try ConfigLoader.load(text, file: directory.path("c.yaml"))
        #expect(throws: ServiceSetupError.self) { try WallboardService(configuration: configuration) }
        do {
            _ = try WallboardService(configuration: configuration)
        } catch {
            #expect("\(error)".contains("c.yaml:6:5: board 'door' shows a door layout (door-192x32-bicolor) and needs 'station'"))
        }
    }
}

/// A station's instance with only door boards reads its stations and skips what door boards never
/// show; a call strip of no station reads no station's vehicles; a wall needs the whole centre.
@Suite struct ReadScopeTests {
    @Test func theBoardsDecideWhatIsRead() throws {
        let fonts = try FontLibrary.locate(explicit: nil)
        let loader = LayoutLoader(fontNames: fonts.names + FontLibrary.namedChains.map(\.name))
        func layout(_ name: String) throws -> Layout {
            try loader.load(contentsOf: TemporaryDirectory.layoutsDirectory.appendingPathComponent("\(name).yaml"))
        }
        let doors = try ReadScope(boards: [
            ("s01", layout("door-192x32-bicolor")), ("s02", layout("door-256x64-bicolor")), ("s02", layout("door-64x32-mono")),
            ("s03", layout("door-128x32-mono")),
        ])
        #expect(doors == ReadScope(stationIDs: ["s01", "s02", "s03"], parts: [.incidentCallers]))
        let doorAndQueue = try ReadScope(boards: [("s01", layout("door-192x32-bicolor")), ("s01", layout("strip-160x16-calls"))])
        #expect(doorAndQueue == ReadScope(stationIDs: ["s01"], parts: [.incidentCallers, .dayTallies]))
        // A call strip of no station reads no station's vehicles, alone or beside a station's boards.
        #expect(try ReadScope(boards: [("s01", layout("door-192x32-bicolor")), (nil, layout("strip-80x7-calls-ascii"))])
            == ReadScope(stationIDs: ["s01"], parts: [.incidentCallers, .dayTallies, .waitingCalls]))
        let strips = try ReadScope(boards: [(nil, layout("strip-160x16-calls")), (nil, layout("strip-80x7-calls-ascii"))])
        #expect(strips == ReadScope(stationIDs: [], parts: [.dayTallies, .waitingCalls]))
        #expect(strips.description == "no station's vehicles with waiting calls, the day's tallies")
        let withWall = try ReadScope(boards: [("s01", layout("door-192x32-bicolor")), (nil, layout("wall-1920x1080"))])
        #expect(withWall.stationIDs == nil && withWall.parts.contains(.figuresOverTheDay))
        let wall = try ReadScope(boards: [(nil, layout("wall-3840x2160"))])
        #expect(wall.stationIDs == nil && wall.parts.isSuperset(of: [.incidentCallers, .dayTallies, .figuresOverTheDay]))
        #expect(ReadScope(boards: []) == .wholeCentre)
    }

    /// A video-wall processor's rules look at every incident of the centre, whatever the boards show.
    @Test func aProcessorReadsTheWholeCentre() throws {
        let door = ConfigTests.minimal.replacingOccurrences(of: "wall-384x192-rgb.yaml", with: "door-192x32-bicolor.yaml")
            + "\n    station: S01\n"
        let layouts = [try LayoutLoader(fontNames: FontLibrary.locate(explicit: nil).names + FontLibrary.namedChains.map(\.name))
            .load(contentsOf: TemporaryDirectory.layoutsDirectory.appendingPathComponent("door-192x32-bicolor.yaml"))]
        let alone = try ConfigLoader.load(door, file: "/etc/wallboard/test.yaml")
        #expect(WallboardService.readScope(alone, layouts).stationIDs == ["S01"])
        let withProcessor = try ConfigLoader.load(door + ConfigTests.withProcessor.dropFirst(ConfigTests.minimal.count), file: "/etc/wallboard/test.yaml")
        #expect(!withProcessor.processors.isEmpty)
        #expect(WallboardService.readScope(withProcessor, layouts) == .wholeCentre)
    }
}
