import CWallboardSys
import Glibc
import WallboardTransportCore

/// A pseudo-terminal pair: `devicePath` behaves like a serial port for a `SerialTransport`, and
/// the controlling end is read and written here, playing the board. For tests and the emulator.
public final class PseudoTerminal: Sendable {
    /// The terminal device (e.g. /dev/pts/7) to open as a serial port.
    public let devicePath: String
    private let controller: Descriptor
    /// Held open so the controlling end never sees a hang-up while the serial side reopens.
    private let heldDevice: Descriptor

    public init() throws {
        var controllerNumber: Int32 = -1
        var deviceNumber: Int32 = -1
        guard wb_openpty(&controllerNumber, &deviceNumber) == 0 else {
            throw TransportError.system(errno, device: "/dev/ptmx", operation: "openpty")
        }
        var name = [CChar](repeating: 0, count: 128)
        let nameResult = wb_ptsname_r(controllerNumber, &name, name.count)
        let path = nameResult == 0 ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
                                            as: UTF8.self) : ""
        controller = Descriptor(number: controllerNumber, device: "\(path) (controlling end)")
        heldDevice = Descriptor(number: deviceNumber, device: path)
        guard nameResult == 0 else {
            throw TransportError.system(nameResult, device: "/dev/ptmx", operation: "ptsname_r")
        }
        devicePath = path
        var attributes = termios()
        guard tcgetattr(deviceNumber, &attributes) == 0 else {
            throw TransportError.system(errno, device: path, operation: "tcgetattr")
        }
        wb_cfmakeraw(&attributes)
        guard tcsetattr(deviceNumber, TCSANOW, &attributes) == 0 else {
            throw TransportError.system(errno, device: path, operation: "tcsetattr")
        }
        try Descriptor.makeNonBlocking(controllerNumber, device: controller.device)
    }

    /// Bytes the serial side wrote, as they arrive; empty when nothing came within `timeout`.
    public func read(upTo maxCount: Int = 4096, timeout: Duration) async throws -> [UInt8] {
        try await controller.readAvailable(upTo: maxCount, deadline: timeout.fromNow)
    }

    /// Reads until exactly `count` bytes arrived, or throws `.timedOut` with what came.
    public func read(exactly count: Int, timeout: Duration) async throws -> [UInt8] {
        let deadline = timeout.fromNow
        var received: [UInt8] = []
        while received.count < count {
            let chunk = try await controller.readAvailable(upTo: count - received.count, deadline: deadline)
            if chunk.isEmpty {
                throw TransportError(.timedOut, device: devicePath, operation: "read",
                                     detail: "received \(received.count) of \(count) bytes")
            }
            received += chunk
        }
        return received
    }

    /// Sends bytes to the serial side, as a board's reply.
    public func write(_ bytes: [UInt8], timeout: Duration = .seconds(5)) async throws {
        try await controller.writeAll(bytes, deadline: timeout.fromNow)
    }

    /// The line settings the serial side applied, read back with tcgetattr. Linux keeps the baud
    /// rate, stop bits and flow control of a pseudo-terminal but forces 8 data bits, no parity.
    public func appliedSettings() throws -> SerialSettings {
        var attributes = termios()
        guard tcgetattr(heldDevice.number, &attributes) == 0 else {
            throw TransportError.system(errno, device: devicePath, operation: "tcgetattr")
        }
        return SerialTransport.settings(from: attributes)
    }

    /// Closes both ends: the serial side sees a hang-up, as when a USB-serial adapter is pulled.
    public func close() {
        controller.close()
        heldDevice.close()
    }
}
