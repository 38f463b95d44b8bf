import Foundation
import WallboardRender
import WallboardTransport

/// A board protocol as the service uses it: frames to messages, plus the board's clock and
/// brightness. Each protocol's driver implements it; the service knows nothing of framing.
public protocol BoardDriver: Sendable {
    /// The messages that bring the board from `previous` (nil: unknown) to `frame`.
    func messages(for frame: Frame, previous: Frame?) throws -> [[UInt8]]
    /// How the board answers; nil for boards that never answer.
    var replies: (any ReplyInterpreter)? { get }
    /// How often the board should get a fresh frame; nil leaves it to the layout.
    var refreshInterval: Duration? { get }
    func clock(_ date: Date, timeZone: TimeZone) throws -> [[UInt8]]
    func brightness(_ level: Double) throws -> [[UInt8]]
}

/// Makes the driver for a configured protocol name and board size.
public typealias DriverFactory = @Sendable (_ protocolName: String, _ width: Int, _ height: Int, _ format: PixelFormat) throws -> any BoardDriver
