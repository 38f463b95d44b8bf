import Testing
@testable import WallboardTransport
import WallboardTransportCore

@Suite("USB through libusb")
struct LibUSBTests {
    /// What libusb lists on this machine; none where the kernel has no USB at all.
    static var devicesListed: Int { (try? LibUSBBackend().listDevices().count) ?? 0 }

    static var prismIsPluggedIn: Bool {
        ((try? LibUSBBackend().listDevices()) ?? []).contains {
            $0.vendorID == USBDeviceMatch.betaBritePrism.vendorID && $0.productID == USBDeviceMatch.betaBritePrism.productID
        }
    }

    @Test("libusb enumerates the bus for real: every device names its usbfs node",
          .enabled(if: devicesListed > 0, "libusb lists no USB device on this machine"))
    func initialiseAndEnumerate() throws {
        let devices = try LibUSBBackend().listDevices()
        #expect(!devices.isEmpty)
        for device in devices {
            #expect(device.devicePath.hasPrefix("/dev/bus/usb/"))
        }
    }

    @Test("a board that is not plugged in is reported as not found, with its IDs",
          .enabled(if: !prismIsPluggedIn, "a BetaBrite Prism is plugged in"))
    func notPluggedIn() async throws {
        let backend = try LibUSBBackend()
        let transport = USBTransport(match: .betaBritePrism, writeMode: .bulkWithZeroLengthPacket, backend: backend)
        let error = try await #require(throws: TransportError.self) { try await transport.open() }
        #expect(error.kind == .notFound)
        #expect(error.description.hasPrefix("USB 8765:1234: open:"))
    }

    @Test("hot-plug registers and deregisters where libusb supports it")
    func hotplugRegistration() throws {
        let backend = try LibUSBBackend()
        let subscription = try backend.watchHotplug(vendorID: 0x8765, productID: 0x1234) { _ in }
        #expect((subscription != nil) == backend.supportsHotplug)
    }

    @Test("VID:PID[:serial] parses as lsusb prints it")
    func parseMatch() {
        #expect(USBDeviceMatch("8765:1234") == .betaBritePrism)
        #expect(USBDeviceMatch("1d34:0013:A1B2") == USBDeviceMatch(vendorID: 0x1D34, productID: 0x0013, serialNumber: "A1B2"))
        #expect(USBDeviceMatch("1d34") == nil)
        #expect(USBDeviceMatch("zz34:0013") == nil)
        #expect(USBDeviceMatch.dreamCheeky.description == "1d34:0013")
    }
}

@Suite("USB transport through the fake bus")
struct USBTransportTests {
    let prismEndpoints = [USBEndpoint(address: 0x02, type: .bulk)]

    @Test("BetaBrite Prism: the packet goes out on bulk OUT, then a zero-length write")
    func bulkThenZeroLength() async throws {
        let bus = FakeUSBBus()
        let prism = FakeUSBDevice(.betaBritePrism, endpoints: prismEndpoints)
        bus.plug(prism)
        let transport = USBTransport(match: .betaBritePrism, writeMode: .bulkWithZeroLengthPacket, backend: bus)
        try await transport.open()
        let packet: [UInt8] = [0, 0, 0, 0, 0, 1, 0x5A, 0x30, 0x30, 2, 0x41, 0x41, 0x45, 4]
        try await transport.write(packet, timeout: .seconds(1))
        try await transport.write([4], timeout: .seconds(1))
        #expect(prism.transfers == [.bulk(endpoint: 0x02, packet), .bulk(endpoint: 0x02, []),
                                    .bulk(endpoint: 0x02, [4]), .bulk(endpoint: 0x02, [])])
        #expect(prism.claimedInterfaces == [0])
    }

    @Test("the serial number picks one board among several of a kind")
    func bySerialNumber() async throws {
        let bus = FakeUSBBus()
        let first = FakeUSBDevice(.betaBritePrism, serialNumber: "HALL", endpoints: prismEndpoints)
        let second = FakeUSBDevice(.betaBritePrism, serialNumber: "GARAGE", endpoints: prismEndpoints)
        bus.plug(first)
        bus.plug(second)
        let match = USBDeviceMatch(vendorID: 0x8765, productID: 0x1234, serialNumber: "GARAGE")
        let transport = USBTransport(match: match, writeMode: .bulkWithZeroLengthPacket, backend: bus)
        try await transport.open()
        try await transport.write([1, 2, 3], timeout: .seconds(1))
        #expect(first.transfers.isEmpty)
        #expect(second.transfers == [.bulk(endpoint: 0x02, [1, 2, 3]), .bulk(endpoint: 0x02, [])])

        let missing = USBTransport(match: USBDeviceMatch(vendorID: 0x8765, productID: 0x1234, serialNumber: "ROOF"),
                                   writeMode: .bulkWithZeroLengthPacket, backend: bus)
        let error = try await #require(throws: TransportError.self) { try await missing.open() }
        #expect(error.kind == .notFound)
        #expect(error.description.contains("serial ROOF"))
    }

    @Test("Dream Cheeky: a frame goes out as 8-byte SET_REPORT requests, in order")
    func hidReportsByControlTransfer() async throws {
        let bus = FakeUSBBus()
        let board = FakeUSBDevice(.dreamCheeky, endpoints: [])
        bus.plug(board)
        let transport = USBTransport(match: .dreamCheeky, writeMode: .hidReports(length: 8), backend: bus)
        try await transport.open()
        let frame = (0..<32).map { UInt8($0) }
        try await transport.write(frame, timeout: .seconds(1))
        try await transport.write(frame.reversed(), timeout: .seconds(1))
        let expected = (Array(frame) + frame.reversed()).chunked(8).map {
            FakeTransfer.control(requestType: 0x21, request: 0x09, value: 0x0200, index: 0, $0)
        }
        #expect(board.transfers == expected)
    }

    @Test("HID reports use the interrupt OUT endpoint when there is one; the last report is padded")
    func hidReportsByInterrupt() async throws {
        let bus = FakeUSBBus()
        let board = FakeUSBDevice(.dreamCheeky, endpoints: [USBEndpoint(address: 0x01, type: .interrupt)])
        bus.plug(board)
        let transport = USBTransport(match: .dreamCheeky, writeMode: .hidReports(length: 8), backend: bus)
        try await transport.open()
        try await transport.write([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], timeout: .seconds(1))
        #expect(board.transfers == [.interrupt(endpoint: 0x01, [1, 2, 3, 4, 5, 6, 7, 8]),
                                    .interrupt(endpoint: 0x01, [9, 10, 0, 0, 0, 0, 0, 0])])
    }

    @Test("a device without a bulk OUT endpoint is refused with the reason")
    func noBulkEndpoint() async throws {
        let bus = FakeUSBBus()
        bus.plug(FakeUSBDevice(.betaBritePrism, endpoints: [USBEndpoint(address: 0x01, type: .interrupt)]))
        let transport = USBTransport(match: .betaBritePrism, writeMode: .bulkWithZeroLengthPacket, backend: bus)
        let error = try await #require(throws: TransportError.self) { try await transport.open() }
        #expect(error.kind == .unsupportedSetting)
        #expect(error.description.contains("no bulk OUT endpoint"))
    }

    @Test("a permission error names the usbfs node and points to udev/")
    func permissionDenied() async throws {
        let bus = FakeUSBBus()
        let board = FakeUSBDevice(.betaBritePrism, endpoints: prismEndpoints, openFailure: .access)
        bus.plug(board)
        let transport = USBTransport(match: .betaBritePrism, writeMode: .bulkWithZeroLengthPacket, backend: bus)
        let error = try await #require(throws: TransportError.self) { try await transport.open() }
        #expect(error.kind == .permissionDenied)
        #expect(error.description
            == "USB 8765:1234: libusb_open: permission denied on /dev/bus/usb/001/002: "
            + "add your user to group wallboard, see udev/README.md")
    }

    @Test("unplugged then plugged back: hot-plug wakes the reconnect at once and the new device is used",
          .timeLimit(.minutes(1)))
    func hotplugReattach() async throws {
        let bus = FakeUSBBus()
        let before = FakeUSBDevice(.betaBritePrism, endpoints: prismEndpoints)
        bus.plug(before)
        let transport = USBTransport(match: .betaBritePrism, writeMode: .bulkWithZeroLengthPacket, backend: bus)
        // Without hot-plug the second attempt would wait five minutes.
        let policy = DeliveryPolicy(maxAttempts: 2, initialBackoff: .seconds(300), maxBackoff: .seconds(300))
        let link = BoardLink(name: "prism", transport: transport, replies: nil, policy: policy)
        #expect(await link.send([1]) == .delivered(attempts: 1))
        #expect(bus.watchCount == 1)

        bus.unplug(before)
        let after = FakeUSBDevice(.betaBritePrism, endpoints: prismEndpoints)
        bus.plug(after)
        #expect(await link.send([2]) == .delivered(attempts: 2))
        #expect(before.transfers == [.bulk(endpoint: 0x02, [1]), .bulk(endpoint: 0x02, [])])
        #expect(after.transfers == [.bulk(endpoint: 0x02, [2]), .bulk(endpoint: 0x02, [])])
        // The first attempt failed on the old device (gone, or timed out on a loaded machine).
        #expect(await link.status.lastError != nil)
        #expect(await link.status.health == .ok)
    }

    @Test("with hot-plug but no arrival, each failed send still backs off and gives up; a later plug is used")
    func repeatedWaitsWithHotplug() async throws {
        let bus = FakeUSBBus()
        let transport = USBTransport(match: .betaBritePrism, writeMode: .bulkWithZeroLengthPacket, backend: bus)
        let link = BoardLink(name: "prism", transport: transport, replies: nil, policy: fastPolicy)
        for _ in 0..<3 {
            #expect(await link.send([1]) == .failed(.disconnected, attempts: 2))
        }
        #expect(await link.status.lastError == "USB 8765:1234: open: no such device is connected")
        let board = FakeUSBDevice(.betaBritePrism, endpoints: prismEndpoints)
        bus.plug(board)
        #expect(await link.send([1]) == .delivered(attempts: 1))
        #expect(board.transfers.count == 2)
    }

    @Test("without hot-plug an unplugged board reads as disconnected and is found again on a later send")
    func reattachWithoutHotplug() async throws {
        let bus = FakeUSBBus(reportsHotplug: false)
        let before = FakeUSBDevice(.dreamCheeky, endpoints: [])
        bus.plug(before)
        let transport = USBTransport(match: .dreamCheeky, writeMode: .hidReports(length: 8), backend: bus)
        let link = BoardLink(name: "cheeky", transport: transport, replies: nil, policy: fastPolicy)
        #expect(await link.send([UInt8](repeating: 0xFF, count: 32)) == .delivered(attempts: 1))
        bus.unplug(before)
        #expect(await link.send([UInt8](repeating: 0xFF, count: 32)) == .failed(.disconnected, attempts: 2))
        #expect(await link.status.health == .disconnected)
        let after = FakeUSBDevice(.dreamCheeky, endpoints: [])
        bus.plug(after)
        #expect(await link.send([UInt8](repeating: 0xFF, count: 32)) == .delivered(attempts: 1))
        #expect(after.transfers.count == 4)
        #expect(bus.watchCount == 0)
    }
}

extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
