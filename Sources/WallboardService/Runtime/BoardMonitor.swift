import Foundation
import Synchronization
import WallboardLayout
import WallboardProtocols
import WallboardRender

/// What the HTTP side may know about one board: its newest frame, how delivery is going, and
/// the operator's overrides. Board tasks write it; HTTP handlers read it; neither waits on the other.
public final class BoardMonitor: Sendable {
    public let id: String
    public let name: String
    /// "browser", "framebuffer" or the protocol name.
    public let output: String
    /// The device path, host:port or USB ID; nil for browser boards.
    public let device: String?
    public let layoutName: String
    public let stationID: String?
    public let width: Int
    public let height: Int
    public let format: PixelFormat
    /// Whether the board's brightness can be set (protocol boards only).
    public let controlsBrightness: Bool
    /// Whether the board's screen can be switched off and on (its driver has a command for it).
    public let switchesScreen: Bool
    /// A splicing wall's bezels: each screen shows its tile of the frame.
    public let bezels: Bezels
    /// Who may look: a `public` board faces the street; anything else (a preview too) is internal.
    public let privacy: PrivacyClass

    /// A level an operator set, until a moment or until they return the board to its schedule.
    public struct BrightnessOverride: Sendable, Hashable {
        public var level: Double
        public var until: Date?
    }

    /// A text an operator put on the board for a while (a test, or an announcement).
    public struct TestMessage: Sendable, Hashable {
        public var text: String
        public var until: Date
    }

    struct State {
        var frame: Frame?
        /// When the newest frame's picture may next change by itself (a clock's turn, a timer's
        /// second); nil before the first frame.
        var frameHoldsUntil: Date?
        var version = 0
        /// The source generation whose snapshot the newest frame was drawn from, changed or not.
        var drawnGeneration: Int?
        var changedAt: Date?
        /// When the snapshot behind a frame bound to new data was read, until that frame is on the wire.
        var freshSnapshotTakenAt: Date?
        /// A frame drawn ahead of the moment it shows (a clock's next turn) and when it is due:
        /// delivery makes it the newest frame then. A frame published before drops it.
        var scheduled: ScheduledFrame?
        /// How many frames have been scheduled: each one's number.
        var framesScheduled = 0
        /// The number of the scheduled frame that became the newest frame; nil when a frame published since is.
        var frameScheduled: Int?
        var message: TestMessage?
        var brightnessOverride: BrightnessOverride?
        var appliedBrightness: Double?
        /// The operator's choice of screen on or off, kept until they change it; nil: never chosen.
        var screenOnWanted: Bool?
        /// What the board's screen was last switched to; nil: not switched since the board was (re)connected.
        var screenOnApplied: Bool?
        var delivery = DeliveryRecord()
        var history = BoardHistory()
        var substitutions = SubstitutionRecord()
        /// An operator asked for the board's clock to be set; the delivery task does it next.
        var clockRequested = false
        var subscribers: [UUID: AsyncStream<Frame>.Continuation] = [:]
    }

    /// A frame drawn ahead: the picture of wall-clock moment `at`, due to delivery at `due`.
    struct ScheduledFrame {
        var frame: Frame
        var at: Date
        var due: ContinuousClock.Instant
        var holdsUntil: Date
        /// Tells it from the frames scheduled before and after it.
        var number: Int
    }

    struct DeliveryRecord {
        var health = BoardDeliveryStatus.waiting
        var lastDelivered: Date?
        var lastError: String?
        var lastErrorAt: Date?
        var bytesSent = 0
        var framesDelivered = 0
        var sendErrors = 0
    }

    let state = Mutex(State())
    /// Rung when an override changes, so the board redraws at once.
    /// Rung whenever the board's health changes.
    let healthWatchers = HealthWatchers()
    let renderBell: Doorbell
    /// Rung when a new frame or an override is there to send.
    let deliveryBell: Doorbell

    /// `ticker` keeps the bells' deadlines: the service's boards share one.
    init(id: String, name: String, output: String, device: String?, layoutName: String, stationID: String?,
         width: Int, height: Int, format: PixelFormat, controlsBrightness: Bool, switchesScreen: Bool = false, bezels: Bezels = .none, privacy: PrivacyClass = .internal,
         ticker: Ticker = Ticker())
    {
        renderBell = Doorbell(ticker: ticker)
        deliveryBell = Doorbell(ticker: ticker)
        self.id = id
        self.name = name
        self.output = output
        self.device = device
        self.layoutName = layoutName
        self.stationID = stationID
        self.width = width
        self.height = height
        self.format = format
        self.controlsBrightness = controlsBrightness
        self.switchesScreen = switchesScreen
        self.bezels = bezels
        self.privacy = privacy
    }

    /// The newest frame, nil before the first render.
    public var frame: Frame? { state.withLock { $0.frame } }

    /// The current frame, then each new one; a slow reader skips to the newest.
    public func frames() -> AsyncStream<Frame> {
        let (stream, continuation) = AsyncStream.makeStream(of: Frame.self, bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        state.withLock { state in
            state.subscribers[id] = continuation
            if let frame = state.frame { continuation.yield(frame) }
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    func publish(_ frame: Frame, at now: Date, freshSnapshotTakenAt: Date?, holdsUntil: Date) {
        state.withLock { state in
            state.scheduled = nil
            state.frameScheduled = nil
            state.frame = frame
            state.frameHoldsUntil = holdsUntil
            state.version += 1
            state.changedAt = now
            if let freshSnapshotTakenAt { state.freshSnapshotTakenAt = freshSnapshotTakenAt }
            for subscriber in state.subscribers.values { subscriber.yield(frame) }
        }
        deliveryBell.ring()
    }

    /// Hands delivery `frame`, the picture of wall-clock moment `moment`, drawn ahead of it: it
    /// becomes the newest frame at `due`, unless a frame published before then replaces it.
    func schedule(_ frame: Frame, at moment: Date, due: ContinuousClock.Instant, holdsUntil: Date) {
        state.withLock { state in
            state.framesScheduled += 1
            state.scheduled = ScheduledFrame(frame: frame, at: moment, due: due, holdsUntil: holdsUntil, number: state.framesScheduled)
        }
        deliveryBell.ring()
    }

    /// The frame drawn ahead that waits for its moment, if any.
    var scheduledFrame: ScheduledFrame? { state.withLock { $0.scheduled } }

    /// Makes the scheduled frame the newest one if it is due at `now`; else returns when it is due.
    func takeScheduledFrame(dueBy now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        state.withLock { state in
            guard let scheduled = state.scheduled else { return nil }
            guard scheduled.due <= now else { return scheduled.due }
            state.scheduled = nil
            state.frameScheduled = scheduled.number
            state.frame = scheduled.frame
            state.frameHoldsUntil = scheduled.holdsUntil
            state.version += 1
            state.changedAt = scheduled.at
            for subscriber in state.subscribers.values { subscriber.yield(scheduled.frame) }
            return nil
        }
    }

    /// The board has drawn the snapshot of source generation `generation` (its frame may not have changed).
    func recordDrawn(generation: Int) {
        state.withLock { $0.drawnGeneration = generation }
    }

    /// The source generation the board last drew; tests wait on it to know a snapshot was seen.
    var drawnGeneration: Int? { state.withLock { $0.drawnGeneration } }

    /// Shows `frame` on a preview (see `WallboardService.addPreview`).
    public func show(_ frame: Frame) {
        publish(frame, at: Date(), freshSnapshotTakenAt: nil, holdsUntil: .distantFuture)
    }

    func finishSubscribers() {
        let subscribers = state.withLock { state in
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }

    /// Shows `text` instead of the layout until `until`.
    public func showMessage(_ text: String, until: Date) {
        state.withLock { $0.message = TestMessage(text: text, until: until) }
        renderBell.ring()
    }

    /// Takes the operator's text off the board at once.
    public func clearMessage() {
        state.withLock { $0.message = nil }
        renderBell.ring()
    }

    func message(at now: Date) -> TestMessage? {
        state.withLock { state in
            guard let message = state.message else { return nil }
            if message.until <= now {
                state.message = nil
                return nil
            }
            return message
        }
    }

    /// Overrides the brightness schedule, until `until` when given; nil returns to it.
    public func overrideBrightness(_ level: Double?, until: Date? = nil) {
        state.withLock { $0.brightnessOverride = level.map { BrightnessOverride(level: $0, until: until) } }
        deliveryBell.ring()
    }

    /// The level an operator set, while it lasts; an expired override is dropped.
    func brightnessOverride(now: Date) -> Double? {
        state.withLock { state in
            guard let override = state.brightnessOverride else { return nil }
            if let until = override.until, until <= now {
                state.brightnessOverride = nil
                return nil
            }
            return override.level
        }
    }

    /// When the operator's brightness override ends by itself; nil when none does.
    var brightnessOverrideEnds: Date? { state.withLock { $0.brightnessOverride?.until } }

    /// Switches the board's screen on or off from the next delivery on, and after every reconnect;
    /// nil hands it back to the brightness schedule's `off` hours.
    public func switchScreen(on: Bool?) {
        state.withLock { $0.screenOnWanted = on }
        deliveryBell.ring()
    }

    /// The operator's choice of screen on or off; nil while the schedule decides.
    var screenOnWanted: Bool? { state.withLock { $0.screenOnWanted } }

    func recordDelivery(bytes: Int, at now: Date, brightness: Double?, screenOn: Bool?) {
        let healthChanged = state.withLock { state in
            let changed = state.history.record(.ok, at: now, detail: nil)
            state.delivery.health = .ok
            state.delivery.lastDelivered = now
            state.delivery.bytesSent += bytes
            state.delivery.framesDelivered += 1
            state.appliedBrightness = brightness
            state.screenOnApplied = screenOn
            return changed
        }
        if healthChanged { healthWatchers.ringAll() }
    }

    /// Bytes sent without a new frame (a brightness change, the clock, the screen switched), and
    /// the level and screen state now applied.
    func recordBytes(_ bytes: Int, brightness: Double?, screenOn: Bool?) {
        state.withLock { state in
            state.delivery.bytesSent += bytes
            state.appliedBrightness = brightness
            state.screenOnApplied = screenOn
        }
    }

    func recordFailure(_ message: String, at now: Date, bytes: Int) {
        let healthChanged = state.withLock { state in
            let changed = state.history.record(.failing, at: now, detail: message)
            state.delivery.health = .failing
            state.delivery.lastError = message
            state.delivery.lastErrorAt = now
            state.delivery.sendErrors += 1
            state.delivery.bytesSent += bytes
            state.appliedBrightness = nil
            state.screenOnApplied = nil
            return changed
        }
        if healthChanged { healthWatchers.ringAll() }
    }

    /// Notes characters of the data the board shows a placeholder for (a data warning, not a
    /// fault); returns those not noted before.
    func recordSubstitutions(_ characters: [Character], at now: Date) -> [Character] {
        state.withLock { $0.substitutions.record(characters, at: now) }
    }

    /// The characters of the data this board has shown a placeholder for; nil when none.
    public var textSubstitutions: TextSubstitutionReport? {
        state.withLock { state in
            let record = state.substitutions
            guard let since = record.since, let lastAt = record.lastAt else { return nil }
            return TextSubstitutionReport(board: id, characters: record.characters.map(\.named), count: record.characters.count, since: since, lastAt: lastAt)
        }
    }

    /// The board's health changes, newest first, each with how long it lasted until `now`.
    public func events(now: Date) -> [BoardEvent] {
        state.withLock { $0.history }.newestFirst(lastingUntil: now)
    }

    /// Sets the board's clock to the service's time at the next delivery.
    public func setClockNow() {
        state.withLock { $0.clockRequested = true }
        deliveryBell.ring()
    }

    /// Whether an operator asked for the clock to be set; asking clears the request.
    func takeClockRequest() -> Bool {
        state.withLock { state in
            defer { state.clockRequested = false }
            return state.clockRequested
        }
    }

    /// The status shown by `/api/v1/boards` and the index page.
    public var report: BoardReport {
        state.withLock { state in
            let isPreview = device == nil
            return BoardReport(
                id: id, name: name, output: output, device: device, layout: layoutName, station: stationID,
                width: width, height: height, format: format.rawValue,
                status: isPreview ? (state.frame == nil ? .waiting : .ok) : state.delivery.health,
                lastUpdate: state.changedAt, lastDelivered: state.delivery.lastDelivered,
                lastError: state.delivery.lastError, lastErrorAt: state.delivery.lastErrorAt,
                bytesSent: state.delivery.bytesSent, framesDelivered: state.delivery.framesDelivered,
                sendErrors: state.delivery.sendErrors,
                brightness: state.appliedBrightness, brightnessOverride: state.brightnessOverride?.level,
                brightnessOverrideUntil: state.brightnessOverride?.until,
                switchesScreen: switchesScreen, screenOn: state.screenOnApplied, screenOnWanted: state.screenOnWanted,
                message: state.message?.text, messageUntil: state.message?.until
            )
        }
    }
}

/// One board's status as the API reports it.
public struct BoardReport: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var output: String
    public var device: String?
    public var layout: String
    public var station: String?
    public var width: Int
    public var height: Int
    public var format: String
    public var status: BoardDeliveryStatus
    /// When the board's picture last changed.
    public var lastUpdate: Date?
    public var lastDelivered: Date?
    public var lastError: String?
    public var lastErrorAt: Date?
    public var bytesSent: Int
    public var framesDelivered: Int
    public var sendErrors: Int
    public var brightness: Double?
    public var brightnessOverride: Double?
    /// When the override ends and the board returns to its schedule; nil: until an operator returns it.
    public var brightnessOverrideUntil: Date?
    /// Whether the board's screen can be switched (`POST /api/v1/boards/ID/power`).
    public var switchesScreen: Bool
    /// What the screen was last switched to; nil: not switched since the board was last connected.
    public var screenOn: Bool?
    /// The operator's choice, sent again after every reconnect; nil: none made, the screen is as the board keeps it.
    public var screenOnWanted: Bool?
    public var message: String?
    public var messageUntil: Date?
}

/// One stretch of a board's health: from when, in which state, why, and until when.
public struct BoardEvent: Codable, Sendable, Hashable {
    public var status: BoardDeliveryStatus
    public var since: Date
    /// When the next stretch began; nil while this one lasts.
    public var until: Date?
    /// How long it lasted, or has lasted so far.
    public var seconds: Double
    /// For a failing stretch, the error that began it.
    public var detail: String?
    /// For a failing stretch, the failed attempts in it.
    public var failures: Int
}

/// The newest health changes of one board, oldest first, at most `capacity`.
struct BoardHistory {
    static let capacity = 50
    private(set) var events: [BoardEvent] = []

    /// The changes newest first, each with how long it lasted until `now`.
    func newestFirst(lastingUntil now: Date) -> [BoardEvent] {
        events.reversed().map { event in
            var event = event
            event.seconds = max(0, (event.until ?? now).timeIntervalSince(event.since))
            return event
        }
    }

    /// Counts a delivery's outcome; true when it began a new stretch.
    mutating func record(_ status: BoardDeliveryStatus, at now: Date, detail: String?) -> Bool {
        if let last = events.indices.last, events[last].status == status {
            if status == .failing { events[last].failures += 1 }
            return false
        }
        if let last = events.indices.last { events[last].until = now }
        events.append(BoardEvent(status: status, since: now, until: nil, seconds: 0, detail: detail, failures: status == .failing ? 1 : 0))
        if events.count > Self.capacity { events.removeFirst(events.count - Self.capacity) }
        return true
    }
}

/// How a board is doing, as the API reports it (`waiting`, `ok`, `failing`).
public enum BoardDeliveryStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Nothing shown or delivered yet.
    case waiting
    /// The last frame reached the board (for preview-only boards: there is a frame to show).
    case ok
    /// The last delivery failed; see `lastError`.
    case failing
}

/// The characters of the data one board could not show, each once, first seen first: a data
/// warning, never a board fault. At most `capacity` are kept, so hostile data cannot grow it.
struct SubstitutionRecord {
    static let capacity = 256
    private(set) var characters: [Character] = []
    private var noted: Set<Character> = []
    private(set) var since: Date?
    private(set) var lastAt: Date?

    /// Returns the characters not noted before.
    mutating func record(_ found: [Character], at now: Date) -> [Character] {
        guard !found.isEmpty else { return [] }
        lastAt = now
        var new: [Character] = []
        for character in found where noted.count < Self.capacity && noted.insert(character).inserted {
            new.append(character)
        }
        if !new.isEmpty, since == nil { since = now }
        characters += new
        return new
    }
}

/// What `/api/v1/source` reports for a board that shows placeholders for characters of the data.
public struct TextSubstitutionReport: Codable, Sendable, Hashable {
    public var board: String
    /// Each character as '喆' (U+5586), first seen first (at most `SubstitutionRecord.capacity`).
    public var characters: [String]
    public var count: Int
    /// When the first was seen, and when a frame last held one.
    public var since: Date
    public var lastAt: Date
}
