import Foundation
import WallboardProtocols
import WallboardRender
import WallboardTransportCore

/// Turns frames into what one kind of board understands: the bridge between layouts (frames),
/// protocols (bytes) and delivery (replies).
public protocol BoardDriver: Sendable {
    /// The controller this driver speaks to, as the protocol registry names it.
    var model: BoardModel { get }
    /// The wire messages that make the board show `frame` when it shows `previous` (nil: not
    /// known, send everything). Empty when the board already shows it. Sent in order.
    func messages(for frame: Frame, previous: Frame?) throws -> [[UInt8]]
    /// The same at `now`, for a board that can run a text area by itself (`TextArea.timeline`:
    /// a count, or pages in turn): `pages` holds what it runs, and is updated with what is sent.
    func messages(for frame: Frame, previous: Frame?, at now: Date, pages: inout CountingPages) throws -> [[UInt8]]
    /// Reads the board's replies; nil when the board does not answer.
    var replies: (any ReplyInterpreter)? { get }
    /// Boards that forget their picture (Dream Cheeky) must be sent the last messages again this often.
    var refreshInterval: Duration? { get }
    /// The pause the board needs between two messages (Alpha signs need 100 ms).
    var pauseBetweenMessages: Duration { get }
    /// Messages that set the board's clock; empty for boards without one.
    func clock(_ date: Date, timeZone: TimeZone) throws -> [[UInt8]]
    /// Messages that set brightness, 0 darkest … 1 brightest; empty where the board has no such command.
    func brightness(_ level: Double) throws -> [[UInt8]]
    /// Messages that switch the board's screen (its LEDs) on or off now, keeping what it shows;
    /// empty for boards that have no such command, which the service then refuses to switch.
    func screenPower(on: Bool) throws -> [[UInt8]]
    /// Messages that give the board back to what it shows without this service (its stored
    /// programs) when the service stops driving it; empty for boards that have nothing else.
    func farewell() throws -> [[UInt8]]
    /// How the board shows the text areas a frame marks as blinking.
    var blinking: BlinkHandling { get }
    /// What the controller's own fonts can show; nil for boards that take pixels (their missing
    /// glyphs are drawn here as boxes, see `Frame.missingCharacters`).
    var repertoire: ControllerRepertoire? { get }
    /// What delivery does on each connection besides the messages (Huidu's SDK session); nil for none.
    var session: (any BoardSession)? { get }
}

extension BoardDriver {
    public func messages(for frame: Frame, previous: Frame?, at now: Date, pages: inout CountingPages) throws -> [[UInt8]] {
        try messages(for: frame, previous: previous)
    }
    public var refreshInterval: Duration? { nil }
    public var pauseBetweenMessages: Duration { .zero }
    public func clock(_ date: Date, timeZone: TimeZone) throws -> [[UInt8]] { [] }
    public func brightness(_ level: Double) throws -> [[UInt8]] { [] }
    public func screenPower(on: Bool) throws -> [[UInt8]] { [] }
    public func farewell() throws -> [[UInt8]] { [] }
    public var blinking: BlinkHandling { .inPixels }
    public var repertoire: ControllerRepertoire? { nil }
    public var session: (any BoardSession)? { nil }
    public var replies: (any ReplyInterpreter)? { model.replyInterpreter }

    /// Whether the board's screen can be switched on and off (`screenPower` has messages for it).
    public var switchesScreen: Bool { !((try? screenPower(on: false)) ?? []).isEmpty }
}

extension BoardModel {
    /// The model's replies and retry rules as delivery reads them; nil for boards that never answer.
    public var replyInterpreter: (any ReplyInterpreter)? { replies.map(ParsedReplies.init) }
}

/// Why a frame cannot be sent to a board, in terms a person can act on.
public struct DriverError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension BoardDriver {
    /// `runs` with every character the controller cannot show replaced by its placeholder.
    func showable(_ runs: [TextArea.Run]) -> [TextArea.Run] {
        guard let repertoire else { return runs }
        return runs.map { TextArea.Run(repertoire.showable($0.text).text, colour: $0.colour) }
    }

    /// The characters of `text` the controller cannot show (and would be sent placeholders
    /// for), each once; empty for boards that take pixels.
    public func unshowableCharacters(in text: String) -> [Character] {
        repertoire?.showable(text).substituted ?? []
    }

    /// The characters of `frame`'s text areas the controller is sent placeholders for, each once.
    public func substitutions(in frame: Frame) -> [Character] {
        var found: [Character] = []
        for area in frame.textAreas {
            for character in unshowableCharacters(in: area.text) where !found.contains(character) { found.append(character) }
        }
        return found
    }
}

/// Makes the driver for each registered model (`BoardProtocols`).
public enum BoardDrivers {
    /// `charset`: the font library of a font-card controller (GB2312 unless the card has GBK).
    /// `overNetwork`: the board is reached over TCP, where C-Power frames packets differently.
    /// `card`: which C-Power card the packets are for.
    public static func make(
        _ model: BoardModel, width: Int, height: Int, format: PixelFormat, charset: ControllerCharset = .gb2312, overNetwork: Bool = false,
        card: CPowerCardAddress = CPowerCardAddress()
    ) -> any BoardDriver {
        switch model.family {
        case .onbonFontCard(let card): FontCardDriver(card: card, format: format, charset: charset)
        case .onbonGraphicCard(let card): GraphicCardDriver(card: card, width: width, height: height)
        case .alpha: AlphaDriver(model: model)
        case .tpm2: TPM2Driver(model: model)
        case .dreamCheeky: DreamCheekyDriver(model: model)
        case .cpower: CPowerDriver(model: model, format: format, framing: overNetwork ? .network(idCode: card.idCode) : .serial, cardID: card.cardID)
        case .huidu: HuiduDriver(model: model, format: format)
        }
    }

    /// The driver for the model configuration names `name`.
    public static func make(protocol name: String, width: Int, height: Int, format: PixelFormat) throws -> any BoardDriver {
        guard let model = BoardProtocols.model(named: name) else {
            throw DriverError("unknown protocol '\(name)'; known: \(BoardProtocols.names.joined(separator: ", "))")
        }
        return make(model, width: width, height: height, format: format)
    }
}

/// A protocol's reply parser and retry rules seen as delivery's reply interpreter.
struct ParsedReplies: ReplyInterpreter {
    let rules: ReplyRules

    func interpret(_ received: [UInt8]) -> ReplyVerdict {
        var parser = rules.makeParser()
        guard let reply = parser.feed(received).first else { return .incomplete }
        switch reply {
        case .ack:
            return .acknowledged
        case .nack(let code, let explanation):
            return .rejected(BoardError(code: code, meaning: explanation, isRetryable: rules.isRetryable(code)))
        case .other(let text), .garbled(let text):
            return .garbage(text)
        }
    }
}
