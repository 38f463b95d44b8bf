import Testing
import WallboardTransport
import WallboardTransportCore
import WallboardYAML

/// Each kind in `TransportKinds.all` reads its keys of a board's `transport:` and makes the
/// transport they describe.
@Suite struct TransportSettingTests {
    /// `kind` read from `yaml`, a board's `transport:` mapping.
    static func parse<Kind: TransportSetting>(_ kind: Kind.Type, _ yaml: String) throws -> Kind {
        let fields = try YAMLValue.parse(yaml, file: "board.yaml").mapping()
        try fields.rejectUnknownKeys([kind.name] + kind.keys)
        return try kind.parse(fields.required(kind.name), fields: fields)
    }

    @Test func everyKindHasANameOfItsOwn() {
        let names = TransportKinds.all.map { $0.name }
        #expect(Set(names).count == names.count)
        #expect(!names.contains("framebuffer") && !names.contains("browser"), "outputs that are not transports")
        for kind in TransportKinds.all {
            #expect(Set(kind.keys).isDisjoint(with: names), "\(kind.name)'s keys name no kind")
        }
    }

    @Test func serialReadsTheLineSettings() throws {
        let setting = try Self.parse(SerialTransportSetting.self, """
            serial: /dev/wallboard/door-s01
            baud: 57600
            dataBits: 7
            parity: even
            stopBits: 2
            flowControl: rtscts
            rs485: rts
            """)
        #expect(setting == SerialTransportSetting(path: "/dev/wallboard/door-s01", settings: SerialSettings(
            baudRate: 57600, dataBits: 7, parity: .even, stopBits: .two, flowControl: .hardware, rs485: .kernelControlledRTS()
        )))
        #expect(try Self.parse(SerialTransportSetting.self, "serial: /dev/ttyUSB0").settings == SerialSettings())
        #expect(try setting.makeTransport().deviceName == "/dev/wallboard/door-s01")
        #expect(!setting.isNetworkConnection)
        let error = try #require(throws: YAMLFileError.self) { try Self.parse(SerialTransportSetting.self, "serial: /dev/x\nbaud: 10") }
        #expect(error.description == "board.yaml:2:7: 'baud' must be between 50 and 4000000, not 10")
    }

    @Test func tcpIsHostAndPort() throws {
        let setting = try Self.parse(TCPTransportSetting.self, "tcp: 10.20.2.50:5005")
        #expect(setting == TCPTransportSetting(host: "10.20.2.50", port: 5005))
        #expect(try setting.makeTransport().deviceName == "10.20.2.50:5005")
        #expect(setting.isNetworkConnection, "C-Power frames its packets for the network over it")
        for bad in ["10.20.2.50", ":5005", "host:0", "host:70000"] {
            let error = try #require(throws: YAMLFileError.self) { try Self.parse(TCPTransportSetting.self, "tcp: \(bad)") }
            #expect(error.description == "board.yaml:1:6: 'tcp' is host:port (such as 10.1.2.3:5005), not '\(bad)'")
        }
    }

    @Test func usbIsVendorAndProductWithSerialNumberAndMode() throws {
        let setting = try Self.parse(USBTransportSetting.self, "usb: 1d34:0013\nserialNumber: A1B2\nmode: hid")
        #expect(setting == USBTransportSetting(match: USBDeviceMatch(vendorID: 0x1D34, productID: 0x0013, serialNumber: "A1B2"), mode: .hid))
        #expect(try Self.parse(USBTransportSetting.self, "usb: 8765:1234:C3").match.serialNumber == "C3")
        #expect(try Self.parse(USBTransportSetting.self, "usb: 8765:1234").mode == .bulk)
        #expect(try setting.makeTransport().deviceName == "USB 1d34:0013 serial A1B2")
        let error = try #require(throws: YAMLFileError.self) { try Self.parse(USBTransportSetting.self, "usb: betabrite") }
        #expect(error.description == "board.yaml:1:6: 'usb' is VID:PID in hex as lsusb prints it (such as 8765:1234), not 'betabrite'")
    }
}
