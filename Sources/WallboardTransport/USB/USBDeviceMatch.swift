import WallboardSupport

/// Which USB board to use: vendor and product ID, and the serial number when several boards of
/// one kind hang off the same machine.
public struct USBDeviceMatch: Sendable, Hashable, CustomStringConvertible {
    public let vendorID: UInt16
    public let productID: UInt16
    public let serialNumber: String?

    public init(vendorID: UInt16, productID: UInt16, serialNumber: String? = nil) {
        self.vendorID = vendorID
        self.productID = productID
        self.serialNumber = serialNumber
    }

    /// Parses "8765:1234" or "8765:1234:SERIAL" (hex IDs, as lsusb prints them).
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].count == 4, parts[1].count == 4,
              let vendor = UInt16(parts[0], radix: 16), let product = UInt16(parts[1], radix: 16)
        else { return nil }
        self.init(vendorID: vendor, productID: product,
                  serialNumber: parts.count == 3 && !parts[2].isEmpty ? String(parts[2]) : nil)
    }

    /// Adtech BetaBrite Prism: Alpha protocol over bulk OUT.
    public static let betaBritePrism = USBDeviceMatch(vendorID: 0x8765, productID: 0x1234)
    /// Dream Cheeky 21×7 LED message board: HID output reports.
    public static let dreamCheeky = USBDeviceMatch(vendorID: 0x1D34, productID: 0x0013)

    public var description: String {
        "\(Hex.word(vendorID)):\(Hex.word(productID))" + (serialNumber.map { " serial \($0)" } ?? "")
    }
}
