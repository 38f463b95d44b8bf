import Foundation
import WallboardProtocols
import WallboardRender
import WallboardTransport

/// Onbon BX-5E/6E/6Q: the whole frame as one dynamic area's bitmap, sent when any pixel changed.
struct GraphicCardDriver: BoardDriver {
    let model: OnbonGraphicModel
    let width: Int
    let height: Int

    var boardProtocol: BoardProtocol {
        switch model {
        case .bx5e: .bx5e
        case .bx6e: .bx6e
        case .bx6q: .bx6q
        }
    }

    var replies: (any ReplyInterpreter)? { ParsedReplies(board: boardProtocol) }

    func messages(for frame: Frame, previous: Frame?) throws -> [[UInt8]] {
        guard frame.bitmap.width == width, frame.bitmap.height == height else {
            throw DriverError("the frame is \(frame.bitmap.width)x\(frame.bitmap.height); the \(model.rawValue) board is \(width)x\(height)")
        }
        if let previous, previous.bitmap == frame.bitmap { return [] }
        let colours: OnbonGraphicColours = frame.bitmap.format == .mono ? .mono : .bicolor
        let area = OnbonGraphicArea(id: 0, frame: frame.bitmap.bounds, pages: [OnbonGraphicPage(bitmap: frame.bitmap)])
        do {
            return [try OnbonGraphicCard.encode(.updateAreas([area]), link: OnbonGraphicLink(model: model, colours: colours))]
        } catch {
            throw DriverError("\(model.rawValue): \(error)")
        }
    }
}

/// TPM2 pixel matrices: the whole frame in RGB when any pixel changed.
struct TPM2Driver: BoardDriver {
    var boardProtocol: BoardProtocol { .tpm2 }
    var replies: (any ReplyInterpreter)? { ParsedReplies(board: .tpm2) }

    func messages(for frame: Frame, previous: Frame?) throws -> [[UInt8]] {
        if let previous, previous.bitmap == frame.bitmap { return [] }
        do {
            return [try TPM2.encode(frame.bitmap.converted(to: .rgb))]
        } catch {
            throw DriverError("TPM2: \(error)")
        }
    }
}

/// Dream Cheeky 21×7 USB message board: four HID reports per frame, repeated continuously
/// because the board forgets its picture within a fraction of a second.
struct DreamCheekyDriver: BoardDriver {
    var boardProtocol: BoardProtocol { .dreamCheeky }
    var replies: (any ReplyInterpreter)? { nil }
    var refreshInterval: Duration? { .milliseconds(100) }

    func messages(for frame: Frame, previous: Frame?) throws -> [[UInt8]] {
        guard frame.bitmap.width == DreamCheeky.width, frame.bitmap.height == DreamCheeky.height else {
            throw DriverError("the frame is \(frame.bitmap.width)x\(frame.bitmap.height); the Dream Cheeky board is 21x7")
        }
        if let previous, previous.bitmap == frame.bitmap { return [] }
        return DreamCheeky.reports(for: frame.bitmap.converted(to: .mono))
    }
}

/// Alpha signs: a TEXT file that calls one STRING file per text area, set up once; after that
/// only the STRING files whose text changed are sent (the protocol's fast-update path).
struct AlphaDriver: BoardDriver {
    /// The TEXT file is labelled A; STRING files 1, 2, 3 … in area order.
    static let textLabel = UInt8(ascii: "A")
    static let firstStringLabel = UInt8(ascii: "1")

    var boardProtocol: BoardProtocol { .alpha }
    /// Signs answer only when told to; Wallboard does not ask them to.
    var replies: (any ReplyInterpreter)? { nil }
    var pauseBetweenMessages: Duration { .milliseconds(Alpha.pauseMilliseconds) }

    func messages(for frame: Frame, previous: Frame?) throws -> [[UInt8]] {
        let areas = frame.textAreas.sorted { ($0.rect.y, $0.rect.x, $0.id) < ($1.rect.y, $1.rect.x, $1.id) }
        let labels = try areas.indices.map { index -> AlphaLabel in
            guard let label = AlphaLabel(rawValue: AlphaDriver.firstStringLabel + UInt8(index)) else {
                throw DriverError("an Alpha sign takes at most \(0x7F - Int(AlphaDriver.firstStringLabel)) text areas")
            }
            return label
        }
        let strings = areas.map { String(Alpha.filtered($0.text.replacingOccurrences(of: "\n", with: " ")).prefix(Alpha.maximumStringLength)) }
        var commands: [AlphaCommand] = []
        let before = previous?.textAreas.sorted { ($0.rect.y, $0.rect.x, $0.id) < ($1.rect.y, $1.rect.x, $1.id) }
        let sameFiles = before.map { $0.map(\.id) == areas.map(\.id) && zip($0, areas).allSatisfy { $0.runs.first?.colour == $1.runs.first?.colour && $0.motion == $1.motion } } ?? false
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
            let scrolls = areas.contains { $0.motion == .scrollLeft }
            commands.append(.configureMemory(memory))
            commands.append(.writeText(label: textLabel, AlphaText(position: .fill, mode: scrolls ? .rotate : .hold, pieces: pieces)))
            for (index, label) in labels.enumerated() { commands.append(.writeString(label: label, strings[index])) }
        }
        return try commands.map { command in
            do {
                return try Alpha.encode([command]).bytes
            } catch {
                throw DriverError("Alpha: \(error)")
            }
        }
    }

    static func colour(_ colour: Color) -> AlphaColour {
        switch PixelFormat.bicolor.value(for: colour) {
        case PixelFormat.bicolorRed: .red
        case PixelFormat.bicolorGreen: .green
        default: .amber
        }
    }

    func clock(_ date: Date, timeZone: TimeZone) throws -> [[UInt8]] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        do {
            return [try Alpha.encode([.setTime(hour: parts.hour ?? 0, minute: parts.minute ?? 0)]).bytes]
        } catch {
            throw DriverError("Alpha: \(error)")
        }
    }
}
