import Glibc

/// A serial port found on this machine.
public struct SerialPortInfo: Sendable, Equatable {
    /// The device node, e.g. /dev/ttyUSB0.
    public let path: String
    /// Stable names under /dev/wallboard/ that point at it (from the udev rules).
    public let stableNames: [String]
    public let vendorID: UInt16?
    public let productID: UInt16?
    public let serialNumber: String?
    /// The USB product string, or the known adapter's name.
    public let product: String?
    /// Whether this user may open it for reading and writing.
    public let isAccessible: Bool
}

/// Lists USB-serial ports (/dev/ttyUSB*, /dev/ttyACM*) with their USB identity from sysfs, and the
/// /dev/wallboard/ names the udev rules made. The roots are parameters so tests can use a fake tree.
public struct SerialPortDiscovery: Sendable {
    public let deviceRoot: String
    public let sysfsRoot: String

    public init(deviceRoot: String = "/dev", sysfsRoot: String = "/sys") {
        self.deviceRoot = deviceRoot
        self.sysfsRoot = sysfsRoot
    }

    public func ports() -> [SerialPortInfo] {
        let links = stableLinks()
        return Self.entries(of: deviceRoot)
            .filter { $0.hasPrefix("ttyUSB") || $0.hasPrefix("ttyACM") }
            .sorted { ($0.count, $0) < ($1.count, $1) }
            .map { name in
                let path = "\(deviceRoot)/\(name)"
                let usb = usbDeviceDirectory(forTTY: name)
                let vendor = usb.flatMap { Self.hexAttribute("\($0)/idVendor") }
                let product = usb.flatMap { Self.hexAttribute("\($0)/idProduct") }
                var productName = usb.flatMap { Self.attribute("\($0)/product") }
                if productName == nil, let vendor, let product {
                    productName = KnownUSBDevice.named(vendorID: vendor, productID: product)?.name
                }
                return SerialPortInfo(
                    path: path,
                    stableNames: links.filter { $0.target == name }.map(\.link).sorted(),
                    vendorID: vendor, productID: product,
                    serialNumber: usb.flatMap { Self.attribute("\($0)/serial") },
                    product: productName,
                    isAccessible: access(path, R_OK | W_OK) == 0)
            }
    }

    /// /dev/wallboard/* and where each points (the tty's name).
    private func stableLinks() -> [(link: String, target: String)] {
        let directory = "\(deviceRoot)/wallboard"
        return Self.entries(of: directory).compactMap { name in
            var buffer = [CChar](repeating: 0, count: 4096)
            let length = readlink("\(directory)/\(name)", &buffer, buffer.count - 1)
            guard length > 0 else { return nil }
            let target = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return ("\(directory)/\(name)", String(target.split(separator: "/").last ?? ""))
        }
    }

    /// The USB device directory above /sys/class/tty/NAME/device (the one holding idVendor).
    private func usbDeviceDirectory(forTTY name: String) -> String? {
        guard let resolved = realpath("\(sysfsRoot)/class/tty/\(name)/device", nil) else { return nil }
        defer { free(resolved) }
        var directory = String(cString: resolved)
        while directory.count > sysfsRoot.count {
            if access("\(directory)/idVendor", F_OK) == 0 { return directory }
            guard let slash = directory.lastIndex(of: "/") else { return nil }
            directory = String(directory[..<slash])
        }
        return nil
    }

    static func entries(of directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func attribute(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 256)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var trimmed = text
        while let last = trimmed.last, last == "\n" || last == " " { trimmed.removeLast() }
        return trimmed.isEmpty ? nil : trimmed
    }

    static func hexAttribute(_ path: String) -> UInt16? {
        attribute(path).flatMap { UInt16($0, radix: 16) }
    }
}
