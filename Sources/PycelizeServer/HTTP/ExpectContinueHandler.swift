import HTTPTypes
import NIOHTTPTypes
import NIOCore

/// Answers `Expect: 100-continue` with an interim `100 Continue`, so clients that ask (curl does for every upload
/// over 1 KiB) send the body at once instead of waiting a second for a reply that never comes.
/// Sits in the channel pipeline right after the HTTP codec; the request itself passes on unchanged. A request that
/// declares a body over the upload limit gets no `100 Continue`: the route answers 413 without reading the body.
final class ExpectContinueHandler: ChannelInboundHandler, RemovableChannelHandler {
    let maxBodyBytes: Int

    init(maxBodyBytes: Int) { self.maxBodyBytes = maxBodyBytes }

    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let request) = unwrapInboundIn(data),
           request.headerFields[.expect]?.lowercased() == "100-continue",
           (request.headerFields[.contentLength].flatMap { Int($0) } ?? 0) <= maxBodyBytes {
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
        }
        context.fireChannelRead(data)
    }
}
