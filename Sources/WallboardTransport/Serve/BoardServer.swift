import Synchronization
import WallboardTransportCore

/// Plays a board on a pseudo-terminal: a `SerialTransport` (or any serial program) opens
/// `devicePath` and talks to `board` as it would to a board on a serial port.
public final class PseudoTerminalBoardServer: Sendable {
    public let board: any ServedBoard
    private let terminal: PseudoTerminal

    /// The serial device to give to the sender, e.g. /dev/pts/7.
    public var devicePath: String { terminal.devicePath }

    public init(board: any ServedBoard) throws {
        self.board = board
        self.terminal = try PseudoTerminal()
    }

    /// Serves until the task is cancelled or `close()` is called. The sender may open and close
    /// the device any number of times meanwhile.
    public func run() async throws {
        while !Task.isCancelled {
            let received: [UInt8]
            do {
                received = try await terminal.read(timeout: .seconds(3600))
            } catch let error as TransportError where error.kind == .notOpen {
                return
            }
            if received.isEmpty { continue }
            let answer = await board.receive(received)
            if !answer.isEmpty { try await terminal.write(answer) }
        }
    }

    /// Closes the terminal: the sender sees a hang-up, as when a board's adapter is pulled.
    public func close() { terminal.close() }
}

/// Plays a networked board (an Onbon card on port 5005, say) on a TCP port, serving each
/// connection as it comes, all to the same `board`.
public final class TCPBoardServer: Sendable {
    public let board: any ServedBoard
    private let listener: TCPListener
    private let connectionsAccepted = Atomic<Int>(0)

    /// The port actually listened on (the ephemeral one when 0 was asked for).
    public var port: UInt16 { listener.port }

    /// - Parameters:
    ///   - host: the IPv4 address to listen on; "127.0.0.1" keeps the board on this machine.
    ///   - port: 0 for an ephemeral port.
    public init(board: any ServedBoard, host: String = "127.0.0.1", port: UInt16 = 0) throws {
        self.board = board
        self.listener = try TCPListener(host: host, port: port)
    }

    /// Serves until the task is cancelled or `close()` is called.
    public func run() async throws {
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let connection: Descriptor
                do {
                    connection = try await listener.accept(timeout: .seconds(3600))
                } catch let error as TransportError where error.kind == .timedOut {
                    continue
                } catch {
                    break  // closed or cancelled
                }
                let number = connectionsAccepted.add(1, ordering: .relaxed).newValue
                group.addTask { [board] in
                    await Self.serve(connection, number: number, board: board)
                }
            }
            group.cancelAll()
        }
    }

    public func close() { listener.close() }

    private static func serve(_ connection: Descriptor, number: Int, board: any ServedBoard) async {
        defer { connection.close() }
        while !Task.isCancelled {
            guard let received = try? await connection.readAvailable(upTo: 4096, deadline: Duration.seconds(3600).fromNow)
            else { break }
            if received.isEmpty { continue }
            let answer = await board.receive(received, on: number)
            if !answer.isEmpty {
                guard (try? await connection.writeAll(answer, deadline: Duration.seconds(10).fromNow)) != nil else {
                    break
                }
            }
        }
        await board.connectionClosed(number)
    }
}
