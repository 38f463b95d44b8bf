import Foundation
import WallboardRender

/// The text areas a board runs by itself, by area id: counting ones (`TextArea.counting`, a
/// turnout timer) as a page a second, and turning ones (`TextArea.turning`, the door board's
/// address and complaint) as a loop of pages. What delivery needs to send such an area only when
/// its count or pages change, or its pages are about to run out.
public struct CountingPages: Sendable {
    struct Sent: Sendable {
        /// The area as sent; its runs are those of the frame it was sent for.
        var area: TextArea
        var sentAt: Date
        /// What each page shows: page n the count at the wall clock's nth second after the one
        /// it was sent in (the card turns it n seconds after the packet's arrival). Empty when the
        /// count was sent as plain text.
        var pages: [[TextArea.Run]]

        /// Just past the second from which fewer than `pagesAhead` pages are left: sent then,
        /// the frame drawn for that second is there. Nil for plain text.
        var refillDue: Date? {
            guard !pages.isEmpty else { return nil }
            let second = sentAt.timeIntervalSince1970.rounded(.down) + Double(max(1, pages.count - CountingPages.pagesAhead))
            return Date(timeIntervalSince1970: second + CountingPages.pastTheSecond)
        }
    }

    /// How a counting area goes to the board.
    enum Sending: Equatable {
        /// The board's pages show it: nothing.
        case nothing
        /// The seconds to come as pages.
        case pages
        /// As plain text, as every other area: the frames' clock is not the wall's (a simulation
        /// at another speed, a replay), so pages turned by the wall's seconds would not show it.
        case plain
    }

    /// Pages a refill leaves unshown, so that a refill held back (by the controller's interval
    /// after a dispatch, or a retry) still comes before the last page.
    static let pagesAhead = 10
    static let pastTheSecond = 0.1

    var sent: [Int: Sent] = [:]

    /// A turning area as it was last sent.
    struct Turned: Sendable {
        /// The area as sent; its runs are those of the page its frame showed.
        var area: TextArea
        var sentAt: Date
        /// The pages in the order the board loops through them from `sentAt`, each for the
        /// turning's seconds; empty when the area went as plain text, its page only.
        var loop: [[TextArea.Run]]
        /// When an area sent as plain text is to be sent as its loop, ahead of its next turn;
        /// nil where it waits for the frame of the turn (or went as its loop).
        var loopAhead: Date?

        /// What the board shows at `moment`.
        func shown(at moment: Date) -> [TextArea.Run] {
            guard !loop.isEmpty, let seconds = area.turning?.seconds, seconds > 0 else { return area.runs }
            let turns = Int((moment.timeIntervalSince(sentAt) / seconds).rounded(.down))
            return loop[(turns % loop.count + loop.count) % loop.count]
        }
    }

    var turned: [Int: Turned] = [:]

    /// How far from a turn a loop may be sent, and so how far the board's pages may turn after
    /// the frames' (or before them, for a loop sent ahead of its turn).
    static let turnTolerance = 0.5
    /// How long before a turn a loop goes ahead of the turn's frame (`Turned.loopAhead`): within
    /// `turnTolerance` when it is sent a little late.
    static let loopLead = 0.4

    public init() {}

    /// When the board's pages must be sent again (a refill, or a loop ahead of a turn); nil when
    /// none must.
    public var refillDue: Date? { (sent.values.compactMap(\.refillDue) + turned.values.compactMap(\.loopAhead)).min() }

    /// What `counting` shows at each whole second of the wall clock from `now`'s, `count` of them.
    static func pages(of counting: TextArea.Counting, from now: Date, count: Int) -> [[TextArea.Run]] {
        let second = now.timeIntervalSince1970.rounded(.down)
        return (0..<count).map { [counting.run(at: second + Double($0))] }
    }

    /// How the counting `area` goes to the board at `now`. Pages when its count is new to the
    /// slot or a refill is due; nothing while the pages go on showing what the frames show (the
    /// page of this second, of the one after, or of the two before: a frame is drawn after its
    /// second, or between seconds on new data, and may wait); plain text from the first frame they do not.
    func sending(_ area: TextArea, at now: Date) -> Sending {
        guard let last = sent[area.id], let counting = area.counting, last.area.counting == counting else { return .pages }
        var alike = area
        alike.runs = last.area.runs
        guard alike == last.area else { return .pages }
        guard let due = last.refillDue else { return .plain }
        if now >= due { return .pages }
        let page = Int(now.timeIntervalSince1970.rounded(.down) - last.sentAt.timeIntervalSince1970.rounded(.down))
        let near = last.pages.indices.clamped(to: (page - 2)..<(page + 2))
        return last.pages[near].contains(area.runs) ? .nothing : .plain
    }

    mutating func record(_ area: TextArea, pages: [[TextArea.Run]], at now: Date) {
        sent[area.id] = Sent(area: area, sentAt: now, pages: pages)
    }

    /// Whether the board shows the turning `area` at `now` already: the same pages were sent,
    /// and the board shows the frame's page now or within a second either side (a frame drawn
    /// for a turn may come a little before or after the board turns).
    func shows(_ area: TextArea, at now: Date) -> Bool {
        // The pages hold every page's text, colours and motion: a page that moves to be read
        // beside one that is still is the same loop on either page.
        guard let last = turned[area.id], last.area.turning == area.turning, last.area.rect == area.rect else { return false }
        return [0, -1, 1].contains { last.shown(at: now.addingTimeInterval($0)) == area.runs }
    }

    /// A turning area a card can loop: one that does not blink (a blink is a loop of its own).
    static func turnsByItself(_ area: TextArea) -> Bool { area.turning != nil && !area.blinks }

    /// `frame` with each turning area under its first page's id, whichever page it shows: a
    /// turn of its pages is then a change of that area's text, not of the set of areas.
    static func slotted(_ frame: Frame) -> Frame {
        guard frame.textAreas.contains(where: { $0.turning != nil }) else { return frame }
        var slotted = frame
        for index in slotted.textAreas.indices {
            if let first = slotted.textAreas[index].turning?.pages.first { slotted.textAreas[index].id = first.id }
        }
        return slotted
    }

    /// Whether the turning area went as plain text and its loop is due now (`Turned.loopAhead`).
    func loopDue(_ area: TextArea, at now: Date) -> Bool {
        turned[area.id]?.loopAhead.map { now >= $0 } ?? false
    }

    mutating func recordTurning(_ area: TextArea, loop: [[TextArea.Run]], at now: Date, loopAhead: Date? = nil) {
        turned[area.id] = Turned(area: area, sentAt: now, loop: loop, loopAhead: loopAhead)
    }

    mutating func keep(ids: Set<Int>) {
        sent = sent.filter { ids.contains($0.key) }
        turned = turned.filter { ids.contains($0.key) }
    }

    mutating func forget(_ id: Int) {
        sent[id] = nil
        turned[id] = nil
    }
}
