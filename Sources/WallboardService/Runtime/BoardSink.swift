import Foundation
import Synchronization
import WallboardConfig
import WallboardDrivers
import WallboardLayout
import WallboardProtocols
import WallboardRender
import WallboardTransport
import WallboardTransportCore

/// Where a board's frames go besides the browser preview: a protocol board through its link,
/// or a framebuffer. Each board has its own sink, used only by that board's delivery task.
protocol BoardSink: Sendable {
    /// The device path, host:port or USB ID, for status and errors.
    var deviceName: String { get }
    /// Whether the device takes brightness and clock commands (a framebuffer does not).
    var takesCommands: Bool { get }
    /// How often the last frame must be sent again in full (boards that forget); nil: never.
    var resendInterval: Duration? { get }
    /// The least time the device's controller allows between two frames; nil: none.
    var minimumUpdateInterval: Duration? { get }
    /// Writes `frame` as the board must show it at `now`, only what changed since `previous`
    /// (the frame delivered before, and when) where the device allows; nil: all of it. Returns
    /// the bytes written; throws `SinkError` with the bytes written before the failure.
    func deliver(_ frame: Frame, at now: Date, previous: (frame: Frame, at: Date)?) async throws(SinkError) -> Int
    func setBrightness(_ level: Double) async throws(SinkError) -> Int
    func setClock(_ date: Date, timeZone: TimeZone) async throws(SinkError) -> Int
    /// Whether the device's screen can be switched on and off (`setScreen`).
    var switchesScreen: Bool { get }
    /// Switches the screen on or off; asked only of a sink that `switchesScreen`.
    func setScreen(on: Bool) async throws(SinkError) -> Int
    /// When the frame last delivered must be sent again by itself (the next phase of a blink the
    /// controller cannot do, or a refill of the pages by which it counts a timer); nil when it need not.
    func nextChange(of frame: Frame, after now: Date) -> Date?
    /// Waits after a failed delivery, as long as the device's delivery policy says, or less
    /// where the sink learns that its device is back.
    func waitAfterFailure() async
    /// The characters of `text` the device's own fonts cannot show, each once (it is sent
    /// placeholders for them); empty where this service draws the pixels.
    func unshowableCharacters(in text: String) -> [Character]
    /// The same for all the text areas of `frame`.
    func substitutions(in frame: Frame) -> [Character]
    /// Whether the device shows `frame` as it shows `other`: a controller that draws in its own
    /// fonts is sent text areas, not pixels (a scroll it runs itself is the same text).
    func showsTheSame(_ frame: Frame, as other: Frame) -> Bool
    /// Gives the board back to what it shows without the service, once, as the service stops.
    func farewell() async
    /// Keeps the device's session alive while nothing else is sent (Huidu's heartbeat); the
    /// bytes written, and `SinkError` when the link counts as lost.
    func keepAlive() async throws(SinkError) -> Int
    /// When `keepAlive` next has something to send; nil while it has nothing to keep alive.
    var nextKeepAlive: ContinuousClock.Instant? { get async }
    /// How many connections to the device have been opened so far; 0 for sinks without one.
    var connectionsOpened: Int { get }
}

extension BoardSink {
    func nextChange(of frame: Frame, after now: Date) -> Date? { nil }
    func unshowableCharacters(in text: String) -> [Character] { [] }
    func substitutions(in frame: Frame) -> [Character] { [] }
    func showsTheSame(_ frame: Frame, as other: Frame) -> Bool { frame == other }
    func farewell() async {}
    var minimumUpdateInterval: Duration? { nil }
    var switchesScreen: Bool { false }
    func setScreen(on: Bool) async throws(SinkError) -> Int { 0 }
    func keepAlive() async throws(SinkError) -> Int { 0 }
    var nextKeepAlive: ContinuousClock.Instant? { nil }
    var connectionsOpened: Int { 0 }

    /// Sinks without a delivery policy (a framebuffer) are tried again each second.
    func waitAfterFailure() async {
        try? await Task.sleep(for: .seconds(1))
    }
}

/// A delivery that failed: what happened, on which device, and what got out before it.
struct SinkError: Error, CustomStringConvertible {
    var description: String
    var bytesWritten: Int
}

/// A frame encoded for the moment it shows, against what the board shows before it, and not
/// yet written (`PreparingSink`).
struct PreparedFrame: Sendable {
    /// The wire messages, in order; none when the board already shows the frame.
    let messages: [[UInt8]]
    /// What the board counts by itself once they are sent.
    let pages: CountingPages
}

/// A sink that encodes a frame apart from writing it: a frame drawn ahead of its moment (a
/// clock's turn) is encoded as it is drawn, so that at the moment only the writes are left.
protocol PreparingSink: BoardSink {
    /// What `deliver` would write for `frame` at `moment` after `previous`, without writing it
    /// or changing what the sink keeps of the board.
    func prepare(_ frame: Frame, at moment: Date, previous: (frame: Frame, at: Date)?) throws(SinkError) -> PreparedFrame
    /// Writes `prepared` and keeps what it leaves the board counting. Right only while nothing
    /// was sent to the board since it was prepared.
    func send(_ prepared: PreparedFrame) async throws(SinkError) -> Int
}

/// A protocol board: the driver turns frames into messages, the link carries them.
final class DriverSink: PreparingSink {
    let driver: any BoardDriver
    let link: BoardLink
    let deviceName: String
    /// Known once: the driver finds it by encoding the command, and delivery asks on every round.
    let switchesScreen: Bool
    /// What the board counts by itself; only the board's delivery task delivers.
    private let pages = Mutex(CountingPages())

    init(driver: any BoardDriver, transport: any Transport, name: String) {
        self.driver = driver
        link = BoardLink(name: name, transport: transport, replies: driver.replies, session: driver.session)
        deviceName = transport.deviceName
        switchesScreen = driver.switchesScreen
    }

    var takesCommands: Bool { true }
    var resendInterval: Duration? { driver.refreshInterval }
    var minimumUpdateInterval: Duration? { driver.model.minimumUpdateInterval }

    func deliver(_ frame: Frame, at now: Date, previous: (frame: Frame, at: Date)?) async throws(SinkError) -> Int {
        try await send(prepare(frame, at: now, previous: previous))
    }

    func prepare(_ frame: Frame, at moment: Date, previous: (frame: Frame, at: Date)?) throws(SinkError) -> PreparedFrame {
        var counted = pages.withLock { $0 }
        // What the board shows of `previous` is taken as its phase says; a new text that went
        // out lit in a dark phase is at worst sent lit again, or left lit until the next phase.
        let messages = try encoded {
            try driver.messages(
                for: driver.frameToSend(frame, at: moment, after: previous?.frame), previous: previous.map { driver.frameToSend($0.frame, at: $0.at) },
                at: moment, pages: &counted)
        }
        return PreparedFrame(messages: messages, pages: counted)
    }

    func send(_ prepared: PreparedFrame) async throws(SinkError) -> Int {
        pages.withLock { $0 = prepared.pages }
        return try await write(prepared.messages)
    }

    func setBrightness(_ level: Double) async throws(SinkError) -> Int {
        try await write(encoded { try driver.brightness(level) })
    }

    func setClock(_ date: Date, timeZone: TimeZone) async throws(SinkError) -> Int {
        try await write(encoded { try driver.clock(date, timeZone: timeZone) })
    }

    func setScreen(on: Bool) async throws(SinkError) -> Int {
        try await write(encoded { try driver.screenPower(on: on) })
    }

    func nextChange(of frame: Frame, after now: Date) -> Date? {
        let blink = driver.nextBlinkPhase(of: frame, after: now)
        guard let refill = pages.withLock({ $0.refillDue }) else { return blink }
        return min(blink ?? refill, refill)
    }

    func waitAfterFailure() async {
        await link.waitAfterFailure()
    }

    var connectionsOpened: Int { link.connectionsOpened }

    var nextKeepAlive: ContinuousClock.Instant? {
        get async { driver.session?.keepAlive == nil ? nil : await link.nextKeepAlive }
    }

    func keepAlive() async throws(SinkError) -> Int {
        // Only a session is kept alive: the other boards' loops never wait on their link for it.
        guard driver.session?.keepAlive != nil, let report = await link.keepAlive() else { return 0 }
        if case .failed = report.outcome {
            throw SinkError(description: "\(deviceName): \(report.lastError ?? "the link is lost")", bytesWritten: report.bytesWritten)
        }
        return report.bytesWritten
    }

    func unshowableCharacters(in text: String) -> [Character] {
        driver.unshowableCharacters(in: text)
    }

    func substitutions(in frame: Frame) -> [Character] {
        driver.substitutions(in: frame)
    }

    func showsTheSame(_ frame: Frame, as other: Frame) -> Bool {
        driver.repertoire == nil ? frame == other : frame.textAreas == other.textAreas
    }

    /// One delivery as the link's policy allows; a board that does not take it is left as it is.
    func farewell() async {
        guard let messages = try? driver.farewell(), !messages.isEmpty else { return }
        _ = await link.deliver(messages, pause: driver.pauseBetweenMessages)
    }

    private func encoded(_ encode: () throws -> [[UInt8]]) throws(SinkError) -> [[UInt8]] {
        do {
            return try encode()
        } catch {
            throw SinkError(description: "\(deviceName): cannot encode for this board: \(error)", bytesWritten: 0)
        }
    }

    private func write(_ messages: [[UInt8]]) async throws(SinkError) -> Int {
        let report = await link.deliver(messages, pause: driver.pauseBetweenMessages)
        if case .failed(let health, let attempts) = report.outcome {
            let detail = report.lastError.map { ": \($0)" } ?? ""
            throw SinkError(description: "\(deviceName): \(health) after \(attempts) attempt\(attempts == 1 ? "" : "s")\(detail)", bytesWritten: report.bytesWritten)
        }
        return report.bytesWritten
    }
}

/// Something in the configuration that only shows when the service is put together: a layout
/// that does not load, a protocol no driver speaks, a layout that does not fit its output.
public struct ServiceSetupError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension BoardModel {
    /// Why `layout` cannot be shown on this controller, naming the limit it exceeds; nil when it fits.
    func refusal(of layout: Layout) -> String? {
        guard let limits = textLimits else { return nil }
        let (state, count) = layout.mostTextAreasAtOnce
        guard count > limits.maximumAreas else { return nil }
        return "layout \(layout.name) shows up to \(count) text areas at once (state '\(state)', the stale banner included); "
            + "a \(title) (\(name)) holds at most \(limits.maximumAreas)"
    }
}
