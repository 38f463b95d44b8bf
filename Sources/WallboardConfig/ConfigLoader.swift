import Foundation
import WallboardDispatch
import WallboardProtocols
import WallboardSourceKit
import WallboardSupport
import WallboardTransportCore
import WallboardYAML

/// Reads the service's YAML configuration and checks every value up front: an unknown key, a
/// missing one, a bad duration, port or time — each an error at file:line:column. `transports`
/// are the kinds a board's `transport:` may name (`TransportKinds.all` in `WallboardTransport`).
public enum ConfigLoader {
    /// `sources`: the kinds `source:` may name (the product's are `DispatchSources.kinds`).
    public static func load(contentsOf url: URL, sources: SourceKinds, transports: [any TransportSetting.Type]) throws -> ServiceConfiguration {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw YAMLFileError(SourceLocation(file: url.path, line: 1, column: 1), "cannot read the configuration: \(error.localizedDescription)")
        }
        return try load(text, file: url.path, sources: sources, transports: transports)
    }

    /// `file` names the text in errors, and its directory anchors relative paths.
    public static func load(_ text: String, file: String, sources: SourceKinds, transports: [any TransportSetting.Type]) throws -> ServiceConfiguration {
        let base = URL(fileURLWithPath: file).deletingLastPathComponent()
        let root = try YAMLValue.parse(text, file: file).mapping()
        try root.rejectUnknownKeys(["centre", "fonts", "source", "http", "boards", "processors"])
        let centre = try root.required("centre").string()
        let fonts = try root.optional("fonts").map { try resolve(path: $0, against: base) }
        let source = try sourceSettings(root.required("source"), base: base, kinds: sources)
        let http = try root.optional("http").map { try httpSettings($0, base: base) } ?? HTTPSettings()
        let boardsValue = try root.required("boards")
        let boardValues = try boardsValue.sequence()
        guard !boardValues.isEmpty else { throw boardsValue.error("'boards' lists no board; add at least one") }
        var seen: [String: SourceLocation] = [:]
        var boards: [BoardConfiguration] = []
        for value in boardValues {
            let board = try self.board(value, base: base, transports: transports)
            if let first = seen[board.id] {
                throw value.error("board id '\(board.id)' is used twice; the first is at \(first)")
            }
            seen[board.id] = board.location
            boards.append(board)
        }
        var processors: [ProcessorConfiguration] = []
        for value in try root.optional("processors")?.sequence() ?? [] {
            let processor = try self.processor(value)
            if let first = seen[processor.id] {
                throw value.error("id '\(processor.id)' is used twice; the first is at \(first)")
            }
            seen[processor.id] = processor.location
            processors.append(processor)
        }
        return ServiceConfiguration(file: file, centreName: centre, source: source, http: http, fontsDirectory: fonts, boards: boards,
                                    processors: processors)
    }

    /// The presets a processor must name: the rules' defaults load them.
    static let requiredPresets = ["normal", "massCasualty"]

    static func processor(_ value: YAMLValue) throws -> ProcessorConfiguration {
        let fields = try value.mapping()
        try fields.rejectUnknownKeys(["id", "kind", "address", "screen", "presets", "brightness", "signal", "rules"])
        let idValue = try fields.required("id")
        let id = try idValue.string()
        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw idValue.error("processor id '\(id)' may hold only letters, digits, '-' and '_' (it is part of URLs)")
        }
        let kind = try fields.required("kind").choice(ProcessorConfiguration.Kind.allCases.map { ($0.rawValue, $0) })
        let (host, port) = try processorAddress(fields.required("address"))
        let presetsValue = try fields.required("presets")
        let presets = try presetsValue.mapping().entriesInOrder.map { entry in
            ProcessorConfiguration.Preset(name: entry.key, number: try consoleNumber(entry.value, of: "preset", in: 1...2000))
        }
        if let missing = requiredPresets.first(where: { name in !presets.contains { $0.name == name } }) {
            throw presetsValue.error("'presets' has no '\(missing)'; name the processor's preset for each of \(requiredPresets.joined(separator: ", "))")
        }
        var signal: NovaStarInput?
        if let signalValue = fields.optional("signal") {
            let signalFields = try signalValue.mapping()
            try signalFields.rejectUnknownKeys(["slot", "interface"])
            signal = NovaStarInput(slot: try consoleNumber(signalFields.required("slot"), of: "slot", in: 1...40),
                                   interface: try consoleNumber(signalFields.required("interface"), of: "interface", in: 1...4))
        }
        return ProcessorConfiguration(
            id: id, kind: kind, host: host, port: port,
            screen: try consoleNumber(fields.required("screen"), of: "screen", in: 1...40),
            presets: presets,
            brightness: try fields.optional("brightness").map(brightnessSchedule),
            signal: signal,
            rules: try fields.optional("rules").map { try processorRules($0, presets: presets.map(\.name)) } ?? ProcessorConfiguration.defaultRules,
            location: value.location
        )
    }

    /// `[{preset: NAME, when: CONDITION}, …]`, each preset one of `presets`.
    static func processorRules(_ value: YAMLValue, presets: [String]) throws -> [ProcessorRule] {
        try value.sequence().map { item in
            let fields = try item.mapping()
            try fields.rejectUnknownKeys(["preset", "when"])
            let presetValue = try fields.required("preset")
            let preset = try presetValue.string()
            guard presets.contains(preset) else {
                throw presetValue.error("rule's preset '\(preset)' is not among 'presets' (\(presets.joined(separator: ", ")))\(suggestion(for: preset, among: presets))")
            }
            let condition = try fields.required("when").choice(ProcessorRule.Condition.allCases.map { ($0.rawValue, $0) })
            return ProcessorRule(preset: preset, condition: condition)
        }
    }

    /// A number as the processor's console shows it, from 1.
    static func consoleNumber(_ value: YAMLValue, of what: String, in range: ClosedRange<Int>) throws -> NovaStarNumber {
        let number = try value.int()
        guard range.contains(number), let converted = NovaStarNumber(shown: number) else {
            throw value.error("\(what) \(number) is outside \(range.lowerBound)…\(range.upperBound); numbers are as the processor's console shows them, from 1")
        }
        return converted
    }

    /// `A.B.C.D` or `A.B.C.D:PORT` (the processors' port, 6000, when none is given).
    static func processorAddress(_ value: YAMLValue) throws -> (String, UInt16) {
        let text = try value.string()
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, octets.count == 4, octets.allSatisfy({ $0.allSatisfy(\.isASCII) && UInt8($0) != nil }) else {
            throw value.error("'\(text)' is not an IPv4 address with an optional port, such as 192.168.10.20:6000")
        }
        guard parts.count == 2 else { return (String(parts[0]), NovaStar.port) }
        guard let port = UInt16(parts[1]), port > 0 else { throw value.error("'\(parts[1])' is not a port (1…65535)") }
        return (String(parts[0]), port)
    }

    static func sourceSettings(_ value: YAMLValue, base: URL, kinds: SourceKinds) throws -> SourceSettings {
        let fields = try value.mapping()
        try fields.rejectUnknownKeys(kinds.names + ["poll", "timeZone", "staleAfter"])
        // Every command defaults to the zone of China's 120 centres; so does the service.
        var zone = DayBoundary.shanghai.timeZone
        if let zoneValue = fields.optional("timeZone") {
            let zoneName = try zoneValue.string()
            guard let named = TimeZone(identifier: zoneName) else {
                throw zoneValue.error("unknown time zone '\(zoneName)'; use a tz database name such as Asia/Shanghai")
            }
            zone = named
        }
        return SourceSettings(
            address: try kinds.address(in: fields, base: base),
            pollInterval: try fields.optional("poll").map { try duration($0, in: .milliseconds(1)...(.seconds(60))) },
            timeZone: zone,
            staleAfter: try fields.optional("staleAfter").map { try duration($0, in: .milliseconds(100)...(.seconds(3600))) } ?? .seconds(10)
        )
    }

    static func httpSettings(_ value: YAMLValue, base: URL) throws -> HTTPSettings {
        let fields = try value.mapping()
        try fields.rejectUnknownKeys([
            "address", "port", "token", "users", "publicBoardsOpen", "hosts", "origins", "timeout", "maxConnections", "maxConnectionsPerClient",
            "audit", "auditRetentionDays", "kiosks", "brightnessFloor", "tls", "insecure",
        ])
        var settings = HTTPSettings()
        if let address = fields.optional("address") { settings.address = try address.string() }
        if let port = fields.optional("port") { settings.port = try port.int(in: 0...65535) }
        if let tokenValue = fields.optional("token") {
            let token = try tokenValue.string()
            if let problem = AccessTokens.problem(with: token, minimumLength: AccessTokens.minimumInlineTokenLength) {
                throw tokenValue.error(problem)
            }
            settings.token = token
        }
        if let usersValue = fields.optional("users") {
            var seen: [String: SourceLocation] = [:]
            for userValue in try usersValue.sequence() {
                let user = try self.user(userValue, base: base)
                if let first = seen[user.name] {
                    throw userValue.error("user '\(user.name)' is listed twice; the first is at \(first)")
                }
                seen[user.name] = user.location
                settings.users.append(user)
            }
        }
        if let open = fields.optional("publicBoardsOpen") { settings.publicBoardsOpen = try open.bool() }
        if let hosts = fields.optional("hosts") {
            settings.hosts = try hosts.sequence().map { try $0.string().lowercased() }
        }
        if let origins = fields.optional("origins") {
            settings.origins = try origins.sequence().map { value in
                let origin = try value.string().lowercased()
                guard origin.hasPrefix("http://") || origin.hasPrefix("https://"), !origin.dropFirst(8).contains("/") else {
                    throw value.error("'\(origin)' is not an origin: write SCHEME://HOST[:PORT] with no path, such as https://console.centre.example")
                }
                return origin
            }
        }
        if let timeout = fields.optional("timeout") { settings.timeout = try duration(timeout, in: .seconds(1)...(.seconds(300))) }
        if let cap = fields.optional("maxConnections") { settings.maxConnections = try cap.int(in: 1...1_000_000) }
        if let cap = fields.optional("maxConnectionsPerClient") { settings.maxConnectionsPerClient = try cap.int(in: 1...1_000_000) }
        if let audit = fields.optional("audit") { settings.audit = try resolve(path: audit, against: base) }
        if let days = fields.optional("auditRetentionDays") {
            let value = try days.int()
            // 等保 2.0 level 3 and the Cybersecurity Law: logs kept six months at least.
            guard value >= 180 else { throw days.error("http.auditRetentionDays is \(value); keep the audit trail 180 days (six months) at least") }
            settings.auditRetentionDays = value
        }
        if let kiosks = fields.optional("kiosks") { settings.kiosks = try resolve(path: kiosks, against: base) }
        if let floor = fields.optional("brightnessFloor") { settings.brightnessFloor = try floor.double(in: 0...1) }
        if let tls = fields.optional("tls") {
            let files = try tls.mapping()
            try files.rejectUnknownKeys(["certificate", "key"])
            settings.tls = TLSFiles(
                certificate: try resolve(path: files.required("certificate"), against: base),
                key: try resolve(path: files.required("key"), against: base), location: tls.location
            )
        }
        if let insecure = fields.optional("insecure") { settings.insecure = try insecure.bool() }
        if !settings.isLoopback, settings.users.isEmpty, settings.token == nil {
            throw value.error("http.address \(settings.address) is reachable from other machines: list who may use it under 'users' ({name, role, tokenFile})")
        }
        if !settings.isLoopback, settings.tls == nil, !settings.insecure {
            throw value.error(
                "http.address \(settings.address) is reachable from other machines and would carry tokens and the boards' data in clear: "
                    + "give http.tls {certificate: FILE, key: FILE} (PEM), or write http.insecure: true to serve plain HTTP anyway"
            )
        }
        return settings
    }

    static func user(_ value: YAMLValue, base: URL) throws -> HTTPUser {
        let fields = try value.mapping()
        try fields.rejectUnknownKeys(["name", "role", "tokenFile"])
        let nameValue = try fields.required("name")
        let name = try nameValue.string()
        guard !name.isEmpty, name.allSatisfy({ !$0.isWhitespace && !$0.isNewline && $0 != ":" }) else {
            throw nameValue.error("user name '\(name)' must not be empty or hold spaces or ':'")
        }
        return HTTPUser(
            name: name,
            role: try fields.required("role").choice(HTTPUser.Role.allCases.map { ($0.rawValue, $0) }),
            tokenFile: try resolve(path: fields.required("tokenFile"), against: base),
            location: value.location
        )
    }

    static func board(_ value: YAMLValue, base: URL, transports: [any TransportSetting.Type]) throws -> BoardConfiguration {
        let fields = try value.mapping()
        try fields.rejectUnknownKeys(["id", "name", "station", "layout", "protocol", "charset", "cardID", "idCode", "transport", "brightness", "clockSync", "refresh"])
        let idValue = try fields.required("id")
        let id = try idValue.string()
        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw idValue.error("board id '\(id)' may hold only letters, digits, '-' and '_' (it is part of URLs)")
        }
        let transportValue = try fields.required("transport")
        let protocolValue = fields.optional("protocol")
        let output: BoardOutput
        if case .scalar = transportValue.node {
            guard try transportValue.string() == "browser" else {
                throw transportValue.error("'transport' is 'browser' or a mapping with one of \(outputNames(transports).joined(separator: ", "))")
            }
            if let protocolValue { throw protocolValue.error("a browser board has no protocol; remove 'protocol'") }
            output = .browser
        } else {
            output = try self.output(transportValue, protocolValue: protocolValue, owner: value, transports: transports)
        }
        var charset = ControllerCharset.gb2312
        if let charsetValue = fields.optional("charset") {
            guard case .device(let model, _) = output, case .onbonFontCard = model.family else {
                throw charsetValue.error("'charset' names the font library of a font-card board (bx5k, bx6k); this board draws no text of its own")
            }
            charset = try charsetValue.choice(ControllerCharset.allCases.map { ($0.rawValue.lowercased(), $0) })
        }
        let cpowerCard = try cpowerCard(fields, output: output)
        let brightness = try fields.optional("brightness").map(brightnessSchedule)
        var clockSync: TimeOfDay?
        if let syncValue = fields.optional("clockSync"), try syncValue.string().lowercased() != "false", try syncValue.string().lowercased() != "off" {
            clockSync = try timeOfDay(syncValue)
        }
        if let key = ["brightness", "clockSync"].first(where: { fields.optional($0) != nil }), let keyValue = fields.optional(key) {
            switch output {
            case .browser: throw keyValue.error("a browser board has no '\(key)': the screen showing the page sets its own")
            case .framebuffer: throw keyValue.error("a framebuffer board has no '\(key)': the monitor sets its own")
            case .device: break
            }
        }
        return BoardConfiguration(
            id: id,
            name: try fields.optional("name")?.string() ?? id,
            stationID: try fields.optional("station")?.string(),
            layoutPath: try resolve(path: fields.required("layout"), against: base),
            output: output,
            charset: charset,
            cpowerCard: cpowerCard,
            brightness: brightness,
            clockSync: clockSync,
            frameInterval: try fields.optional("refresh").map { try duration($0, in: .milliseconds(20)...(.seconds(60))) },
            location: value.location
        )
    }

    /// A C-Power board's `cardID` (1…255; 255 is FF, which every card takes) and, over TCP, its
    /// `idCode` (eight hexadecimal digits); the factory settings where they are left out.
    static func cpowerCard(_ fields: YAMLMapping, output: BoardOutput) throws -> CPowerCardAddress {
        var card = CPowerCardAddress()
        let cardIDValue = fields.optional("cardID"), idCodeValue = fields.optional("idCode")
        guard cardIDValue != nil || idCodeValue != nil else { return card }
        guard case .device(let model, let transport) = output, case .cpower = model.family else {
            let value = cardIDValue ?? idCodeValue
            throw (value ?? fields.owner).error("'cardID' and 'idCode' address a C-Power card (protocol: cpower); this board has neither")
        }
        if let cardIDValue {
            card.cardID = UInt8(try cardIDValue.int(in: 1...255))
        }
        if let idCodeValue {
            guard transport.isNetworkConnection else {
                throw idCodeValue.error("'idCode' travels only in the network framing (transport: tcp); a card on \(transport.description) is addressed by 'cardID' alone")
            }
            let text = try idCodeValue.string()
            guard text.count == 8, let code = UInt32(text, radix: 16) else {
                throw idCodeValue.error("'idCode' is the card's network ID code as eight hexadecimal digits (FFFFFFFF until it is set), not '\(text)'")
            }
            card.idCode = code
        }
        return card
    }

    /// The keys a `transport:` mapping may be named by: every transport kind, then `framebuffer`.
    static func outputNames(_ transports: [any TransportSetting.Type]) -> [String] {
        transports.map { $0.name } + ["framebuffer"]
    }

    static func output(_ value: YAMLValue, protocolValue: YAMLValue?, owner: YAMLValue, transports: [any TransportSetting.Type]) throws -> BoardOutput {
        let fields = try value.mapping()
        let names = outputNames(transports)
        let present = names.filter { fields.optional($0) != nil }
        guard present.count == 1, let name = present.first, let target = fields.optional(name) else {
            if present.isEmpty, let first = fields.entriesInOrder.first {
                throw YAMLFileError(
                    first.keyLocation,
                    "unknown transport '\(first.key)'; the kinds are \(names.joined(separator: ", ")) (or 'transport: browser')\(suggestion(for: first.key, among: names))"
                )
            }
            throw value.error("'transport' needs exactly one of \(names.joined(separator: ", ")) (or is just 'browser')\(present.isEmpty ? "" : "; it has \(present.joined(separator: " and "))")")
        }
        guard let kind = transports.first(where: { $0.name == name }) else {
            // The one name that is not a transport kind: the frame goes to a framebuffer device.
            try fields.rejectUnknownKeys(["framebuffer", "format"])
            if let protocolValue { throw protocolValue.error("a framebuffer board has no protocol; remove 'protocol'") }
            let format = try fields.optional("format")?.choice(FramebufferFormat.allCases.map { ($0.rawValue, $0) }) ?? .xrgb8888
            return .framebuffer(path: try target.string(), format: format)
        }
        guard let protocolValue else { throw owner.error("a board on \(name) needs a 'protocol' (the wire protocol it speaks)") }
        let model = try protocolValue.choice(BoardProtocols.models.map { ($0.name, $0) })
        try fields.rejectUnknownKeys([name] + kind.keys)
        return .device(model: model, transport: try kind.parse(target, fields: fields))
    }

    /// A list of `{from, level}`, or one level the board keeps all day; a level may be `off`.
    static func brightnessSchedule(_ value: YAMLValue) throws -> BrightnessSchedule {
        if case .scalar = value.node, let schedule = BrightnessSchedule([.init(from: TimeOfDay(hour: 0, minute: 0), level: try value.double(in: 0...1))]) {
            return schedule
        }
        let entries = try value.sequence().map { item -> BrightnessSchedule.Entry in
            let fields = try item.mapping()
            try fields.rejectUnknownKeys(["from", "level"])
            let from = try timeOfDay(fields.required("from"))
            let level = try fields.required("level")
            if try level.string() == "off" {
                return .init(from: from, level: 0, off: true)
            }
            return .init(from: from, level: try level.double(in: 0...1))
        }
        guard let schedule = BrightnessSchedule(entries) else {
            throw value.error("'brightness' lists no entry; give at least one {from: \"HH:mm\", level: 0…1}")
        }
        return schedule
    }

    static func timeOfDay(_ value: YAMLValue) throws -> TimeOfDay {
        let text = try value.string()
        guard let time = TimeOfDay(text) else { throw value.error("'\(text)' is not a time of day; write HH:mm, such as 22:30") }
        return time
    }

    /// "250ms", "2s", "1.5s", "5m", "1h", or a plain number of seconds.
    static func duration(_ value: YAMLValue, in range: ClosedRange<Duration>) throws -> Duration {
        let text = try value.string().trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var seconds: Double?
        if let plain = Double(text) {
            seconds = plain
        } else if let unit = units.first(where: { text.hasSuffix($0.0) && Double(text.dropLast($0.0.count)) != nil }) {
            seconds = Double(text.dropLast(unit.0.count)).map { $0 * unit.1 }
        }
        guard let seconds, seconds.isFinite else {
            throw value.error("'\(text)' is not a duration; write a number with ms, s, m or h (such as 500ms or 10s)")
        }
        // Compared as seconds first: a number too large for a Duration must be refused, not converted.
        guard seconds >= range.lowerBound.inSeconds, seconds <= range.upperBound.inSeconds else {
            throw value.error("\(text) is outside \(describe(range.lowerBound))…\(describe(range.upperBound))")
        }
        return Duration.milliseconds(Int64((seconds * 1000).rounded()))
    }

    static func describe(_ duration: Duration) -> String {
        let milliseconds = Int64(duration.inMilliseconds.rounded())
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }

    static func resolve(path value: YAMLValue, against base: URL) throws -> String {
        try value.path(relativeTo: base)
    }
}
