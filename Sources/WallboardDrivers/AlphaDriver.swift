import Foundation
import WallboardProtocols
import WallboardRender
import WallboardSupport
import WallboardTransportCore

/// Alpha signs: a TEXT file that calls one STRING file per text area, set up once; after that
/// only the STRING files whose text changed are sent (the protocol's fast-update path).
struct AlphaDriver: BoardDriver {
    /// The TEXT file is labelled A; STRING files 1, 2, 3 … in area order.
    static let textLabel = UInt8(ascii: "A")

    let model: BoardModel
    /// Signs answer only when told to; Wallboard does not ask them to.
    var replies: (any ReplyInterpreter)? { nil }
    var pauseBetweenMessages: Duration { .milliseconds(Alpha.pauseMilliseconds) }
    /// The TEXT file's flash mode blinks the sign.
    var blinking: BlinkHandling { .byController }
    var repertoire: ControllerRepertoire? { .printableASCII }

    func messages(for frame: Frame, previous: Frame?) throws -> [[UInt8]] {
        let areas = frame.textAreas.sorted { ($0.rect.y, $0.rect.x, $0.id) < ($1.rect.y, $1.rect.x, $1.id) }
        let labels = try areas.indices.map { index -> AlphaLabel in
            guard index < Alpha.maximumStringFiles, let label = AlphaLabel(rawValue: Alpha.firstStringLabel + UInt8(index)) else {
                throw DriverError("the layout has \(areas.count) text areas; an Alpha sign takes at most \(Alpha.maximumStringFiles)")
            }
            return label
        }
        let strings = areas.map { area in
            let text = showable(area.runs).map(\.text).joined().replacingOccurrences(of: "\n", with: " ")
            return String(Alpha.filtered(text).prefix(Alpha.maximumStringLength))
        }
        var commands: [AlphaCommand] = []
        let before = previous?.textAreas.sorted { ($0.rect.y, $0.rect.x, $0.id) < ($1.rect.y, $1.rect.x, $1.id) }
        let sameFiles = before.map { $0.map(\.id) == areas.map(\.id) && zip($0, areas).allSatisfy { $0.runs.first?.colour == $1.runs.first?.colour && $0.motion == $1.motion && $0.blinks == $1.blinks } } ?? false
        if sameFiles, let before {
            for (index, area) in areas.enumerated() where before[index].text != area.text {
                commands.append(.writeString(label: labels[index], strings[index]))
            }
            guard !commands.isEmpty else { return [] }
        } else {
            guard let textLabel = AlphaLabel(rawValue: AlphaDriver.textLabel) else { throw DriverError("Alpha: no TEXT file label") }
            let memory = [AlphaMemoryEntry(label: textLabel, kind: .text(bytes: 64 + 8 * areas.count))]
                + labels.map { AlphaMemoryEntry(label: $0, kind: .string(bytes: Alpha.maximumStringLength)) }
            var pieces: [AlphaTextPiece] = []
            for (index, area) in areas.enumerated() {
                if index > 0 { pieces.append(.text(" ")) }
                pieces.append(.colour(AlphaDriver.colour(area.runs.first?.colour ?? .amber)))
                pieces.append(.callString(labels[index]))
            }
            commands.append(.configureMemory(memory))
            commands.append(.writeText(label: textLabel, AlphaText(position: .fill, mode: AlphaDriver.mode(of: areas), pieces: pieces)))
            for (index, label) in labels.enumerated() { commands.append(.writeString(label: label, strings[index])) }
        }
        let transmission: AlphaTransmission
        do {
            transmission = try Alpha.encode(commands)
        } catch {
            throw DriverError("Alpha: \(error)")
        }
        return AlphaDriver.split(transmission)
    }

    /// The TEXT file's mode: scrolling text rotates, a blinking area flashes the sign (the
    /// protocol flashes whole TEXT files, not parts of one), anything else holds.
    static func mode(of areas: [TextArea]) -> AlphaMode {
        if areas.contains(where: \.motion.moves) { return .rotate }
        return areas.contains(where: \.blinks) ? .flash : .hold
    }

    /// One message per stretch between the transmission's pauses, so that the sign gets its
    /// pause (`pauseBetweenMessages`) wherever the protocol asks for one.
    static func split(_ transmission: AlphaTransmission) -> [[UInt8]] {
        var messages: [[UInt8]] = []
        var start = 0
        for pause in transmission.pauses where pause > start && pause < transmission.bytes.count {
            messages.append(Array(transmission.bytes[start..<pause]))
            start = pause
        }
        messages.append(Array(transmission.bytes[start...]))
        return messages
    }

    static func colour(_ colour: Color) -> AlphaColour {
        switch PixelFormat.bicolor.value(for: colour) {
        case PixelFormat.bicolorRed: .red
        case PixelFormat.bicolorGreen: .green
        default: .amber
        }
    }

    func clock(_ date: Date, timeZone: TimeZone) throws -> [[UInt8]] {
        let parts = Calendar.gregorian(in: timeZone).dateComponents([.hour, .minute], from: date)
        do {
            return [try Alpha.encode([.setTime(hour: parts.hour ?? 0, minute: parts.minute ?? 0)]).bytes]
        } catch {
            throw DriverError("Alpha: \(error)")
        }
    }
}
