/// How the bytes reach a protocol board.
public enum TransportSetting: Sendable, Equatable {
    case serial(path: String, settings: SerialSettings)
    case tcp(host: String, port: UInt16)
    case usb(USBDeviceMatch, mode: USBMode)

    public var description: String {
        switch self {
        case .serial(let path, _): path
        case .tcp(let host, let port): "\(host):\(port)"
        case .usb(let match, _): "USB \(match)"
        }
    }
}

/// How a USB board takes its bytes.
public enum USBMode: String, Sendable, CaseIterable {
    /// Bulk OUT with a zero-length packet after (BetaBrite Prism).
    case bulk
    /// 8-byte HID output reports (Dream Cheeky).
    case hid
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
                throw TransportError(.failed, device: "USB \(match)", operation: "libusb_init", detail: "libusb would not start: \(error)")
            }
            let writeMode: USBTransport.WriteMode = mode == .bulk ? .bulkWithZeroLengthPacket : .hidReports(length: 8)
            return USBTransport(match: match, writeMode: writeMode, backend: backend)
        }
    }
}
