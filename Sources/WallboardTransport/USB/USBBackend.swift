import WallboardSupport

/// The handful of libusb calls the USB transport makes, as a seam: `LibUSBBackend` is libusb
/// itself; tests plug in a fake bus (these machines have no USB at all).

/// A device on the bus: enough to find it again and to name it in errors.
public struct USBDeviceInfo: Sendable, Hashable, CustomStringConvertible {
    public let vendorID: UInt16
    public let productID: UInt16
    public let busNumber: UInt8
    public let address: UInt8

    public init(vendorID: UInt16, productID: UInt16, busNumber: UInt8, address: UInt8) {
        self.vendorID = vendorID
        self.productID = productID
        self.busNumber = busNumber
        self.address = address
    }

    /// The usbfs node whose permissions decide whether we may open the device.
    public var devicePath: String { "/dev/bus/usb/\(Self.threeDigits(busNumber))/\(Self.threeDigits(address))" }

    public var description: String {
        "\(Hex.word(vendorID)):\(Hex.word(productID)) at \(devicePath)"
    }

    private static func threeDigits(_ value: UInt8) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }
}

/// A failed libusb call, with libusb's error code.
public struct USBCallError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Int32, Sendable {
        case io = -1
        case invalidParameter = -2
        case access = -3
        case noDevice = -4
        case notFound = -5
        case busy = -6
        case timeout = -7
        case overflow = -8
        case pipe = -9
        case interrupted = -10
        case noMemory = -11
        case notSupported = -12
        case other = -99
    }

    public let code: Code
    /// The libusb function that failed.
    public let call: String

    public init(_ code: Code, call: String) {
        self.code = code
        self.call = call
    }

    /// Classifies a negative libusb return value.
    init(returnValue: Int32, call: String) {
        self.init(Code(rawValue: returnValue) ?? .other, call: call)
    }

    public var description: String { "\(call) failed: \(code)" }
}

public enum USBTransferType: Sendable, Equatable {
    case bulk, interrupt
}

/// An OUT endpoint of an interface.
public struct USBEndpoint: Sendable, Equatable {
    public let address: UInt8
    public let type: USBTransferType

    public init(address: UInt8, type: USBTransferType) {
        self.address = address
        self.type = type
    }
}

public enum USBHotplugEvent: Sendable, Equatable {
    case arrived(USBDeviceInfo)
    case left(USBDeviceInfo)
}

/// Keeps a hot-plug callback registered until released.
public protocol USBHotplugSubscription: AnyObject, Sendable {}

/// The bus: enumeration, opening, hot-plug.
public protocol USBBackend: Sendable {
    func listDevices() throws(USBCallError) -> [USBDeviceInfo]
    func open(_ device: USBDeviceInfo) throws(USBCallError) -> any USBDeviceConnection
    /// Calls `handler` (on the backend's event thread) when a device with these IDs arrives or
    /// leaves. Returns nil when the platform cannot report hot-plug.
    func watchHotplug(vendorID: UInt16, productID: UInt16,
                      _ handler: @escaping @Sendable (USBHotplugEvent) -> Void) throws(USBCallError)
        -> (any USBHotplugSubscription)?
}

/// An open device. Its calls block (up to their timeout): the transport makes them on the
/// device's own worker thread. Closing happens when the last reference goes.
public protocol USBDeviceConnection: AnyObject, Sendable {
    var info: USBDeviceInfo { get }
    func serialNumber() throws(USBCallError) -> String?
    /// The OUT endpoints of `interface` in the active configuration.
    func outEndpoints(interface: Int) throws(USBCallError) -> [USBEndpoint]
    /// Claims `interface`, detaching a kernel driver (usbhid) first where one is bound.
    func claim(interface: Int) throws(USBCallError)
    /// Returns the number of bytes transferred.
    func transfer(_ type: USBTransferType, endpoint: UInt8, bytes: [UInt8], timeoutMilliseconds: UInt32)
        throws(USBCallError) -> Int
    func controlTransfer(requestType: UInt8, request: UInt8, value: UInt16, index: UInt16, bytes: [UInt8],
                         timeoutMilliseconds: UInt32) throws(USBCallError) -> Int
}
