import Glibc
import Testing
import WallboardTestKit
@testable import WallboardTransport
import WallboardTransportCore

@Suite("Serial transport over real pseudo-terminals")
struct SerialTransportTests {
    @Test("every byte written arrives unchanged at the other end, and back")
    func bytesArriveExactly() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let serial = SerialTransport(path: pty.devicePath)
        try await serial.open()
        try await serial.write(everyByte, timeout: .seconds(5))
        #expect(try await pty.read(exactly: everyByte.count, timeout: .seconds(10)) == everyByte)

        try await pty.write(everyByte.reversed())
        var received: [UInt8] = []
        while received.count < everyByte.count {
            let chunk = try await serial.read(upTo: 4096, timeout: .seconds(10))
            try #require(!chunk.isEmpty)
            received += chunk
        }
        #expect(received == everyByte.reversed())
        await serial.close()
    }

    static let lineSettings = [
        SerialSettings(baudRate: 9600),
        SerialSettings(baudRate: 57600),
        SerialSettings(baudRate: 9600, dataBits: 7, parity: .even),
        SerialSettings(baudRate: 4800, dataBits: 8, parity: .even, stopBits: .two),
        SerialSettings(baudRate: 19200, dataBits: 7, parity: .odd, stopBits: .one),
        SerialSettings(baudRate: 115200, dataBits: 8, parity: .mark),
        SerialSettings(baudRate: 2400, dataBits: 6, parity: .space, stopBits: .two),
        SerialSettings(baudRate: 38400, dataBits: 5, flowControl: .hardware),
    ]

    @Test("line settings are applied to the terminal (read back with tcgetattr)", arguments: lineSettings)
    func settingsApplied(settings: SerialSettings) async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let serial = SerialTransport(path: pty.devicePath, settings: settings)
        try await serial.open()
        let applied = try pty.appliedSettings()
        #expect(applied.baudRate == settings.baudRate)
        #expect(applied.stopBits == settings.stopBits)
        #expect(applied.flowControl == settings.flowControl)
        // Linux pseudo-terminals force 8 data bits without parity; real UARTs keep them.
        #expect(applied.dataBits == 8 && applied.parity == .none)
        await serial.close()
    }

    @Test("the termios built for each setting decodes back to that setting", arguments: lineSettings)
    func termiosFlags(settings: SerialSettings) throws {
        let attributes = try SerialTransport.attributes(for: settings, startingFrom: termios(), device: "test")
        #expect(SerialTransport.settings(from: attributes) == settings)
        #expect(attributes.c_cflag & tcflag_t(CLOCAL | CREAD) == tcflag_t(CLOCAL | CREAD))
        #expect(attributes.c_lflag & tcflag_t(ICANON | ECHO | ISIG) == 0)
        #expect(attributes.c_iflag & tcflag_t(IXON | IXOFF | ICRNL) == 0)
        #expect(attributes.c_oflag & tcflag_t(OPOST) == 0)
    }

    @Test("a baud rate the kernel has no constant for is refused before opening anything")
    func unsupportedBaudRate() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let serial = SerialTransport(path: pty.devicePath, settings: SerialSettings(baudRate: 12345))
        let error = try await #require(throws: TransportError.self) { try await serial.open() }
        #expect(error.kind == .unsupportedSetting)
        #expect(error.description.contains(pty.devicePath))
        #expect(error.description.contains("12345"))

        let nineBits = SerialTransport(path: pty.devicePath, settings: SerialSettings(dataBits: 9))
        let bitsError = try await #require(throws: TransportError.self) { try await nineBits.open() }
        #expect(bitsError.kind == .unsupportedSetting)
    }

    @Test("kernel RS-485 mode on a port without it says so and names the fix")
    func rs485Unsupported() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let serial = SerialTransport(path: pty.devicePath,
                                     settings: SerialSettings(rs485: .kernelControlledRTS()))
        let error = try await #require(throws: TransportError.self) { try await serial.open() }
        #expect(error.kind == .unsupportedSetting)
        #expect(error.operation == "ioctl(TIOCSRS485)")
        #expect(error.description.contains("adapterControlled"))
    }

    @Test("a missing port is reported as not found, with its path")
    func missingPort() async throws {
        let serial = SerialTransport(path: "/dev/wallboard/no-such-board")
        let error = try await #require(throws: TransportError.self) { try await serial.open() }
        #expect(error.kind == .notFound)
        #expect(error.description.hasPrefix("/dev/wallboard/no-such-board: open:"))
    }

    @Test("a permission error names the device and points to udev/")
    func permissionDenied() async throws {
        let mapped = TransportError.system(EACCES, device: "/dev/ttyUSB0", operation: "open")
        #expect(mapped.kind == .permissionDenied)
        #expect(mapped.description.contains("/dev/ttyUSB0"))
        #expect(mapped.description.contains("add your user to group wallboard, see udev/README.md"))

        // For real where permissions apply (root opens anything).
        if geteuid() != 0 {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let path = "\(directory.path)/locked"
            let created = creat(path, 0)
            #expect(created >= 0)
            Glibc.close(created)
            let error = try await #require(throws: TransportError.self) {
                try await SerialTransport(path: path).open()
            }
            #expect(error.kind == .permissionDenied)
            #expect(error.description.contains(path))
        }
    }

    @Test("a board that takes no bytes makes the write time out, saying how far it got")
    func writeTimeout() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let serial = SerialTransport(path: pty.devicePath)
        try await serial.open()
        // Nobody reads the other end: the terminal's buffer fills and stays full.
        let error = try await #require(throws: TransportError.self) {
            try await serial.write([UInt8](repeating: 0x55, count: 1 << 20), timeout: .milliseconds(100))
        }
        #expect(error.kind == .timedOut)
        #expect(error.detail.hasPrefix("wrote "))
        #expect(error.detail.hasSuffix(" of 1048576 bytes before the timeout"))
        await serial.close()
    }

    @Test("a reply read waits for the answer, returns nothing once the timeout passes, and reads even with no time left")
    func replyRead() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let serial = SerialTransport(path: pty.devicePath)
        try await serial.open()
        async let answer = serial.readReply(upTo: 16, timeout: .seconds(10))
        try await Task.sleep(for: .milliseconds(20))
        try await pty.write([0x06])
        #expect(try await answer == [0x06])

        #expect(try await serial.readReply(upTo: 16, timeout: .milliseconds(20)) == [])

        try await pty.write([0x15])
        // The byte crosses the terminal a moment later: no time left to wait, each try still reads.
        let late = try await eventually("the answer read with no time left") {
            let chunk = try await serial.readReply(upTo: 16, timeout: .zero)
            return chunk.isEmpty ? nil : chunk
        }
        #expect(late == [0x15])
        await serial.close()
    }

    @Test("reads and writes on a closed port report notOpen")
    func notOpen() async throws {
        let serial = SerialTransport(path: "/dev/null")
        let error = try await #require(throws: TransportError.self) {
            try await serial.write([1], timeout: .seconds(1))
        }
        #expect(error.kind == .notOpen)
    }

    @Test("the wire time follows the line settings")
    func wireTime() {
        #expect(SerialSettings(baudRate: 9600).wireTime(byteCount: 960) == .seconds(1))
        #expect(SerialSettings(baudRate: 9600, dataBits: 7, parity: .even, stopBits: .two).bitsPerByte == 11)
    }
}
