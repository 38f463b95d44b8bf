import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// Ahead of the WebSocket upgrade: a handshake the browser guard refuses (another site's page, a
/// name the service does not go by) loses its `Upgrade` header here, so that it reaches the router
/// as a plain request and is refused there like any other (403 or 421, with its line in the audit
/// trail). As an upgrade it would get hummingbird-websocket's bare 400 and an error in the log.
/// Only a connection's first request can upgrade, so the handler leaves after that one.
final class UpgradeDefuser: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    let policy: BrowserPolicy

    init(policy: BrowserPolicy) {
        self.policy = policy
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        // Read as the upgrade handler reads it: each comma-separated protocol.
        let upgrade = head.headers[canonicalForm: "upgrade"].contains { $0.lowercased() == "websocket" }
        if upgrade, policy.refusal(authority: head.headers["host"].first, webSocket: true, writes: false, origin: head.headers["origin"].first) != nil {
            head.headers.remove(name: "upgrade")
        }
        context.fireChannelRead(wrapInboundOut(.head(head)))
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

/// hummingbird-websocket's child channel with an `UpgradeDefuser` just before its upgrade handler.
struct DefusedUpgradeChannel: ServerChildChannel {
    let inner: HTTP1WebSocketUpgradeChannel
    let policy: BrowserPolicy

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1WebSocketUpgradeChannel.Value> {
        let policy = self.policy
        return inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let upgrader = try channel.pipeline.syncOperations.handler(type: NIOTypedHTTPServerUpgradeHandler<HTTP1WebSocketUpgradeChannel.UpgradeResult>.self)
            try channel.pipeline.syncOperations.addHandler(UpgradeDefuser(policy: policy), position: .before(upgrader))
            return value
        }
    }

    func handle(value: HTTP1WebSocketUpgradeChannel.Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}
