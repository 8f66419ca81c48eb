import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Closes a connection whose first request head (up to its empty line) has not arrived within `timeout`.
///
/// Hummingbird's idle timeout covers a connection once its first request head is parsed (between requests and
/// mid-body), but on a server that can upgrade to WebSocket its idle handler is only installed after that first
/// head — so a client that connects and sends nothing, or half a header, would hold the socket forever. This
/// handler sits first in the pipeline and watches raw bytes until the first `CRLF CRLF`, then passes everything on.
final class RequestHeadDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeout: TimeAmount
    private var scheduled: Scheduled<Void>?
    private var lastBytes: UInt32 = 0
    private var headSeen = false

    init(timeout: TimeAmount) { self.timeout = timeout }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { schedule(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        schedule(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        scheduled?.cancel()
        scheduled = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !headSeen {
            let buffer = unwrapInboundIn(data)
            // Only the first request's header bytes are looked at (a few hundred bytes, once per connection).
            buffer.withUnsafeReadableBytes { bytes in
                for b in bytes {
                    lastBytes = lastBytes << 8 | UInt32(b)
                    if lastBytes == 0x0D0A_0D0A { headSeen = true; break }
                }
            }
            if headSeen {
                scheduled?.cancel()
                scheduled = nil
            }
        }
        context.fireChannelRead(data)
    }

    private func schedule(_ context: ChannelHandlerContext) {
        guard scheduled == nil, !headSeen else { return }
        let channel = context.channel
        scheduled = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
            guard let self, !self.headSeen else { return }
            channel.close(promise: nil)
        }
    }
}

/// A server child channel with `RequestHeadDeadlineHandler` in front of `inner`'s pipeline.
struct HeadDeadlineChannel<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value
    let inner: Inner
    let timeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(RequestHeadDeadlineHandler(timeout: timeout))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return inner.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// `make`'s child channel, guarded by a first-request-head deadline when `timeout` is set.
    static func withHeadDeadline<C: ServerChildChannel>(
        _ timeout: TimeAmount?, _ make: @escaping @Sendable (@escaping HTTPChannelHandler.Responder) -> C
    ) -> HTTPServerBuilder {
        .init { responder in
            let inner = make(responder)
            guard let timeout else { return inner }
            return HeadDeadlineChannel(inner: inner, timeout: timeout)
        }
    }
}
