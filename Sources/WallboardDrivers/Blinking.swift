import Foundation
import WallboardRender

/// How a board shows the text areas a frame marks as blinking (`TextArea.blinks`).
public enum BlinkHandling: Sendable, Equatable {
    /// The frames' pixels blink; the board needs only the frames as rendered.
    case inPixels
    /// The controller flashes the text itself once the driver asks for it.
    case byController
    /// The controller cannot flash: the area is sent with its text, then empty, each for `phase`.
    case inPhases(Duration)
}

extension BoardDriver {
    /// `frame` as this board must be sent it at `now`: where the board blinks in phases, the
    /// blinking areas are empty during the dark phase, except one whose text `previous` (the
    /// frame delivered before it) did not hold: a new alert is sent lit at once instead of
    /// waiting up to a phase in the dark, and blinks in step from the next phase on. (A blinking
    /// text that changes every phase, which no shipped layout has, therefore stays lit.)
    public func frameToSend(_ frame: Frame, at now: Date, after previous: Frame? = nil) -> Frame {
        guard case .inPhases(let phase) = blinking, !Self.isLitPhase(now, phase: phase) else { return frame }
        var dark = frame
        for index in dark.textAreas.indices where dark.textAreas[index].blinks {
            let area = dark.textAreas[index]
            let isNew = previous.map { !$0.textAreas.contains { $0.id == area.id && $0.runs == area.runs } } ?? false
            if !isNew { dark.textAreas[index].runs = [] }
        }
        return dark
    }

    /// When `frameToSend` next changes by itself (the next blink phase); nil when it does not.
    public func nextBlinkPhase(of frame: Frame, after now: Date) -> Date? {
        guard case .inPhases(let phase) = blinking, frame.textAreas.contains(where: \.blinks) else { return nil }
        let seconds = phase / .seconds(1)
        let time = now.timeIntervalSince1970
        return Date(timeIntervalSince1970: ((time / seconds).rounded(.down) + 1) * seconds)
    }

    /// Lit in even phases counted from the epoch, so every board of a kind blinks in step.
    static func isLitPhase(_ now: Date, phase: Duration) -> Bool {
        Int((now.timeIntervalSince1970 / (phase / .seconds(1))).rounded(.down)) % 2 == 0
    }
}
