import Glibc
import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// How many connections each client address holds, shared by every connection's `ConnectionGuard`.
final class ClientConnections: Sendable {
    let perClient: Int
    private let counts = Mutex<[String: Int]>([:])

    init(perClient: Int) {
        self.perClient = perClient
    }

    /// Counts a new connection from `client`; false (and not counted) when it already holds its share.
    func open(_ client: String) -> Bool {
        counts.withLock { counts in
            guard counts[client, default: 0] < perClient else { return false }
            counts[client, default: 0] += 1
            return true
        }
    }

    func close(_ client: String) {
        counts.withLock { counts in
            counts[client, default: 1] -= 1
            if counts[client] == 0 { counts[client] = nil }
        }
    }

    /// Connections open now, from every client.
    var open: Int { counts.withLock { $0.values.reduce(0, +) } }
}

/// First in every connection's pipeline, before HTTP sees a byte: closes the connection at once when
/// its client already holds its share, and when the first request's head has not arrived within
/// `timeout` (an idle or half-open socket). Hummingbird's idle timeout takes over after that head;
/// before it, on a server that can upgrade to WebSocket, nothing else would.
final class ConnectionGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let connections: ClientConnections
    let timeout: TimeAmount
    private var deadline: Scheduled<Void>?
    /// The last three bytes read, to find the blank line that ends the first head across reads.
    private var tail: [UInt8] = []

    init(connections: ClientConnections, timeout: TimeAmount) {
        self.connections = connections
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        let client = channel.remoteAddress?.ipAddress ?? "unknown"
        guard connections.open(client) else {
            context.close(promise: nil)
            return
        }
        let connections = self.connections
        channel.closeFuture.whenComplete { _ in connections.close(client) }
        deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if let deadline {
            let bytes = tail + unwrapInboundIn(data).readableBytesView
            if bytes.containsHeadEnd {
                deadline.cancel()
                self.deadline = nil
            }
            tail = Array(bytes.suffix(3))
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }
}

extension [UInt8] {
    /// Whether the bytes hold CR LF CR LF, the end of an HTTP head.
    var containsHeadEnd: Bool {
        count >= 4 && indices.dropLast(3).contains { self[$0] == 13 && self[$0 + 1] == 10 && self[$0 + 2] == 13 && self[$0 + 3] == 10 }
    }
}

/// A server's child channel with a `ConnectionGuard` in front of whatever `inner` sets up.
struct GuardedChildChannel<Inner: ServerChildChannel>: ServerChildChannel {
    let inner: Inner
    let connections: ClientConnections
    let timeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Inner.Value> {
        let connections = self.connections, timeout = self.timeout
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(ConnectionGuard(connections: connections, timeout: timeout))
        }.flatMap {
            inner.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Inner.Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// How many connections HTTP may hold: the configured cap, but never so many that the boards'
/// devices and sockets, the database and the service's own files would find no descriptor left
/// (`reserved` of the process's limit are kept back for them).
enum DescriptorBudget {
    static func httpConnections(configured: Int, reserved: Int, limit: Int? = currentLimit()) -> Int {
        guard let limit else { return configured }
        return max(1, min(configured, limit - reserved))
    }

    /// The process's soft limit on open descriptors; nil when unlimited or unknown.
    static func currentLimit() -> Int? {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        return Int(clamping: limit.rlim_cur)
    }
}
