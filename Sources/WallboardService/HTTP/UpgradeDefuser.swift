import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// Ahead of the WebSocket upgrade: a handshake the router will refuse on its head alone (another
/// site's page, a name the service does not go by, a revoked or lapsed kiosk's cookie as its only
/// credential) loses its `Upgrade` header here, so that it reaches the router as a plain request
/// and is refused there like any other (403, 421 or 401, with its line in the audit trail). As an
/// upgrade it would get hummingbird-websocket's bare 400, whatever the router said. Only a
/// connection's first request can upgrade, so the handler leaves after that one.
final class UpgradeDefuser: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    let policy: BrowserPolicy
    let kiosks: KioskRegistry?
    let now: @Sendable () -> Date

    init(policy: BrowserPolicy, kiosks: KioskRegistry?, now: @escaping @Sendable () -> Date) {
        self.policy = policy
        self.kiosks = kiosks
        self.now = now
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        // Read as the upgrade handler reads it: each comma-separated protocol.
        let upgrade = head.headers[canonicalForm: "upgrade"].contains { $0.lowercased() == "websocket" }
        if upgrade, policy.refusal(authority: head.headers["host"].first, webSocket: true, writes: false, origin: head.headers["origin"].first) != nil
            || hasRefusedKioskCookie(head)
        {
            head.headers.remove(name: "upgrade")
        }
        context.fireChannelRead(wrapInboundOut(.head(head)))
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    /// Whether `KioskAuthenticator` will refuse this request: a kiosk's cookie that no longer admits
    /// anyone, and no `Authorization` that would be read first.
    func hasRefusedKioskCookie(_ head: HTTPRequestHead) -> Bool {
        guard let kiosks, head.headers["authorization"].isEmpty,
              let secret = Cookies(from: head.headers["cookie"])[KioskRegistry.cookieName]?.value, !secret.isEmpty
        else { return false }
        return !kiosks.admits(secret: secret, now: now())
    }
}

/// hummingbird-websocket's child channel with an `UpgradeDefuser` just before its upgrade handler.
struct DefusedUpgradeChannel: ServerChildChannel {
    let inner: HTTP1WebSocketUpgradeChannel
    let policy: BrowserPolicy
    let kiosks: KioskRegistry?
    let now: @Sendable () -> Date

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1WebSocketUpgradeChannel.Value> {
        let policy = self.policy, kiosks = self.kiosks, now = self.now
        return inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let upgrader = try channel.pipeline.syncOperations.handler(type: NIOTypedHTTPServerUpgradeHandler<HTTP1WebSocketUpgradeChannel.UpgradeResult>.self)
            try channel.pipeline.syncOperations.addHandler(UpgradeDefuser(policy: policy, kiosks: kiosks, now: now), position: .before(upgrader))
            return value
        }
    }

    func handle(value: HTTP1WebSocketUpgradeChannel.Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}
