import WallboardTransportCore
import WallboardYAML

/// `serial: /dev/ttyUSB0`, with the line's `baud`, `dataBits`, `parity`, `stopBits`,
/// `flowControl` and `rs485` beside it.
public struct SerialTransportSetting: TransportSetting, Equatable {
    public static let name = "serial"
    public static let keys = ["baud", "dataBits", "parity", "stopBits", "flowControl", "rs485"]

    public let path: String
    public let settings: SerialSettings

    public init(path: String, settings: SerialSettings = SerialSettings()) {
        self.path = path
        self.settings = settings
    }

    public static func parse(_ value: YAMLValue, fields: YAMLMapping) throws -> SerialTransportSetting {
        var settings = SerialSettings()
        if let baud = fields.optional("baud") { settings.baudRate = try baud.int(in: 50...4_000_000) }
        if let bits = fields.optional("dataBits") { settings.dataBits = try bits.int(in: 5...8) }
        if let parity = fields.optional("parity") {
            settings.parity = try parity.choice([("none", .none), ("even", .even), ("odd", .odd), ("mark", .mark), ("space", .space)])
        }
        if let stop = fields.optional("stopBits") { settings.stopBits = try stop.choice([("1", .one), ("2", .two)]) }
        if let flow = fields.optional("flowControl") { settings.flowControl = try flow.choice([("none", .none), ("rtscts", .hardware)]) }
        if let rs485 = fields.optional("rs485") {
            settings.rs485 = try rs485.choice([("adapter", .adapterControlled), ("rts", .kernelControlledRTS())])
        }
        return SerialTransportSetting(path: try value.string(), settings: settings)
    }

    public var description: String { path }

    public func makeTransport() throws -> any Transport {
        SerialTransport(path: path, settings: settings)
    }
}
