import Glibc

/// A failure moving bytes to or from a board. It names the device, the operation and, where a
/// person can fix it, the fix.
public struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The device exists but this user may not open it.
        case permissionDenied
        /// No such device: unplugged, wrong path, wrong VID:PID or serial number.
        case notFound
        /// Another process holds the device.
        case busy
        /// The operation did not finish within its timeout.
        case timedOut
        /// The device went away or the peer closed the connection.
        case disconnected
        /// The device refused a setting (baud rate, parity, RS-485 mode…).
        case unsupportedSetting
        /// The transport is not open.
        case notOpen
        /// Any other failure of a system or libusb call.
        case failed
    }

    public let kind: Kind
    /// The device path, host:port or VID:PID.
    public let device: String
    /// What was being done: "open", "write", "tcsetattr", "libusb_bulk_transfer"…
    public let operation: String
    /// The errno or libusb error code, when there is one.
    public let code: Int32?
    public let detail: String

    public init(_ kind: Kind, device: String, operation: String, code: Int32? = nil, detail: String) {
        self.kind = kind
        self.device = device
        self.operation = operation
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(device): \(operation): \(detail)" }

    package static let permissionHint = "add your user to group wallboard, see udev/README.md"

    /// Classifies an errno from a system call on `device`.
    package static func system(_ errorNumber: Int32, device: String, operation: String) -> TransportError {
        let message = String(cString: strerror(errorNumber))
        switch errorNumber {
        case EACCES, EPERM:
            return TransportError(.permissionDenied, device: device, operation: operation, code: errorNumber,
                                  detail: "\(message): \(permissionHint)")
        case ENOENT, ENODEV, ENXIO:
            return TransportError(.notFound, device: device, operation: operation, code: errorNumber, detail: message)
        case EBUSY:
            return TransportError(.busy, device: device, operation: operation, code: errorNumber,
                                  detail: "\(message): another program holds the device")
        case EIO, EPIPE, ECONNRESET, ECONNREFUSED, ECONNABORTED, ENETUNREACH, EHOSTUNREACH, ENOTCONN, ESHUTDOWN,
             EBADF, ETIMEDOUT, ENETDOWN, EHOSTDOWN:
            return TransportError(.disconnected, device: device, operation: operation, code: errorNumber, detail: message)
        default:
            return TransportError(.failed, device: device, operation: operation, code: errorNumber, detail: message)
        }
    }
}
