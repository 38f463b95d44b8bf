import ArgumentParser
import Glibc
import WallboardSupport
import WallboardTransport

/// `wallboard devices`: the serial ports and USB boards this machine can drive.
struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List serial ports (USB-serial adapters) and USB boards found on this machine."
    )

    func run() async throws {
        var lines: [String] = []
        let ports = SerialPortDiscovery().ports()
        lines.append("Serial ports:")
        if ports.isEmpty { lines.append("  none (no /dev/ttyUSB* or /dev/ttyACM*)") }
        for port in ports {
            var line = "  \(port.path)"
            if let vendor = port.vendorID, let product = port.productID {
                line += "  \(Hex.word(vendor)):\(Hex.word(product))"
            }
            if let name = port.product { line += "  \(name)" }
            if let serial = port.serialNumber { line += "  serial \(serial)" }
            if !port.stableNames.isEmpty { line += "  (\(port.stableNames.joined(separator: ", ")))" }
            if !port.isAccessible { line += "  permission denied: add your user to group wallboard, see udev/README.md" }
            lines.append(line)
        }

        lines.append("USB boards and adapters:")
        do {
            let known = try LibUSBBackend().listDevices().compactMap { device in
                KnownUSBDevice.named(vendorID: device.vendorID, productID: device.productID).map { (device, $0) }
            }
            if known.isEmpty { lines.append("  none") }
            for (device, kind) in known {
                let access = access(device.devicePath, R_OK | W_OK) == 0
                    ? "" : "  permission denied: add your user to group wallboard, see udev/README.md"
                lines.append("  \(device)  \(kind.name)\(access)")
            }
        } catch {
            lines.append("  libusb: \(error)")
        }
        let text = lines.joined(separator: "\n") + "\n"
        _ = text.utf8CString.withUnsafeBufferPointer { write(1, $0.baseAddress, $0.count - 1) }
    }

}
