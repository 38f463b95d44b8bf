import CWallboardSys
import Glibc
import WallboardTransportCore

/// A board on a serial port: RS-232, a USB-serial adapter (CH340, CP210x, FTDI) or RS-485.
/// The port is raw, non-blocking and exclusive; reads and writes wait in the shared poll() loop.
public actor SerialTransport: Transport {
    public nonisolated let deviceName: String
    public let settings: SerialSettings
    private var descriptor: Descriptor?
    /// The device file the path named at the last attempt to open it (nil: nothing there), so a
    /// wait before reconnecting can end as soon as a device appears or another one takes its place.
    private var deviceAtLastOpen: DeviceNode?

    /// - Parameter path: the device, e.g. `/dev/wallboard/door-3` or `/dev/ttyUSB0`.
    public init(path: String, settings: SerialSettings = SerialSettings()) {
        self.deviceName = path
        self.settings = settings
    }

    public func open() async throws {
        close()
        deviceAtLastOpen = DeviceNode(path: deviceName)
        let number = Glibc.open(deviceName, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard number >= 0 else { throw TransportError.system(errno, device: deviceName, operation: "open") }
        let opened = Descriptor(number: number, device: deviceName)
        do {
            try Self.configure(opened, settings)
        } catch {
            _ = wb_clear_exclusive(number)
            throw error
        }
        descriptor = opened
    }

    public func write(_ bytes: [UInt8], timeout: Duration) async throws {
        try await openDescriptor(for: "write").writeAll(bytes, deadline: timeout.fromNow)
    }

    public func read(upTo maxCount: Int, timeout: Duration) async throws -> [UInt8] {
        try await openDescriptor(for: "read").readAvailable(upTo: maxCount, deadline: timeout.fromNow)
    }

    public func readReply(upTo maxCount: Int, timeout: Duration) async throws -> [UInt8] {
        try await openDescriptor(for: "read").readWhenReady(upTo: maxCount, deadline: timeout.fromNow)
    }

    public func close() {
        if let descriptor, !descriptor.isClosed { _ = wb_clear_exclusive(descriptor.number) }
        descriptor?.close()
        descriptor = nil
    }

    /// Waits `delay`, or less: checks the path every 100 ms and returns once it names a device
    /// other than at the last attempt (an adapter plugged in again, a udev link pointing at the
    /// board's new port), so a board that was away for long is back within moments, while one that
    /// is there but silent is retried only after the whole delay.
    public func waitBeforeReconnect(delay: Duration) async throws {
        let deadline = delay.fromNow
        while ContinuousClock.now < deadline {
            try await Task.sleep(until: min(deadline, .now + .milliseconds(100)))
            if let node = DeviceNode(path: deviceName), node != deviceAtLastOpen { return }
        }
    }

    private func openDescriptor(for operation: String) throws -> Descriptor {
        guard let descriptor else {
            throw TransportError(.notOpen, device: deviceName, operation: operation, detail: "the port is not open")
        }
        return descriptor
    }

    /// Raw mode with the requested line settings; reads never wait in the kernel (VMIN 1 with
    /// O_NONBLOCK makes an empty read EAGAIN, so a read of 0 bytes means hang-up).
    private static func configure(_ descriptor: Descriptor, _ settings: SerialSettings) throws {
        let device = descriptor.device
        let number = descriptor.number
        guard wb_set_exclusive(number) == 0 else {
            throw TransportError.system(errno, device: device, operation: "ioctl(TIOCEXCL)")
        }
        var current = termios()
        guard tcgetattr(number, &current) == 0 else {
            throw TransportError.system(errno, device: device, operation: "tcgetattr")
        }
        var attributes = try attributes(for: settings, startingFrom: current, device: device)
        guard tcsetattr(number, TCSANOW, &attributes) == 0 else {
            throw TransportError.system(errno, device: device, operation: "tcsetattr")
        }
        // tcsetattr succeeds when any one setting took: read back what the driver kept.
        // A pseudo-terminal carries bytes, not bits: Linux forces CS8 without parity there.
        var applied = termios()
        guard tcgetattr(number, &applied) == 0 else {
            throw TransportError.system(errno, device: device, operation: "tcgetattr")
        }
        let framing = wb_is_pseudo_terminal(number) == 1
            ? tcflag_t(CSTOPB) : tcflag_t(CSIZE | PARENB | PARODD | CSTOPB)
        guard cfgetospeed(&applied) == cfgetospeed(&attributes),
              applied.c_cflag & framing == attributes.c_cflag & framing
        else {
            throw TransportError(.unsupportedSetting, device: device, operation: "tcsetattr",
                                 detail: "the driver did not accept \(settings.baudRate) baud, "
                                     + "\(settings.dataBits) data bits, parity \(settings.parity), "
                                     + "\(settings.stopBits.rawValue) stop bits")
        }
        _ = tcflush(number, TCIOFLUSH)

        if case .kernelControlledRTS(let before, let after) = settings.rs485 {
            guard wb_set_rs485(number, 1, before, after) == 0 else {
                let error = errno
                throw TransportError(error == ENOTTY || error == EINVAL ? .unsupportedSetting : .failed,
                                     device: device, operation: "ioctl(TIOCSRS485)", code: error,
                                     detail: "\(String(cString: strerror(error))): this port's driver has no "
                                         + "kernel RS-485 mode; use an adapter with automatic direction control "
                                         + "and rs485 adapterControlled")
            }
        }
    }

    /// The termios for `settings`: raw, receiver on, modem lines ignored, no software flow control.
    static func attributes(for settings: SerialSettings, startingFrom current: termios, device: String) throws
        -> termios
    {
        var attributes = current
        wb_cfmakeraw(&attributes)
        attributes.c_cflag &= ~tcflag_t(CSIZE | PARENB | PARODD | CSTOPB) & ~wb_flag_cmspar() & ~wb_flag_crtscts()
        attributes.c_cflag |= tcflag_t(CLOCAL | CREAD)
        attributes.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY | INPCK | ISTRIP)

        switch settings.dataBits {
        case 5: attributes.c_cflag |= tcflag_t(CS5)
        case 6: attributes.c_cflag |= tcflag_t(CS6)
        case 7: attributes.c_cflag |= tcflag_t(CS7)
        case 8: attributes.c_cflag |= tcflag_t(CS8)
        default:
            throw TransportError(.unsupportedSetting, device: device, operation: "configure",
                                 detail: "\(settings.dataBits) data bits; use 5, 6, 7 or 8")
        }
        switch settings.parity {
        case .none: break
        case .even: attributes.c_cflag |= tcflag_t(PARENB)
        case .odd: attributes.c_cflag |= tcflag_t(PARENB | PARODD)
        case .mark: attributes.c_cflag |= tcflag_t(PARENB | PARODD) | wb_flag_cmspar()
        case .space: attributes.c_cflag |= tcflag_t(PARENB) | wb_flag_cmspar()
        }
        if settings.stopBits == .two { attributes.c_cflag |= tcflag_t(CSTOPB) }
        if settings.flowControl == .hardware { attributes.c_cflag |= wb_flag_crtscts() }
        wb_set_read_minimum(&attributes, 1, 0)

        let speed = wb_speed_for_baud(UInt32(clamping: settings.baudRate))
        guard speed != 0 else {
            throw TransportError(.unsupportedSetting, device: device, operation: "configure",
                                 detail: "no standard baud rate \(settings.baudRate)")
        }
        guard cfsetispeed(&attributes, speed) == 0, cfsetospeed(&attributes, speed) == 0 else {
            throw TransportError.system(errno, device: device, operation: "cfsetspeed")
        }
        return attributes
    }

    /// The settings a termios stands for (the inverse of `attributes(for:startingFrom:device:)`).
    static func settings(from attributes: termios) -> SerialSettings {
        var attributes = attributes
        let flags = attributes.c_cflag
        let dataBits = switch flags & tcflag_t(CSIZE) {
        case tcflag_t(CS5): 5
        case tcflag_t(CS6): 6
        case tcflag_t(CS7): 7
        default: 8
        }
        let parity: SerialSettings.Parity
        if flags & tcflag_t(PARENB) == 0 {
            parity = .none
        } else if flags & wb_flag_cmspar() != 0 {
            parity = flags & tcflag_t(PARODD) != 0 ? .mark : .space
        } else {
            parity = flags & tcflag_t(PARODD) != 0 ? .odd : .even
        }
        return SerialSettings(
            baudRate: Int(wb_baud_for_speed(cfgetospeed(&attributes))),
            dataBits: dataBits,
            parity: parity,
            stopBits: flags & tcflag_t(CSTOPB) != 0 ? .two : .one,
            flowControl: flags & wb_flag_crtscts() != 0 ? .hardware : .none)
    }
}

/// Which device file a path names now (symbolic links followed): a device that comes back or a
/// link that points elsewhere makes a different node.
struct DeviceNode: Equatable {
    let fileSystem: UInt64
    let inode: UInt64
    let device: UInt64

    init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        fileSystem = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        device = UInt64(status.st_rdev)
    }
}
