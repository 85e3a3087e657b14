package io.isoworker.runtime.traffic;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * Vert.x refuses a request line whose version is neither {@code HTTP/1.0} nor {@code HTTP/1.1} with {@code 501 Not
 * Implemented}, echoing the client's version ({@code HTTP/9.9 501}): a server error for a client's mistake. This
 * answers {@code 505 HTTP Version Not Supported} for another major version and {@code 400} for a malformed one (such
 * as {@code http/1.1}) instead, in HTTP/1.1, and closes. It recognises Vert.x's refusal by its version: every other
 * response, a worker's 501 included, carries one of Netty's two version constants.
 */
final class VersionRefusal extends ChannelOutboundHandlerAdapter {

    private static final String NAME = "isoworkerVersionRefusal";

    private VersionRefusal() {
    }

    /** Adds the handler behind the HTTP encoder of an HTTP/1.x pipeline. */
    static void install(ChannelPipeline pipeline, String encoderName) {
        pipeline.addAfter(encoderName, NAME, new VersionRefusal());
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof FullHttpResponse refusal && refusal.status().code() == 501
                && refusal.protocolVersion() != HttpVersion.HTTP_1_1 && refusal.protocolVersion() != HttpVersion.HTTP_1_0) {
            HttpVersion asked = refusal.protocolVersion();
            ReferenceCountUtil.release(refusal);
            boolean otherMajor = asked.majorVersion() != 1 && "HTTP".equals(asked.protocolName());
            FullHttpResponse answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, otherMajor
                    ? HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED : HttpResponseStatus.BAD_REQUEST, Unpooled.EMPTY_BUFFER);
            answer.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.write(answer, promise).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.write(msg, promise);
    }
}
