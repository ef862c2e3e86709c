import NIOConcurrencyHelpers
import NIOCore
import NIOHTTPTypes

/// Bounds what one connection may hold the service for: its request's head must arrive within
/// ``ServerLimits/headerTimeout`` (of the connection's start, or of the end of the response
/// before), its body within ``ServerLimits/bodyTimeout`` of the head, and one client address
/// may keep at most ``ServerLimits/connectionsPerClient`` connections open. A connection past
/// a bound is closed: a client that sends slowly cannot hold connections for minutes.
///
/// The time a request takes to answer is not bounded here: the timer stops once the request has
/// arrived and starts again when its response has been written.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Open connections per client address, shared by every connection of the server.
    final class Clients: Sendable {
        let counts = NIOLockedValueBox<[String: Int]>([:])

        /// Counts a connection of `address`; false when the address holds `limit` already.
        func open(_ address: String, limit: Int) -> Bool {
            counts.withLockedValue { counts in
                let open = counts[address, default: 0]
                guard open < limit else { return false }
                counts[address] = open + 1
                return true
            }
        }

        func close(_ address: String) {
            counts.withLockedValue { counts in
                let open = counts[address, default: 1] - 1
                counts[address] = open > 0 ? open : nil
            }
        }
    }

    let limits: ServerLimits
    let clients: Clients
    private var counted: String?
    private var deadline: Scheduled<Void>?

    init(limits: ServerLimits, clients: Clients) {
        self.limits = limits
        self.clients = clients
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { opened(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        opened(context)
        context.fireChannelActive()
    }

    private func opened(_ context: ChannelHandlerContext) {
        guard deadline == nil, counted == nil else { return }
        // Behind a proxy every connection comes from the proxy: only the timers apply.
        if !limits.behindProxy, let address = context.channel.remoteAddress?.ipAddress {
            guard clients.open(address, limit: limits.connectionsPerClient) else {
                context.close(promise: nil)
                return
            }
            counted = address
        }
        arm(limits.headerTimeout, context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: arm(limits.bodyTimeout, context)
        case .body: break
        case .end: disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            // The next request's head is due within the header timeout of this response's end.
            arm(limits.headerTimeout, context)
        }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        released()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        released()
    }

    private func released() {
        disarm()
        if let address = counted { clients.close(address) }
        counted = nil
    }

    private func arm(_ timeout: Duration, _ context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) {
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}
