import Foundation
import WallboardDispatch
import WallboardProtocols
import WallboardSourceKit
import WallboardSupport
import WallboardTransportCore
import WallboardYAML

/// The whole service configuration: one YAML file, checked at start (see `ConfigLoader`).
public struct ServiceConfiguration: Sendable {
    /// The file it was read from; relative paths in it are resolved against its directory.
    public var file: String
    /// The centre's name, shown on boards whose layouts use `centre.name`.
    public var centreName: String
    public var source: SourceSettings
    public var http: HTTPSettings
    /// The Fonts directory; nil: found as `wallboard fonts` finds it.
    public var fontsDirectory: String?
    public var boards: [BoardConfiguration]
    public var processors: [ProcessorConfiguration]

    public init(
        file: String, centreName: String, source: SourceSettings, http: HTTPSettings, fontsDirectory: String? = nil, boards: [BoardConfiguration],
        processors: [ProcessorConfiguration] = []
    ) {
        self.file = file
        self.centreName = centreName
        self.source = source
        self.http = http
        self.fontsDirectory = fontsDirectory
        self.boards = boards
        self.processors = processors
    }
}

/// The preview, API, health and metrics server.
public struct HTTPSettings: Sendable {
    /// The address to bind; loopback unless the config says otherwise.
    public var address: String
    /// 0 picks a free port.
    public var port: Int
    /// Deprecated: one shared token, taken as a user named `admin` with the admin role.
    public var token: String?
    /// Who may use the service, each with a role and a token file.
    public var users: [HTTPUser]
    /// Whether the pages, streams and frames of `public` boards (door boards that face the street)
    /// may be opened without a credential when readers must otherwise authenticate.
    public var publicBoardsOpen: Bool
    /// Names clients reach the service by (lower case), besides IP addresses and `localhost`; a
    /// request naming another host is refused (a rebound DNS name is not this service).
    public var hosts: [String]
    /// Origins besides the service's own whose pages may open its WebSockets and send changes
    /// (`https://console.centre.example`).
    public var origins: [String]
    /// How long a client may take to send a request's head, and how long a kept-alive connection
    /// may sit idle, before it is closed.
    public var timeout: Duration
    /// Connections HTTP holds at most; fewer when the process's descriptor limit would leave the
    /// boards and the database too few.
    public var maxConnections: Int
    /// Connections one client address holds at most (a console opens one WebSocket per board).
    public var maxConnectionsPerClient: Int
    /// The audit trail of control actions and refused requests (JSON lines, hash-chained, one
    /// file per day beside this path); nil: none kept.
    public var audit: String?
    /// Days of the audit trail kept; older days' files are removed.
    public var auditRetentionDays: Int
    /// Where the enrolled kiosks are kept (the hashes of their cookies); nil: no kiosk can be enrolled.
    public var kiosks: String?
    /// The lowest level a brightness override may ask for; 0 (a dark board) only where the
    /// configuration says so.
    public var brightnessFloor: Double
    /// The certificate and key HTTPS is served with; nil: plain HTTP.
    public var tls: TLSFiles?
    /// Plain HTTP on an address other machines can reach, allowed in so many words (a warning at every start).
    public var insecure: Bool

    public init(
        address: String = "127.0.0.1", port: Int = 8080, token: String? = nil, users: [HTTPUser] = [], publicBoardsOpen: Bool = false,
        hosts: [String] = [], origins: [String] = [], timeout: Duration = .seconds(10), maxConnections: Int = 1024,
        maxConnectionsPerClient: Int = 256, audit: String? = nil, auditRetentionDays: Int = 180, kiosks: String? = nil, brightnessFloor: Double = 0.1, tls: TLSFiles? = nil, insecure: Bool = false
    ) {
        self.address = address
        self.port = port
        self.token = token
        self.users = users
        self.publicBoardsOpen = publicBoardsOpen
        self.hosts = hosts
        self.origins = origins
        self.timeout = timeout
        self.maxConnections = maxConnections
        self.maxConnectionsPerClient = maxConnectionsPerClient
        self.audit = audit
        self.auditRetentionDays = auditRetentionDays
        self.kiosks = kiosks
        self.brightnessFloor = brightnessFloor
        self.tls = tls
        self.insecure = insecure
    }

    /// Whether `address` is reachable from this machine only.
    public var isLoopback: Bool {
        address == "localhost" || address == "::1" || address.hasPrefix("127.")
    }

    /// Whether reading (pages, streams, frames, the read API) needs a credential: always once users
    /// are configured, and on any address other machines can reach.
    public var readersMustAuthenticate: Bool {
        !users.isEmpty || !isLoopback
    }
}

/// The PEM files HTTPS is served with, read at start and again on SIGHUP.
public struct TLSFiles: Sendable, Equatable {
    /// The server's certificate, followed by any intermediate certificates.
    public var certificate: String
    /// The certificate's private key, readable by the service's user only.
    public var key: String
    public var location: SourceLocation

    public init(certificate: String, key: String, location: SourceLocation) {
        self.certificate = certificate
        self.key = key
        self.location = location
    }
}

/// Someone who may use the HTTP side: a name for the record, a role, and the file holding the token.
public struct HTTPUser: Sendable, Equatable {
    /// Each role may do what the roles before it may.
    public enum Role: String, Sendable, CaseIterable, Comparable {
        /// Pages, streams, frames and the read API.
        case viewer
        /// Also messages, brightness and the clock.
        case `operator`
        /// Also what administers the service.
        case admin

        public static func < (lhs: Role, rhs: Role) -> Bool {
            allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
        }
    }

    public var name: String
    public var role: Role
    /// Read when the service starts (see `AccessTokens.read`).
    public var tokenFile: String
    public var location: SourceLocation

    public init(name: String, role: Role, tokenFile: String, location: SourceLocation) {
        self.name = name
        self.role = role
        self.tokenFile = tokenFile
        self.location = location
    }
}

/// A video-wall processor beside the boards (`processors:`). Its screen, preset, slot and
/// interface numbers are as the processor's console shows them, from 1; `NovaStarNumber` converts
/// them to the 0-based wire.
public struct ProcessorConfiguration: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case novastarH = "novastar-h"
    }

    public struct Preset: Equatable, Sendable {
        public let name: String
        public let number: NovaStarNumber
    }

    public var id: String
    public var kind: Kind
    /// An IPv4 address.
    public var host: String
    public var port: UInt16
    public var screen: NovaStarNumber
    /// In the order the file lists them; `normal` and `massCasualty` among them.
    public var presets: [Preset]
    public var brightness: BrightnessSchedule?
    /// The input that carries the wall PC, whose signal is watched.
    public var signal: NovaStarInput?
    /// Which preset the dispatch state asks for, first match wins; `normal` when none matches.
    public var rules: [ProcessorRule]
    public var location: SourceLocation

    public func preset(named name: String) -> NovaStarNumber? { presets.first { $0.name == name }?.number }

    /// The preset loaded while no rule matches.
    public static let normalPreset = "normal"

    /// The rules of a processor whose configuration writes none.
    public static let defaultRules = [ProcessorRule(preset: "massCasualty", condition: .massCasualty)]
}

/// One of a processor's `rules:`: load `preset` while `condition` holds.
public struct ProcessorRule: Sendable, Hashable {
    /// A state of the dispatch snapshot a rule can name (`when:`).
    public enum Condition: String, Sendable, CaseIterable {
        /// An active incident of category 成批伤员 or with the ticker's count of casualties or more.
        case massCasualty
        /// An active incident of priority 危重.
        case criticalIncident
    }

    public var preset: String
    public var condition: Condition

    public init(preset: String, condition: Condition) {
        self.preset = preset
        self.condition = condition
    }
}

/// One board: what it shows and where its frames go.
public struct BoardConfiguration: Sendable {
    /// Short and URL-safe: it names the board in URLs and metrics.
    public var id: String
    public var name: String
    /// The station a door board belongs to.
    public var stationID: String?
    /// The layout file, resolved against the config file's directory.
    public var layoutPath: String
    public var output: BoardOutput
    /// The font library of a font-card controller: GB2312, or GBK where the card has it.
    public var charset: ControllerCharset
    /// A C-Power card's card ID and network ID code (`cardID`, `idCode`).
    public var cpowerCard: CPowerCardAddress
    public var brightness: BrightnessSchedule?
    /// When the board's clock is set each day (it is also set whenever the board reconnects).
    public var clockSync: TimeOfDay?
    /// How often the frame is redrawn; nil: chosen from the layout and the output.
    public var frameInterval: Duration?
    /// Where the board is described in the config, for errors found later (an unknown protocol).
    public var location: SourceLocation

    public init(
        id: String, name: String, stationID: String? = nil, layoutPath: String, output: BoardOutput,
        charset: ControllerCharset = .gb2312, cpowerCard: CPowerCardAddress = CPowerCardAddress(), brightness: BrightnessSchedule? = nil, clockSync: TimeOfDay? = nil, frameInterval: Duration? = nil,
        location: SourceLocation
    ) {
        self.id = id
        self.name = name
        self.stationID = stationID
        self.layoutPath = layoutPath
        self.output = output
        self.charset = charset
        self.cpowerCard = cpowerCard
        self.brightness = brightness
        self.clockSync = clockSync
        self.frameInterval = frameInterval
        self.location = location
    }
}

/// Where a board's frames go.
public enum BoardOutput: Sendable {
    /// Only the browser page (an HDMI wall showing the kiosk page, or a preview).
    case browser
    /// A Linux framebuffer device (or a file of the same size, for tests).
    case framebuffer(path: String, format: FramebufferFormat)
    /// A board of `model` (its protocol and controller) on `transport`.
    case device(model: BoardModel, transport: any TransportSetting)

    public var kindName: String {
        switch self {
        case .browser: "browser"
        case .framebuffer: "framebuffer"
        case .device(let model, _): model.name
        }
    }
}

/// The pixel layout of a framebuffer device.
public enum FramebufferFormat: String, Sendable, CaseIterable {
    case rgb565
    case xrgb8888

    public var bytesPerPixel: Int {
        switch self {
        case .rgb565: 2
        case .xrgb8888: 4
        }
    }
}

/// A time of day in the centre's time zone.
public struct TimeOfDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var minuteOfDay: Int

    public init(hour: Int, minute: Int) {
        minuteOfDay = hour * 60 + minute
    }

    /// Parses "HH:mm".
    public init?(_ text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        self.init(hour: hour, minute: minute)
    }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.minuteOfDay < rhs.minuteOfDay }

    public var description: String {
        let hour = minuteOfDay / 60, minute = minuteOfDay % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }

    /// The time of day of `date` in `timeZone`.
    public static func of(_ date: Date, in timeZone: TimeZone) -> TimeOfDay {
        let parts = Calendar.gregorian(in: timeZone).dateComponents([.hour, .minute], from: date)
        return TimeOfDay(hour: parts.hour ?? 0, minute: parts.minute ?? 0)
    }
}

/// Brightness by time of day: each entry holds from its time until the next (night dimming).
public struct BrightnessSchedule: Sendable, Hashable {
    /// What a board without a schedule returns to after an override.
    public static let fullLevel = 1.0

    public struct Entry: Sendable, Hashable {
        public var from: TimeOfDay
        /// 0 (darkest the board goes) to 1 (full).
        public var level: Double
        /// `level: off`: the screen off from this entry until the next (a board's screen power where
        /// its controller has the command, a processor's fade to black).
        public var off: Bool

        public init(from: TimeOfDay, level: Double, off: Bool = false) {
            self.from = from
            self.level = level
            self.off = off
        }
    }

    /// Sorted by time, at least one.
    public let entries: [Entry]

    public init?(_ entries: [Entry]) {
        guard !entries.isEmpty else { return nil }
        self.entries = entries.sorted { $0.from < $1.from }
    }

    /// The level in force at `time`: the last entry at or before it, else (before the first
    /// entry of the day) the last entry of the day before.
    public func level(at time: TimeOfDay) -> Double {
        entry(at: time).level
    }

    /// Whether the schedule switches the screen off at some hour; without an `off` entry the
    /// screen is never touched by the schedule.
    public var switchesScreenOff: Bool { entries.contains(where: \.off) }

    /// The entry in force at `time`, as `level(at:)` finds it.
    public func entry(at time: TimeOfDay) -> Entry {
        entries.last { $0.from <= time } ?? entries[entries.count - 1]
    }
}
