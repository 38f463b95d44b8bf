import Synchronization
import WallboardTransport

/// What a fake device received.
enum FakeTransfer: Equatable {
    case bulk(endpoint: UInt8, [UInt8])
    case interrupt(endpoint: UInt8, [UInt8])
    case control(requestType: UInt8, request: UInt8, value: UInt16, index: UInt16, [UInt8])
}

/// A USB device for the fake bus: records transfers; fails them once unplugged.
final class FakeUSBDevice: Sendable {
    let vendorID: UInt16
    let productID: UInt16
    let serialNumber: String?
    let endpoints: [USBEndpoint]
    let openFailure: USBCallError.Code?

    private struct State {
        var info: USBDeviceInfo?
        var transfers: [FakeTransfer] = []
        var claimedInterfaces: [Int] = []
    }

    private let state = Mutex(State())

    init(_ match: USBDeviceMatch, serialNumber: String? = nil, endpoints: [USBEndpoint],
         openFailure: USBCallError.Code? = nil)
    {
        vendorID = match.vendorID
        productID = match.productID
        self.serialNumber = serialNumber
        self.endpoints = endpoints
        self.openFailure = openFailure
    }

    var info: USBDeviceInfo? { state.withLock { $0.info } }
    var transfers: [FakeTransfer] { state.withLock { $0.transfers } }
    var claimedInterfaces: [Int] { state.withLock { $0.claimedInterfaces } }

    fileprivate func attach(at info: USBDeviceInfo?) { state.withLock { $0.info = info } }

    fileprivate func record(_ transfer: FakeTransfer, call: String) throws(USBCallError) {
        try state.withLock { state throws(USBCallError) in
            guard state.info != nil else { throw USBCallError(.noDevice, call: call) }
            state.transfers.append(transfer)
        }
    }

    fileprivate func claim(_ interface: Int) throws(USBCallError) {
        try state.withLock { state throws(USBCallError) in
            guard state.info != nil else { throw USBCallError(.noDevice, call: "libusb_claim_interface") }
            state.claimedInterfaces.append(interface)
        }
    }
}

/// A USB bus with devices plugged in and out by the test, reporting hot-plug like libusb.
final class FakeUSBBus: USBBackend {
    let reportsHotplug: Bool

    private struct Watch {
        let vendorID: UInt16
        let productID: UInt16
        let handler: @Sendable (USBHotplugEvent) -> Void
    }

    private struct State {
        var devices: [FakeUSBDevice] = []
        var watches: [Int: Watch] = [:]
        var nextWatch = 0
        var nextAddress: UInt8 = 2
    }

    private let state = Mutex(State())

    init(reportsHotplug: Bool = true) { self.reportsHotplug = reportsHotplug }

    func plug(_ device: FakeUSBDevice) {
        let (info, watches) = state.withLock { state in
            let info = USBDeviceInfo(vendorID: device.vendorID, productID: device.productID, busNumber: 1,
                                     address: state.nextAddress)
            state.nextAddress += 1
            state.devices.append(device)
            return (info, Array(state.watches.values))
        }
        device.attach(at: info)
        notify(.arrived(info), watches: watches)
    }

    func unplug(_ device: FakeUSBDevice) {
        guard let info = device.info else { return }
        let watches = state.withLock { state in
            state.devices.removeAll { $0 === device }
            return Array(state.watches.values)
        }
        device.attach(at: nil)
        notify(.left(info), watches: watches)
    }

    var watchCount: Int { state.withLock { $0.watches.count } }

    func listDevices() throws(USBCallError) -> [USBDeviceInfo] {
        state.withLock { $0.devices.compactMap(\.info) }
    }

    func open(_ device: USBDeviceInfo) throws(USBCallError) -> any USBDeviceConnection {
        guard let found = state.withLock({ $0.devices.first { $0.info == device } }) else {
            throw USBCallError(.noDevice, call: "libusb_open")
        }
        if let failure = found.openFailure { throw USBCallError(failure, call: "libusb_open") }
        return FakeConnection(device: found, info: device)
    }

    func watchHotplug(vendorID: UInt16, productID: UInt16,
                      _ handler: @escaping @Sendable (USBHotplugEvent) -> Void) throws(USBCallError)
        -> (any USBHotplugSubscription)?
    {
        guard reportsHotplug else { return nil }
        let id = state.withLock { state in
            state.nextWatch += 1
            state.watches[state.nextWatch] = Watch(vendorID: vendorID, productID: productID, handler: handler)
            return state.nextWatch
        }
        return Subscription { [weak self] in self?.state.withLock { _ = $0.watches.removeValue(forKey: id) } }
    }

    private func notify(_ event: USBHotplugEvent, watches: [Watch]) {
        let info = switch event {
        case .arrived(let info), .left(let info): info
        }
        for watch in watches where watch.vendorID == info.vendorID && watch.productID == info.productID {
            watch.handler(event)
        }
    }

    private final class Subscription: USBHotplugSubscription {
        let cancel: @Sendable () -> Void
        init(cancel: @escaping @Sendable () -> Void) { self.cancel = cancel }
        deinit { cancel() }
    }

    private final class FakeConnection: USBDeviceConnection {
        let device: FakeUSBDevice
        let info: USBDeviceInfo

        init(device: FakeUSBDevice, info: USBDeviceInfo) {
            self.device = device
            self.info = info
        }

        func serialNumber() throws(USBCallError) -> String? { device.serialNumber }

        func outEndpoints(interface: Int) throws(USBCallError) -> [USBEndpoint] { device.endpoints }

        func claim(interface: Int) throws(USBCallError) { try device.claim(interface) }

        func transfer(_ type: USBTransferType, endpoint: UInt8, bytes: [UInt8], timeoutMilliseconds: UInt32)
            throws(USBCallError) -> Int
        {
            switch type {
            case .bulk: try device.record(.bulk(endpoint: endpoint, bytes), call: "libusb_bulk_transfer")
            case .interrupt:
                try device.record(.interrupt(endpoint: endpoint, bytes), call: "libusb_interrupt_transfer")
            }
            return bytes.count
        }

        func controlTransfer(requestType: UInt8, request: UInt8, value: UInt16, index: UInt16, bytes: [UInt8],
                             timeoutMilliseconds: UInt32) throws(USBCallError) -> Int
        {
            try device.record(.control(requestType: requestType, request: request, value: value, index: index, bytes),
                              call: "libusb_control_transfer")
            return bytes.count
        }
    }
}
