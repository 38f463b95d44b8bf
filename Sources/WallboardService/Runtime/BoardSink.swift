import Foundation
import WallboardConfig
import WallboardDrivers
import WallboardRender
import WallboardTransport

/// Where a board's frames go besides the browser preview: a protocol board through its link,
/// or a framebuffer. Each board has its own sink, used only by that board's delivery task.
protocol BoardSink: Sendable {
    /// The device path, host:port or USB ID, for status and errors.
    var deviceName: String { get }
    /// Whether the device takes brightness and clock commands (a framebuffer does not).
    var takesCommands: Bool { get }
    /// How often the last frame must be sent again in full (boards that forget); nil: never.
    var resendInterval: Duration? { get }
    /// Writes `frame`, only what changed since `previous` where the device allows (nil: all of it).
    /// Returns the bytes written; throws `SinkError` with the bytes written before the failure.
    func deliver(_ frame: Frame, previous: Frame?) async throws(SinkError) -> Int
    func setBrightness(_ level: Double) async throws(SinkError) -> Int
    func setClock(_ date: Date, timeZone: TimeZone) async throws(SinkError) -> Int
    /// Waits `delay` after a failed delivery, or less where the sink learns that its device is back.
    func waitBeforeRetry(_ delay: Duration) async
}

extension BoardSink {
    func waitBeforeRetry(_ delay: Duration) async {
        try? await Task.sleep(for: delay)
    }
}

/// A delivery that failed: what happened, on which device, and what got out before it.
struct SinkError: Error, CustomStringConvertible {
    var description: String
    var bytesWritten: Int
}

/// A protocol board: the driver turns frames into messages, the link carries them.
final class DriverSink: BoardSink {
    let driver: any BoardDriver
    let link: BoardLink
    let deviceName: String

    init(driver: any BoardDriver, transport: any Transport, name: String) {
        self.driver = driver
        link = BoardLink(name: name, transport: transport, replies: driver.replies)
        deviceName = transport.deviceName
    }

    var takesCommands: Bool { true }
    var resendInterval: Duration? { driver.refreshInterval }

    func deliver(_ frame: Frame, previous: Frame?) async throws(SinkError) -> Int {
        try await send { try driver.messages(for: frame, previous: previous) }
    }

    func setBrightness(_ level: Double) async throws(SinkError) -> Int {
        try await send { try driver.brightness(level) }
    }

    func setClock(_ date: Date, timeZone: TimeZone) async throws(SinkError) -> Int {
        try await send { try driver.clock(date, timeZone: timeZone) }
    }

    func waitBeforeRetry(_ delay: Duration) async {
        try? await link.waitBeforeRetry(delay)
    }

    private func send(_ encode: () throws -> [[UInt8]]) async throws(SinkError) -> Int {
        let messages: [[UInt8]]
        do {
            messages = try encode()
        } catch {
            throw SinkError(description: "\(deviceName): cannot encode for this board: \(error)", bytesWritten: 0)
        }
        let before = await link.status.bytesSent
        for (index, message) in messages.enumerated() {
            if index > 0, driver.pauseBetweenMessages > .zero {
                try? await Task.sleep(for: driver.pauseBetweenMessages)
            }
            if case .failed(let health, let attempts) = await link.send(message) {
                let status = await link.status
                let detail = status.lastError.map { ": \($0)" } ?? ""
                throw SinkError(description: "\(deviceName): \(health) after \(attempts) attempt\(attempts == 1 ? "" : "s")\(detail)", bytesWritten: status.bytesSent - before)
            }
        }
        return await link.status.bytesSent - before
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

extension TransportSetting {
    /// The transport this setting describes, not yet open.
    public func makeTransport() throws -> any Transport {
        switch self {
        case .serial(let path, let settings):
            return SerialTransport(path: path, settings: settings)
        case .tcp(let host, let port):
            return TCPTransport(host: host, port: port)
        case .usb(let match, let mode):
            let backend: LibUSBBackend
            do {
                backend = try LibUSBBackend()
            } catch {
                throw ServiceSetupError("USB \(match): libusb would not start: \(error)")
            }
            let writeMode: USBTransport.WriteMode = mode == .bulk ? .bulkWithZeroLengthPacket : .hidReports(length: 8)
            return USBTransport(match: match, writeMode: writeMode, backend: backend)
        }
    }
}
