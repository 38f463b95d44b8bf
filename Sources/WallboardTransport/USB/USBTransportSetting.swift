import WallboardTransportCore
import WallboardYAML

/// `usb: VID:PID`, with the board's `serialNumber` when several of one kind are plugged in, and
/// its `mode`.
public struct USBTransportSetting: TransportSetting, Equatable {
    public static let name = "usb"
    public static let keys = ["serialNumber", "mode"]

    public let match: USBDeviceMatch
    public let mode: USBMode

    public init(match: USBDeviceMatch, mode: USBMode = .bulk) {
        self.match = match
        self.mode = mode
    }

    public static func parse(_ value: YAMLValue, fields: YAMLMapping) throws -> USBTransportSetting {
        let text = try value.string()
        guard let parsed = USBDeviceMatch(text) else {
            throw value.error("'usb' is VID:PID in hex as lsusb prints it (such as 8765:1234), not '\(text)'")
        }
        let serialNumber = try fields.optional("serialNumber")?.string() ?? parsed.serialNumber
        return USBTransportSetting(
            match: USBDeviceMatch(vendorID: parsed.vendorID, productID: parsed.productID, serialNumber: serialNumber),
            mode: try fields.optional("mode")?.choice(USBMode.allCases.map { ($0.rawValue, $0) }) ?? .bulk
        )
    }

    public var description: String { "USB \(match)" }

    public func makeTransport() throws -> any Transport {
        let backend: LibUSBBackend
        do {
            backend = try LibUSBBackend()
        } catch {
            throw TransportError(.failed, device: description, operation: "libusb_init", detail: "libusb would not start: \(error)")
        }
        let writeMode: USBTransport.WriteMode = mode == .bulk ? .bulkWithZeroLengthPacket : .hidReports(length: 8)
        return USBTransport(match: match, writeMode: writeMode, backend: backend)
    }
}

/// How a USB board takes its bytes.
public enum USBMode: String, Sendable, CaseIterable {
    /// Bulk OUT with a zero-length packet after (BetaBrite Prism).
    case bulk
    /// 8-byte HID output reports (Dream Cheeky).
    case hid
}
