/// Line settings for a serial board. Chinese controllers mostly run 9600 or 57600 8N1; Alpha signs
/// are often 9600 7E1.
public struct SerialSettings: Sendable, Equatable {
    public enum Parity: Sendable, Equatable, CaseIterable {
        case none, even, odd, mark, space
    }

    public enum StopBits: Int, Sendable, Equatable {
        case one = 1, two = 2
    }

    public enum FlowControl: Sendable, Equatable {
        case none
        /// RTS/CTS hardware handshake.
        case hardware
    }

    /// How the transmitter is switched on for a half-duplex RS-485 bus.
    public enum RS485: Sendable, Equatable {
        /// The adapter switches direction itself (USB-RS485 converters with automatic direction
        /// control, the common case): nothing to configure.
        case adapterControlled
        /// The kernel raises RTS while sending (TIOCSRS485), for UARTs wired to a transceiver.
        case kernelControlledRTS(delayBeforeSendMilliseconds: UInt32 = 0, delayAfterSendMilliseconds: UInt32 = 0)
    }

    public var baudRate: Int
    /// 5 to 8.
    public var dataBits: Int
    public var parity: Parity
    public var stopBits: StopBits
    public var flowControl: FlowControl
    /// `nil` for RS-232 or USB-serial without RS-485.
    public var rs485: RS485?

    public init(baudRate: Int = 9600, dataBits: Int = 8, parity: Parity = .none, stopBits: StopBits = .one,
                flowControl: FlowControl = .none, rs485: RS485? = nil)
    {
        self.baudRate = baudRate
        self.dataBits = dataBits
        self.parity = parity
        self.stopBits = stopBits
        self.flowControl = flowControl
        self.rs485 = rs485
    }

    /// Bits on the wire per byte: start bit, data, parity, stop bits.
    public var bitsPerByte: Int { 1 + dataBits + (parity == .none ? 0 : 1) + stopBits.rawValue }

    /// How long `byteCount` bytes take on the wire. A pseudo-terminal does not simulate baud
    /// rates, so pacing must be computed, not observed.
    public func wireTime(byteCount: Int) -> Duration {
        .nanoseconds(Int64(byteCount) * Int64(bitsPerByte) * 1_000_000_000 / Int64(max(1, baudRate)))
    }
}
