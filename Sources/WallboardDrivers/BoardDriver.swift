import Foundation
import WallboardProtocols
import WallboardRender
import WallboardTransport

/// Turns frames into what one kind of board understands: the bridge between layouts (frames),
/// protocols (bytes) and delivery (replies).
public protocol BoardDriver: Sendable {
    var boardProtocol: BoardProtocol { get }
    /// The wire messages that make the board show `frame` when it shows `previous` (nil: not
    /// known, send everything). Empty when the board already shows it. Sent in order.
    func messages(for frame: Frame, previous: Frame?) throws -> [[UInt8]]
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
}

extension BoardDriver {
    public var refreshInterval: Duration? { nil }
    public var pauseBetweenMessages: Duration { .zero }
    public func clock(_ date: Date, timeZone: TimeZone) throws -> [[UInt8]] { [] }
    public func brightness(_ level: Double) throws -> [[UInt8]] { [] }
}

/// Why a frame cannot be sent to a board, in terms a person can act on.
public struct DriverError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// The drivers by protocol name, as configuration names them.
public enum BoardDrivers {
    public static var names: [String] { BoardProtocol.allCases.map(\.rawValue) }

    public static func make(protocol name: String, width: Int, height: Int, format: PixelFormat) throws -> any BoardDriver {
        guard let board = BoardProtocol(rawValue: name) else {
            throw DriverError("unknown protocol '\(name)'; known: \(names.joined(separator: ", "))")
        }
        switch board {
        case .bx5k: return FontCardDriver(model: .bx5k, format: format)
        case .bx5e: return GraphicCardDriver(model: .bx5e, width: width, height: height)
        case .bx6e: return GraphicCardDriver(model: .bx6e, width: width, height: height)
        case .bx6q: return GraphicCardDriver(model: .bx6q, width: width, height: height)
        case .alpha: return AlphaDriver()
        case .tpm2: return TPM2Driver()
        case .dreamCheeky: return DreamCheekyDriver()
        }
    }
}

/// A protocol's reply parser seen as delivery's reply interpreter.
struct ParsedReplies: ReplyInterpreter {
    let board: BoardProtocol

    func interpret(_ received: [UInt8]) -> ReplyVerdict {
        guard var parser = board.replyParser() else { return .acknowledged }
        guard let reply = parser.feed(received).first else { return .incomplete }
        switch reply {
        case .ack:
            return .acknowledged
        case .nack(let code, let explanation):
            // A damaged packet (Onbon 5: CRC) can succeed when sent again; the others cannot.
            return .rejected(BoardError(code: code, meaning: explanation, isRetryable: code == 5))
        case .other(let text), .garbled(let text):
            return .garbage(text)
        }
    }
}
