import Foundation
import Testing
import WallboardTransport

@Suite("Finding serial ports and USB boards")
struct DiscoveryTests {
    /// A fake /dev and /sys: two USB-serial adapters, one with a /dev/wallboard/ name.
    func makeTree() throws -> (root: String, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let root = directory.path
        let files = FileManager.default
        let usb = "\(root)/sys/devices/pci0000:00/0000:00:14.0/usb1"
        for (port, vendor, product, extra) in [("1-3", "1a86", "7523", ["product": "USB Serial"]),
                                               ("1-4", "10c4", "ea60", ["serial": "0001"])] {
            let interface = "\(usb)/\(port)/\(port):1.0"
            try files.createDirectory(atPath: interface, withIntermediateDirectories: true)
            try "\(vendor)\n".write(toFile: "\(usb)/\(port)/idVendor", atomically: true, encoding: .utf8)
            try "\(product)\n".write(toFile: "\(usb)/\(port)/idProduct", atomically: true, encoding: .utf8)
            for (name, value) in extra {
                try "\(value)\n".write(toFile: "\(usb)/\(port)/\(name)", atomically: true, encoding: .utf8)
            }
        }
        try files.createDirectory(atPath: "\(root)/sys/class/tty/ttyUSB0", withIntermediateDirectories: true)
        try files.createDirectory(atPath: "\(root)/sys/class/tty/ttyUSB1", withIntermediateDirectories: true)
        try files.createSymbolicLink(atPath: "\(root)/sys/class/tty/ttyUSB0/device",
                                     withDestinationPath: "\(usb)/1-3/1-3:1.0")
        try files.createSymbolicLink(atPath: "\(root)/sys/class/tty/ttyUSB1/device",
                                     withDestinationPath: "\(usb)/1-4/1-4:1.0")
        try files.createDirectory(atPath: "\(root)/dev/wallboard", withIntermediateDirectories: true)
        for name in ["ttyUSB0", "ttyUSB1", "ttyS0"] {
            #expect(files.createFile(atPath: "\(root)/dev/\(name)", contents: nil))
        }
        try files.createSymbolicLink(atPath: "\(root)/dev/wallboard/station-3-door", withDestinationPath: "../ttyUSB0")
        return (root, directory)
    }

    @Test("USB-serial ports come with their chip, serial number and /dev/wallboard/ names")
    func serialPorts() throws {
        let (root, directory) = try makeTree()
        defer { _ = try? FileManager.default.removeItem(atPath: directory.path) }
        let ports = SerialPortDiscovery(deviceRoot: "\(root)/dev", sysfsRoot: "\(root)/sys").ports()
        try #require(ports.count == 2)
        #expect(ports[0].path == "\(root)/dev/ttyUSB0")
        #expect(ports[0].vendorID == 0x1A86 && ports[0].productID == 0x7523)
        #expect(ports[0].product == "USB Serial")
        #expect(ports[0].stableNames == ["\(root)/dev/wallboard/station-3-door"])
        #expect(ports[0].isAccessible)
        #expect(ports[1].product == "CP210x USB-serial")
        #expect(ports[1].serialNumber == "0001")
        #expect(ports[1].stableNames.isEmpty)
    }

    @Test("on this machine discovery runs against the real /dev and /sys")
    func realMachine() {
        for port in SerialPortDiscovery().ports() {
            #expect(port.path.hasPrefix("/dev/tty"))
        }
    }

    @Test("every device in the udev rules is known by name")
    func knownDevices() {
        #expect(KnownUSBDevice.all.count == 6)
        #expect(KnownUSBDevice.named(vendorID: 0x8765, productID: 0x1234)?.kind == .board(.bulkWithZeroLengthPacket))
        #expect(KnownUSBDevice.named(vendorID: 0x1D34, productID: 0x0013)?.kind == .board(.hidReports(length: 8)))
    }
}
