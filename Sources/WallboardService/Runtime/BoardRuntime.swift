import Foundation
import Logging
import ServiceLifecycle
import WallboardConfig
import WallboardDispatch
import WallboardLayout
import WallboardRender
import WallboardSupport
import WallboardText

/// One board: a render task that redraws on new data, when its picture can next change (a known
/// change drawn a little ahead) and on overrides, and — for
/// boards with a device — a delivery task that sends the newest frame. The two share only the
/// monitor, so a slow device skips frames instead of delaying the picture, and no board ever
/// waits on another.
final class BoardRuntime: Service, Sendable {
    let configuration: BoardConfiguration
    let monitor: BoardMonitor
    let renderer: BoardRenderer
    let sink: (any BoardSink)?
    let feed: SourceFeed
    let metrics: BoardMetrics
    let frameInterval: Duration
    let timeZone: TimeZone
    /// Fonts for operator messages, tallest tried first.
    let messageFonts: [FontChain]
    /// The time of day; only ever read, so a step of the system clock (NTP) moves the picture
    /// with it, while waiting always runs on the monotonic clock.
    let wallClock: @Sendable () -> Date
    /// Where a board that stops taking frames, and its return, are written: once each, not on every retry.
    let logger: Logger
    /// What of the dispatch state this board's layout can show: a new snapshot that changes none
    /// of it is not bound again.
    let readScope: ReadScope
    /// How many seconds before a known change (a clock's turn) the board draws its frame: 0.3
    /// to 0.7, spread over the boards so that a thousand of them do not all draw at once.
    let drawAhead: TimeInterval

    init(configuration: BoardConfiguration, monitor: BoardMonitor, renderer: BoardRenderer, sink: (any BoardSink)?,
         feed: SourceFeed, metrics: BoardMetrics, timeZone: TimeZone, messageFonts: [FontChain],
         wallClock: @escaping @Sendable () -> Date, logger: Logger)
    {
        self.wallClock = wallClock
        self.logger = logger
        self.configuration = configuration
        self.monitor = monitor
        self.renderer = renderer
        self.sink = sink
        self.feed = feed
        self.metrics = metrics
        self.timeZone = timeZone
        self.messageFonts = messageFonts
        frameInterval = configuration.frameInterval
            ?? BoardRuntime.defaultInterval(layout: renderer.layout, drawsPixelsHere: sink == nil || sink is FramebufferSink)
        readScope = ReadScope(boards: [(renderer.identity.stationID, renderer.layout)])
        drawAhead = BoardRuntime.drawAhead(forBoard: configuration.id)
        feed.listen(monitor.renderBell)
    }

    /// How long before a known change board `id` draws it: 0.3–0.7 s, spread over the boards so
    /// that a thousand do not all draw at once, and the same for a board at every start (a sum of
    /// its name's bytes, not `hashValue`, which each process seeds anew).
    static func drawAhead(forBoard id: String) -> TimeInterval {
        let spread = id.utf8.enumerated().reduce(0) { ($0 &* 31 &+ Int($1.element) &+ $1.offset) & 0xFFFF }
        return 0.3 + Double(spread % 400) / 1000
    }

    /// Animated layouts redraw ten times a second where this service draws the pixels (browser,
    /// framebuffer); everything else once a second, on the second, for clocks and timers.
    /// Protocol boards get one frame a second at most: font cards scroll their own text, and a
    /// serial line could not carry more graphic frames anyway (`refresh` in the config overrides).
    static func defaultInterval(layout: Layout, drawsPixelsHere: Bool) -> Duration {
        drawsPixelsHere && layout.animates ? .milliseconds(100) : .seconds(1)
    }

    func run() async {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.renderLoop() }
                if let sink = self.sink {
                    group.addTask { await self.deliveryLoop(sink) }
                }
            }
        }
        if let sink {
            // A task of its own: the board's task is cancelled by now, and the farewell must still go out.
            await Task { await sink.farewell() }.value
        }
        monitor.finishSubscribers()
    }

    // MARK: Rendering

    private func renderLoop() async {
        var bound: BoundBoard?
        var boundFor: (revision: Int, staleSince: Date?)?
        var drawnGeneration: Int?
        var lastFrame: Frame?
        // What the board sleeps until (a wall-clock moment), when it drew last and the message it
        // showed then, and the coming change it draws ahead of time on waking then, if any.
        var asleep: (until: Date, drewAt: Date, message: BoardMonitor.TestMessage?, ahead: Date?)?
        // The coming moment whose frame this round draws, for delivery to send at that moment.
        var ahead: Date?
        while !Task.isCancelled {
            let now = wallClock()
            let (state, generation, revision) = feed.current(readBy: readScope)
            let staleSince = feed.staleSince(state.health, now: now)
            let message = monitor.message(at: now)
            let rebinds = bound == nil || boundFor?.revision != revision || boundFor?.staleSince != staleSince
            // Woken by a ring that changes nothing this board shows (another station's dispatch):
            // back to sleep, without drawing, until the moment it slept for. A clock stepped back draws.
            if !rebinds, ahead == nil, let sleeping = asleep, message == sleeping.message, sleeping.drewAt <= now, now < sleeping.until {
                recordDrawn(generation, &drawnGeneration)
                await monitor.renderBell.wait(until: instant(of: sleeping.until))
                ahead = wallClock() >= sleeping.until ? sleeping.ahead : nil
                continue
            }
            var freshData: Date?
            // A snapshot that changed nothing this board reads (another station's dispatch) is not bound.
            if rebinds {
                // Rebinding keeps what did not change (context rows, widgets, drawn layers).
                if bound == nil {
                    bound = renderer.bind(state.snapshot, staleSince: staleSince)
                } else {
                    bound?.rebind(state.snapshot, staleSince: staleSince)
                }
                if boundFor?.revision != revision { freshData = state.snapshot?.takenAt }
                boundFor = (revision, staleSince)
                metrics.snapshotsBound.increment()
                // What changed goes out now, not with the tick drawn ahead.
                ahead = nil
            }
            if message != nil { ahead = nil }
            let moment = ahead.map { max($0, now) } ?? now
            // The frame at wall-clock moment `wall`, and when its picture may next change by itself
            // (nil: never), on the wall clock.
            func draw(at wall: Date) -> (frame: Frame, changes: Date?)? {
                // Clocks and timers run on the data's clock (a simulation may run faster than the wall's).
                let dataMoment = state.snapshot?.dataTime(atWall: wall) ?? wall
                // Drawn where it is, never copied, so that drawing changes its pixels in place.
                guard let drawn = bound?.render(at: dataMoment).frame else { return nil }
                return (drawn, bound?.nextChange(after: dataMoment).map { change in
                    guard change > dataMoment else { return wall }
                    return state.snapshot.map { $0.wallTime(atData: change) ?? wall } ?? change
                })
            }
            var frame: Frame
            var changes: Date?
            // The moment the frame shows: `moment`, or the turn it carries.
            var shows = moment
            if let message {
                frame = messageFrame(message.text)
                changes = message.until
            } else if let drawn = draw(at: moment) {
                (frame, changes) = drawn
                if staleSince == nil, let turn = turnCarried(after: moment, from: frame, since: lastFrame, changes: changes, draw: draw) {
                    (frame, changes) = (turn.frame, turn.changes)
                    shows = turn.moment
                }
            } else {
                return
            }
            // Stale, the board looks every tick for the data's return; fresh, the feed rings when it goes stale.
            if staleSince != nil { changes = moment }
            recordDrawn(generation, &drawnGeneration)
            metrics.framesRendered.increment()
            // A blinking area changes every half second: boards that take pixels see it only if drawn that often.
            let blinks = frame.textAreas.contains(where: \.blinks)
            let next = tick(atOrAfter: changes, after: shows, every: blinks ? min(frameInterval, .milliseconds(500)) : frameInterval)
            if frame != lastFrame {
                lastFrame = frame
                metrics.framesChanged.increment()
                if moment > now {
                    monitor.schedule(frame, at: moment, due: instant(of: moment), holdsUntil: next)
                } else {
                    monitor.publish(frame, at: now, freshSnapshotTakenAt: freshData, holdsUntil: next)
                }
                noteSubstitutions(in: frame, at: now)
            }
            // A change known ahead (a clock's turn) is drawn a little before it and sent on time,
            // rather than drawn by every board at once as it comes; also a timer's next second,
            // and the next tick of text that moves on the drawn board (a long standby list: the
            // minute turns while it scrolls), when waking `drawAhead` before it still leaves a
            // tenth of a second from now. Stale, the board draws at the tick, looking for the data.
            let drawsAhead = sink != nil && changes != nil && staleSince == nil && next.timeIntervalSince(wallClock()) > drawAhead + 0.1
            let wake = drawsAhead ? next.addingTimeInterval(-drawAhead) : next
            asleep = (wake, now, message, drawsAhead ? next : nil)
            // Asleep until then, or until the bell rings for new data, a message or an override.
            await monitor.renderBell.wait(until: instant(of: wake))
            ahead = drawsAhead && wallClock() >= wake ? next : nil
        }
    }

    /// A controller that takes one frame an interval (a font card) and is sent a change (new
    /// data, drawn as it comes: a change that comes by itself, an alert's end, is drawn on the
    /// tick after it) within an interval before what it shows next turns (the minute of an HH:mm
    /// clock) would take the turn only when that interval is up, late, and spend the
    /// interval after it: a dispatch then could wait for it. When what it shows at the turn then
    /// holds for an interval, the change is drawn as at the turn instead: one frame, the turn
    /// shown up to an interval early. Nil otherwise (a timer turns again within the interval).
    private func turnCarried(
        after moment: Date, from frame: Frame, since lastFrame: Frame?, changes: Date?, draw: (Date) -> (frame: Frame, changes: Date?)?
    ) -> (frame: Frame, changes: Date?, moment: Date)? {
        guard let sink, let interval = sink.minimumUpdateInterval?.inSeconds, let changes, !(lastFrame.map { sink.showsTheSame(frame, as: $0) } ?? false) else { return nil }
        let turn = tick(atOrAfter: changes, after: moment, every: frameInterval)
        guard turn.timeIntervalSince(moment) < interval, let atTurn = draw(turn), !sink.showsTheSame(atTurn.frame, as: frame) else { return nil }
        // Frames go on this board's ticks: what it would be sent until the interval after the turn is up.
        var later = atTurn.changes
        while let change = later, change.timeIntervalSince(turn) <= interval {
            let next = tick(atOrAfter: change, after: turn, every: frameInterval)
            guard next.timeIntervalSince(turn) <= interval else { break }
            guard let drawn = draw(next), sink.showsTheSame(drawn.frame, as: atTurn.frame) else { return nil }
            later = drawn.changes.map { max($0, next.addingTimeInterval(frameInterval.inSeconds)) }
        }
        return (atTurn.frame, atTurn.changes, turn)
    }

    private func recordDrawn(_ generation: Int, _ drawnGeneration: inout Int?) {
        guard drawnGeneration != generation else { return }
        monitor.recordDrawn(generation: generation)
        drawnGeneration = generation
    }

    /// The continuous clock's instant at wall-clock moment `moment`: at least a millisecond
    /// ahead, at most `longestSleep`, whatever the moment.
    private func instant(of moment: Date) -> ContinuousClock.Instant {
        let wait = min(Self.longestSleep, max(0.001, moment.timeIntervalSince(wallClock())))
        return ContinuousClock.now.advanced(by: .milliseconds(Int64(((wait.isFinite ? wait : Self.longestSleep) * 1000).rounded(.up))))
    }

    /// The first multiple of `interval` on the wall clock after `drawn` (the moment the last
    /// frame shows) and at or after `change` (so clocks turn on the second); at most
    /// `longestSleep` away, as when nothing changes by itself (nil `change`).
    private func tick(atOrAfter change: Date?, after drawn: Date, every frameInterval: Duration) -> Date {
        let interval = max(0.01, frameInterval.inSeconds)
        let wall = drawn.timeIntervalSince1970
        let nextTick = ((wall / interval).rounded(.down) + 1) * interval
        let target = change.map { max(nextTick, ($0.timeIntervalSince1970 / interval).rounded(.up) * interval) } ?? wall + Self.longestSleep
        return Date(timeIntervalSince1970: target.isFinite ? min(target, wall + Self.longestSleep) : wall + Self.longestSleep)
    }

    /// How long a board whose picture does not change by itself sleeps before it looks again.
    static let longestSleep = 60.0

    /// Characters of the data the board shows a placeholder for (a box drawn here, or the
    /// controller's own): reported once per board and character, as a data warning.
    private func noteSubstitutions(in frame: Frame, at now: Date) {
        var found = frame.missingCharacters.sorted { $0.unicodeScalars.map(\.value).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
        for character in sink?.substitutions(in: frame) ?? [] where !frame.missingCharacters.contains(character) { found.append(character) }
        let new = monitor.recordSubstitutions(found, at: now)
        guard !new.isEmpty else { return }
        metrics.textSubstitutions.increment(by: Int64(new.count))
        logger.notice(
            "board \(configuration.id) shows a placeholder for \(new.map(\.named).joined(separator: ", ")) in the data: its fonts lack them",
            metadata: ["board": "\(configuration.id)"]
        )
    }

    /// The characters of an operator's `text` this board cannot show, each once, in the order
    /// they appear: missing from the fonts the message is drawn in, or from the controller's own.
    func unshowableCharacters(inMessage text: String) -> [Character] {
        let area = Rect(x: 0, y: 0, width: renderer.layout.width, height: renderer.layout.height)
        let notDrawn = Set(messageLayout(text, in: area)?.missing ?? [])
        let notShown = Set(sink?.unshowableCharacters(in: text) ?? [])
        var found: [Character] = []
        for character in text where !found.contains(character) {
            if notShown.contains(character) || character.unicodeScalars.contains(where: notDrawn.contains) { found.append(character) }
        }
        return found
    }

    private func messageLayout(_ text: String, in area: Rect) -> TextLayout? {
        TextLayout.largestFitting(text, chains: messageFonts, width: area.width, height: area.height)
    }

    /// An operator's message over the whole board, in the largest font that fits.
    func messageFrame(_ text: String) -> Frame {
        let layout = renderer.layout
        var canvas = Canvas(width: layout.width, height: layout.height, format: layout.format)
        let area = canvas.bitmap.bounds
        guard let textLayout = messageLayout(text, in: area) else {
            return Frame(bitmap: canvas.bitmap)
        }
        let colour: Color = layout.format == .bicolor ? .amber : .on
        let missing = textLayout.draw(on: &canvas, in: area, horizontal: .centre, vertical: .middle, colour: colour)
        let textArea = TextArea(
            id: 1, rect: area, runs: [TextArea.Run(text, colour: colour)], alignment: .centre,
            motion: textLayout.fits ? .still : .toRead, fontHeight: textLayout.chain.lineHeight
        )
        return Frame(bitmap: canvas.bitmap, textAreas: [textArea], missingCharacters: Set(missing.map(Character.init)))
    }

    // MARK: Delivery

    private func deliveryLoop(_ sink: any BoardSink) async {
        var delivered: (frame: Frame, version: Int, at: Date)?
        var appliedBrightness: Double?
        var brightnessEverSet = false
        var appliedScreenOn: Bool?
        var clockSetAt: Date?
        var lastFullSend: ContinuousClock.Instant?
        var lastFrameSent: ContinuousClock.Instant?
        var failures = 0
        var failingSince: Date?
        let preparing = sink as? any PreparingSink
        // The frame drawn ahead, encoded against `delivered` as it was drawn: dropped whenever
        // anything is sent to the board or its state is lost, so that it is never sent after them.
        var prepared: (frame: PreparedFrame, number: Int, at: Date)?
        while !Task.isCancelled {
            metrics.deliveryWakeups.increment()
            let now = wallClock()
            _ = monitor.takeScheduledFrame(dueBy: .now)
            let (frame, version, freshSnapshotTakenAt, frameScheduled, holdsUntil) = monitor.state.withLock {
                ($0.frame, $0.version, $0.freshSnapshotTakenAt, $0.frameScheduled, $0.frameHoldsUntil)
            }
            let connectionsBefore = sink.connectionsOpened
            let assumesNothing = delivered == nil && appliedScreenOn == nil && appliedBrightness == nil
            // A board without a schedule is left alone until an operator sets it, and after that
            // returns to full brightness, the controllers' own default, rather than stay dimmed.
            let wantedBrightness = monitor.brightnessOverride(now: now)
                ?? configuration.brightness?.level(at: TimeOfDay.of(now, in: timeZone))
                ?? (brightnessEverSet ? BrightnessSchedule.fullLevel : nil)
            // The operator's choice holds until they hand the screen back to the schedule.
            let wantedScreenOn = monitor.screenOnWanted
                ?? configuration.brightness.flatMap { $0.switchesScreenOff ? !$0.entry(at: TimeOfDay.of(now, in: timeZone)).off : nil }
            var bytes = 0
            let clockRequested = monitor.takeClockRequest()
            do throws(SinkError) {
                bytes += try await sink.keepAlive()
                let clockDue = configuration.clockSync.map { clockSyncDue(lastSet: clockSetAt, at: $0, now: now) } ?? false
                if sink.takesCommands, clockRequested || clockDue {
                    bytes += try await sink.setClock(now, timeZone: timeZone)
                    clockSetAt = now
                }
                if sink.takesCommands, let wantedBrightness, wantedBrightness != appliedBrightness {
                    bytes += try await sink.setBrightness(wantedBrightness)
                    appliedBrightness = wantedBrightness
                    brightnessEverSet = true
                }
                // Before the frame, so that a board switched off that comes back never lights up first.
                if sink.switchesScreen, let wanted = wantedScreenOn, wanted != appliedScreenOn {
                    bytes += try await sink.setScreen(on: wanted)
                    appliedScreenOn = wanted
                }
                let resendDue = sink.resendInterval.map { interval in lastFullSend.map { ContinuousClock.now - $0 >= interval } ?? false } ?? false
                let phaseDue = delivered.flatMap { sink.nextChange(of: $0.frame, after: $0.at) }.map { now >= $0 } ?? false
                // A frame that comes sooner than the controller allows waits; whatever is newest then goes.
                let held = heldUntil(lastFrameSent, sink, newData: freshSnapshotTakenAt != nil, holdsUntil: holdsUntil).map { ContinuousClock.now < $0 } ?? false
                if let frame, !held, version != delivered?.version || resendDue || phaseDue {
                    let sending = ContinuousClock.now
                    // A board that forgets its picture gets all of it again, not just the change.
                    let previous = resendDue ? nil : delivered.map { (frame: $0.frame, at: $0.at) }
                    let frameBytes: Int
                    var shownAt = now
                    // Encoded for its moment, it is still right within that second (a blink's
                    // phase, a counting page), unless the board must be sent everything.
                    if let preparing, let ahead = prepared, ahead.number == frameScheduled, version != delivered?.version, !resendDue,
                       now.timeIntervalSince1970.rounded(.down) == ahead.at.timeIntervalSince1970.rounded(.down)
                    {
                        prepared = nil
                        shownAt = ahead.at
                        frameBytes = try await preparing.send(ahead.frame)
                    } else {
                        prepared = nil
                        frameBytes = try await sink.deliver(frame, at: now, previous: previous)
                    }
                    // A frame the board already shows sends nothing and takes none of the controller's time.
                    if frameBytes > 0 { lastFrameSent = sending }
                    bytes += frameBytes
                    if previous == nil { lastFullSend = .now }
                    delivered = (frame, version, shownAt)
                    let sentAt = wallClock()
                    if let freshSnapshotTakenAt {
                        metrics.commitToWire.recordSeconds(max(0, sentAt.timeIntervalSince(freshSnapshotTakenAt)))
                        monitor.state.withLock { state in
                            if state.freshSnapshotTakenAt == freshSnapshotTakenAt { state.freshSnapshotTakenAt = nil }
                        }
                    }
                    monitor.recordDelivery(bytes: bytes, at: sentAt, brightness: appliedBrightness, screenOn: appliedScreenOn)
                } else if bytes > 0 {
                    monitor.recordBytes(bytes, brightness: appliedBrightness, screenOn: appliedScreenOn)
                }
                metrics.bytesSent.increment(by: Int64(bytes))
                if let since = failingSince {
                    let seconds = Int(wallClock().timeIntervalSince(since).rounded())
                    logger.notice("board \(configuration.id) takes frames again after \(failures) failed attempts in \(seconds) s", metadata: ["board": "\(configuration.id)"])
                    failingSince = nil
                }
                failures = 0
                // The link reconnected within a delivery (a board that restarted and answered a
                // retry): what this loop applied before may be gone, so it is all sent again now,
                // the screen's state before the frame.
                let opened = sink.connectionsOpened - connectionsBefore
                if opened > 1 || (opened == 1 && !assumesNothing) {
                    delivered = nil
                    prepared = nil
                    appliedBrightness = nil
                    appliedScreenOn = nil
                    clockSetAt = nil
                    continue
                }
            } catch {
                failures += 1
                if failingSince == nil {
                    failingSince = wallClock()
                    logger.warning("board \(configuration.id) failed: \(error.description); retrying", metadata: ["board": "\(configuration.id)"])
                }
                // After a failure the board's state is unknown: send everything again.
                delivered = nil
                prepared = nil
                appliedBrightness = nil
                appliedScreenOn = nil
                clockSetAt = nil
                if clockRequested { monitor.setClockNow() }
                metrics.sendErrors.increment()
                metrics.bytesSent.increment(by: Int64(bytes + error.bytesWritten))
                monitor.recordFailure(error.description, at: wallClock(), bytes: bytes + error.bytesWritten)
                await sink.waitAfterFailure()
                continue
            }
            // Asleep until something is due; the bell rings for everything else (a new frame, an
            // operator's brightness or screen, a clock request).
            var nextCheck = instant(of: nextTimedChange(after: wallClock(), clockSetAt: clockSetAt))
            if let keepAlive = await sink.nextKeepAlive { nextCheck = min(nextCheck, keepAlive) }
            if let scheduled = monitor.scheduledFrame {
                nextCheck = min(nextCheck, scheduled.due)
                // Encoded now, so that only the writes are left at its moment (a thousand boards turn the same minute).
                if let preparing, prepared?.number != scheduled.number {
                    let previous = delivered.map { (frame: $0.frame, at: $0.at) }
                    prepared = (try? preparing.prepare(scheduled.frame, at: scheduled.at, previous: previous)).map { ($0, scheduled.number, scheduled.at) }
                }
            }
            let (newData, newestHoldsUntil) = monitor.state.withLock { ($0.freshSnapshotTakenAt != nil, $0.frameHoldsUntil) }
            let holding = heldUntil(lastFrameSent, sink, newData: newData, holdsUntil: newestHoldsUntil).flatMap { $0 > .now ? $0 : nil }
            if let holding { nextCheck = min(nextCheck, holding) }
            var frameDue: ContinuousClock.Instant?
            if let interval = sink.resendInterval, let lastFullSend { frameDue = lastFullSend + interval }
            if let delivered, let phase = sink.nextChange(of: delivered.frame, after: delivered.at) {
                let phaseDue = ContinuousClock.now.advanced(by: .milliseconds(Int64(max(0, phase.timeIntervalSince(wallClock())) * 1000)))
                frameDue = min(frameDue ?? phaseDue, phaseDue)
            }
            // A resend or blink phase that falls while the controller's interval holds frames back
            // goes when the hold ends: waking for it sooner would only spin until then.
            if let frameDue { nextCheck = min(nextCheck, max(frameDue, holding ?? frameDue)) }
            await monitor.deliveryBell.wait(until: nextCheck)
        }
    }

    /// When the controller takes its next frame after one sent at `lastSent`; nil when it takes
    /// one at any time. That is when its interval is up if that falls just after a tick of this
    /// board's pace (the frame then is that tick), else at the next tick: a clock or timer that a
    /// frame sent between ticks pushed off the second is back on it after one skipped tick,
    /// instead of showing every second late. A frame with new data (a dispatch) goes as soon as
    /// the interval is up: it never waits for a tick; nor does a picture that `holdsUntil` a
    /// whole interval after that (an HH:mm clock's turn), since sending it then delays no tick.
    private func heldUntil(_ lastSent: ContinuousClock.Instant?, _ sink: any BoardSink, newData: Bool, holdsUntil: Date?) -> ContinuousClock.Instant? {
        guard let interval = sink.minimumUpdateInterval, let lastSent else { return nil }
        let up = lastSent + interval
        let wallUp = wallClock().timeIntervalSince1970 + (up - ContinuousClock.now).inSeconds
        let holds = holdsUntil.map { $0.timeIntervalSince1970 >= wallUp + interval.inSeconds } ?? false
        return up + Self.waitPastInterval(endingAtWall: wallUp, pace: frameInterval, offTheTick: newData || holds)
    }

    /// How long after a controller's interval is up (at `wallUp`, seconds since 1970) the next
    /// frame waits: none when it may go off the tick (new data, a picture that holds) or when
    /// the interval ends just after a tick of `pace`, else until just past the next tick.
    static func waitPastInterval(endingAtWall wallUp: Double, pace: Duration, offTheTick: Bool) -> Duration {
        guard !offTheTick else { return .zero }
        let pace = max(0.01, pace.inSeconds)
        let sinceTick = wallUp - (wallUp / pace).rounded(.down) * pace
        guard sinceTick > tickLatency else { return .zero }
        // Half the latency past the tick, so that the frame drawn for it is there, not the one it replaces.
        return .seconds(pace - sinceTick + tickLatency / 2)
    }

    /// How long after its tick a paced frame may reach the delivery and still count as that tick.
    static let tickLatency = 0.1

    /// Set at connect (never set yet) and then daily at `time`.
    private func clockSyncDue(lastSet: Date?, at time: TimeOfDay, now: Date) -> Bool {
        guard let lastSet else { return true }
        guard let next = next(time, after: lastSet) else { return false }
        return now >= next
    }

    /// The first moment after `date` at `time` of day in the board's time zone.
    private func next(_ time: TimeOfDay, after date: Date) -> Date? {
        let components = DateComponents(hour: time.minuteOfDay / 60, minute: time.minuteOfDay % 60)
        return Calendar.gregorian(in: timeZone).nextDate(after: date, matching: components, matchingPolicy: .nextTime)
    }

    /// The next moment after `now` at which the delivery loop has something to do by the clock
    /// alone: a brightness schedule's entry begins, an operator's override ends, the board's
    /// clock is set again (last set at `clockSetAt`); at most `longestSleep` away.
    private func nextTimedChange(after now: Date, clockSetAt: Date?) -> Date {
        var moments = configuration.brightness?.entries.compactMap { next($0.from, after: now) } ?? []
        if let ends = monitor.brightnessOverrideEnds { moments.append(ends) }
        if let time = configuration.clockSync, let clockSetAt, let sync = next(time, after: clockSetAt) { moments.append(sync) }
        return moments.reduce(now.addingTimeInterval(Self.longestSleep)) { min($0, $1) }
    }
}
