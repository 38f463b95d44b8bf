/// USB devices Wallboard knows: the serial adapters boards hang off, and the USB boards.
public struct KnownUSBDevice: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A USB-serial chip: the board is driven through its /dev/ttyUSB* port.
        case serialAdapter
        /// A board driven directly over USB through libusb.
        case board(USBTransport.WriteMode)
    }

    public let vendorID: UInt16
    public let productID: UInt16
    public let name: String
    public let kind: Kind

    public static let all: [KnownUSBDevice] = [
        KnownUSBDevice(vendorID: 0x1A86, productID: 0x7523, name: "CH340 USB-serial", kind: .serialAdapter),
        KnownUSBDevice(vendorID: 0x10C4, productID: 0xEA60, name: "CP210x USB-serial", kind: .serialAdapter),
        KnownUSBDevice(vendorID: 0x0403, productID: 0x6001, name: "FTDI FT232R USB-serial", kind: .serialAdapter),
        KnownUSBDevice(vendorID: 0x0403, productID: 0x6015, name: "FTDI FT231X USB-serial", kind: .serialAdapter),
        KnownUSBDevice(vendorID: 0x8765, productID: 0x1234, name: "BetaBrite Prism (Alpha over USB bulk)",
                       kind: .board(.bulkWithZeroLengthPacket)),
        KnownUSBDevice(vendorID: 0x1D34, productID: 0x0013, name: "Dream Cheeky 21×7 message board (HID)",
                       kind: .board(.hidReports(length: 8))),
    ]

    public static func named(vendorID: UInt16, productID: UInt16) -> KnownUSBDevice? {
        all.first { $0.vendorID == vendorID && $0.productID == productID }
    }
}
