import CLibUSB
import Glibc
import Synchronization

/// The USB bus through libusb-1.0. Owns one libusb context, freed in deinit; runs libusb's event
/// handling on its own thread while any hot-plug callback is registered.
public final class LibUSBBackend: USBBackend, Sendable {
    /// libusb_context*; libusb's calls on a context are thread-safe.
    private nonisolated(unsafe) let context: OpaquePointer

    private struct EventLoop {
        var subscriptions = 0
        var isRunning = false
    }

    private let eventLoop = Mutex(EventLoop())

    public init() throws(USBCallError) {
        var created: OpaquePointer?
        let result = libusb_init(&created)
        guard result == 0, let created else { throw USBCallError(returnValue: result, call: "libusb_init") }
        context = created
    }

    deinit { libusb_exit(context) }

    /// Whether this libusb and kernel report devices arriving and leaving.
    public var supportsHotplug: Bool { libusb_has_capability(UInt32(LIBUSB_CAP_HAS_HOTPLUG.rawValue)) != 0 }

    public func listDevices() throws(USBCallError) -> [USBDeviceInfo] {
        try withDeviceList { devices in devices.compactMap { Self.info(of: $0) } }
    }

    public func open(_ device: USBDeviceInfo) throws(USBCallError) -> any USBDeviceConnection {
        try withDeviceList { devices throws(USBCallError) in
            for candidate in devices {
                guard Self.info(of: candidate) == device else { continue }
                var descriptor = libusb_device_descriptor()
                _ = libusb_get_device_descriptor(candidate, &descriptor)
                var handle: OpaquePointer?
                let result = libusb_open(candidate, &handle)
                guard result == 0, let handle else { throw USBCallError(returnValue: result, call: "libusb_open") }
                return LibUSBDeviceConnection(handle: handle, info: device, serialIndex: descriptor.iSerialNumber,
                                              backend: self)
            }
            throw USBCallError(.noDevice, call: "libusb_open")
        }
    }

    public func watchHotplug(vendorID: UInt16, productID: UInt16,
                             _ handler: @escaping @Sendable (USBHotplugEvent) -> Void) throws(USBCallError)
        -> (any USBHotplugSubscription)?
    {
        guard supportsHotplug else { return nil }
        let box = Unmanaged.passRetained(HotplugHandler(handler))
        var registration: libusb_hotplug_callback_handle = 0
        let events = Int32(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED.rawValue | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT.rawValue)
        let result = libusb_hotplug_register_callback(
            context, events, 0, Int32(vendorID), Int32(productID), LIBUSB_HOTPLUG_MATCH_ANY,
            { _, device, event, userData in
                guard let userData, let device, let info = LibUSBBackend.info(of: device) else { return 0 }
                let handler = Unmanaged<HotplugHandler>.fromOpaque(userData).takeUnretainedValue()
                handler.call(event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED ? .arrived(info) : .left(info))
                return 0
            }, box.toOpaque(), &registration)
        guard result == 0 else {
            box.release()
            throw USBCallError(returnValue: result, call: "libusb_hotplug_register_callback")
        }
        startEventLoopIfNeeded()
        return LibUSBHotplugSubscription(backend: self, registration: registration, handler: box)
    }

    fileprivate func deregister(_ registration: libusb_hotplug_callback_handle) {
        libusb_hotplug_deregister_callback(context, registration)
        eventLoop.withLock { $0.subscriptions -= 1 }
    }

    /// libusb delivers hot-plug callbacks from inside libusb_handle_events: run it on a thread of
    /// its own while anything listens. The thread keeps the backend alive until it stops.
    private func startEventLoopIfNeeded() {
        let start = eventLoop.withLock { loop in
            loop.subscriptions += 1
            defer { loop.isRunning = true }
            return !loop.isRunning
        }
        guard start else { return }
        startDetachedThread(name: "wallboard-usb") { [self] in
            while true {
                var timeout = timeval(tv_sec: 0, tv_usec: 250_000)
                _ = libusb_handle_events_timeout_completed(context, &timeout, nil)
                let stop = eventLoop.withLock { loop in
                    if loop.subscriptions == 0 { loop.isRunning = false }
                    return !loop.isRunning
                }
                if stop { return }
            }
        }
    }

    private func withDeviceList<Result>(_ body: ([OpaquePointer]) throws(USBCallError) -> Result)
        throws(USBCallError) -> Result
    {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = libusb_get_device_list(context, &list)
        guard count >= 0, let list else {
            throw USBCallError(returnValue: Int32(clamping: count), call: "libusb_get_device_list")
        }
        defer { libusb_free_device_list(list, 1) }
        let devices = (0..<count).compactMap { list[$0] }
        return try body(devices)
    }

    fileprivate static func info(of device: OpaquePointer) -> USBDeviceInfo? {
        var descriptor = libusb_device_descriptor()
        guard libusb_get_device_descriptor(device, &descriptor) == 0 else { return nil }
        return USBDeviceInfo(vendorID: descriptor.idVendor, productID: descriptor.idProduct,
                             busNumber: libusb_get_bus_number(device), address: libusb_get_device_address(device))
    }
}

private final class HotplugHandler: Sendable {
    let call: @Sendable (USBHotplugEvent) -> Void
    init(_ call: @escaping @Sendable (USBHotplugEvent) -> Void) { self.call = call }
}

private final class LibUSBHotplugSubscription: USBHotplugSubscription {
    private let backend: LibUSBBackend
    private let registration: libusb_hotplug_callback_handle
    private let handler: Unmanaged<HotplugHandler>

    init(backend: LibUSBBackend, registration: libusb_hotplug_callback_handle, handler: Unmanaged<HotplugHandler>) {
        self.backend = backend
        self.registration = registration
        self.handler = handler
    }

    deinit {
        // Deregistering waits for a callback in progress, so the handler can go afterwards.
        backend.deregister(registration)
        handler.release()
    }
}

/// An open libusb_device_handle, closed (its interfaces released) in deinit.
private final class LibUSBDeviceConnection: USBDeviceConnection {
    let info: USBDeviceInfo
    private nonisolated(unsafe) let handle: OpaquePointer
    private let serialIndex: UInt8
    /// Keeps the context alive while the handle is open.
    private let backend: LibUSBBackend
    private let claimed = Mutex<[Int32]>([])

    init(handle: OpaquePointer, info: USBDeviceInfo, serialIndex: UInt8, backend: LibUSBBackend) {
        self.handle = handle
        self.info = info
        self.serialIndex = serialIndex
        self.backend = backend
    }

    deinit {
        for interface in claimed.withLock({ $0 }) {
            _ = libusb_release_interface(handle, interface)
        }
        libusb_close(handle)
    }

    func serialNumber() throws(USBCallError) -> String? {
        guard serialIndex != 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = libusb_get_string_descriptor_ascii(handle, serialIndex, &buffer, Int32(buffer.count))
        guard length >= 0 else { throw USBCallError(returnValue: length, call: "libusb_get_string_descriptor_ascii") }
        return String(decoding: buffer.prefix(Int(length)), as: UTF8.self)
    }

    func outEndpoints(interface: Int) throws(USBCallError) -> [USBEndpoint] {
        var configuration: UnsafeMutablePointer<libusb_config_descriptor>?
        let result = libusb_get_active_config_descriptor(libusb_get_device(handle), &configuration)
        guard result == 0, let configuration else {
            throw USBCallError(returnValue: result, call: "libusb_get_active_config_descriptor")
        }
        defer { libusb_free_config_descriptor(configuration) }
        let config = configuration.pointee
        guard interface >= 0, interface < Int(config.bNumInterfaces), let interfaces = config.interface,
              interfaces[interface].num_altsetting > 0, let setting = interfaces[interface].altsetting
        else { throw USBCallError(.notFound, call: "libusb_get_active_config_descriptor") }
        let descriptor = setting.pointee
        guard let endpoints = descriptor.endpoint else { return [] }
        return (0..<Int(descriptor.bNumEndpoints)).compactMap { index in
            let endpoint = endpoints[index]
            let isOut = endpoint.bEndpointAddress & 0x80 == 0
            switch endpoint.bmAttributes & 0x03 {
            case 2 where isOut: return USBEndpoint(address: endpoint.bEndpointAddress, type: .bulk)
            case 3 where isOut: return USBEndpoint(address: endpoint.bEndpointAddress, type: .interrupt)
            default: return nil
            }
        }
    }

    func claim(interface: Int) throws(USBCallError) {
        // Not every platform can detach kernel drivers; claiming then reports what is wrong.
        _ = libusb_set_auto_detach_kernel_driver(handle, 1)
        let result = libusb_claim_interface(handle, Int32(interface))
        guard result == 0 else { throw USBCallError(returnValue: result, call: "libusb_claim_interface") }
        claimed.withLock { $0.append(Int32(interface)) }
    }

    func transfer(_ type: USBTransferType, endpoint: UInt8, bytes: [UInt8], timeoutMilliseconds: UInt32)
        throws(USBCallError) -> Int
    {
        var data = bytes.isEmpty ? [0] : bytes
        var transferred: Int32 = 0
        let call = type == .bulk ? "libusb_bulk_transfer" : "libusb_interrupt_transfer"
        let result = data.withUnsafeMutableBufferPointer { buffer in
            type == .bulk
                ? libusb_bulk_transfer(handle, endpoint, buffer.baseAddress, Int32(bytes.count), &transferred,
                                       timeoutMilliseconds)
                : libusb_interrupt_transfer(handle, endpoint, buffer.baseAddress, Int32(bytes.count), &transferred,
                                            timeoutMilliseconds)
        }
        guard result == 0 else { throw USBCallError(returnValue: result, call: call) }
        return Int(transferred)
    }

    func controlTransfer(requestType: UInt8, request: UInt8, value: UInt16, index: UInt16, bytes: [UInt8],
                         timeoutMilliseconds: UInt32) throws(USBCallError) -> Int
    {
        var data = bytes.isEmpty ? [0] : bytes
        let result = data.withUnsafeMutableBufferPointer { buffer in
            libusb_control_transfer(handle, requestType, request, value, index, buffer.baseAddress,
                                    UInt16(bytes.count), timeoutMilliseconds)
        }
        guard result >= 0 else { throw USBCallError(returnValue: result, call: "libusb_control_transfer") }
        return Int(result)
    }
}
