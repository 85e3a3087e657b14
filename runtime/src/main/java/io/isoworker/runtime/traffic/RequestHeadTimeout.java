package io.isoworker.runtime.traffic;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Closes a connection that has not sent a complete request head within a time limit of connecting or of the end of
 * its previous exchange (request read and response sent): the slowloris client that dribbles its head a byte at a
 * time, which an idle timeout that counts bytes never catches.
 * <p>
 * Up to its first request head a connection is Netty and Vert.x's own: Vert.x makes the HTTP connection object (and
 * calls the server's connection handler) only once a first request head is decoded, to tell an {@code Upgrade: h2c}
 * from HTTP/1. Until then the listener's Vert.x idle timeout is set to the head timeout: its handler sits behind
 * the HTTP decoder, so it sees decoded messages, not bytes, and it closes a connection that has sent nothing or only
 * part of a head, silently. When the connection is made, {@link #install} gives the idle handler the real
 * connection idle timeout and, on HTTP/1.x, adds this guard for the heads that follow: a client that had started a
 * head gets a {@code 408} first; an idle keep-alive connection is closed silently (a 408 there could be taken as
 * the answer to a request that was on its way). The body of a request and the wait for its response are not
 * limited here. HTTP/2 connections, and a connection after a {@code 101}, are left to the idle timeout.
 * <p>
 * Two Netty handlers in the connection's pipeline: one behind the HTTP decoder sees whole request heads and the
 * responses going out, one in front of it notices that bytes came in. Cost: one timer per connection, re-armed at
 * most once per timeout period; per request, a few type checks and counter updates, no allocation.
 */
public final class RequestHeadTimeout extends ChannelDuplexHandler {

    private static final String DECODER = "httpDecoder";
    private static final String ENCODER = "httpEncoder";
    /** Vert.x's name for its idle-timeout handler. */
    private static final String IDLE = "idle";
    private static final String NAME = "isoworkerHeadTimeout";
    private static final String BYTES_NAME = "isoworkerHeadBytes";

    private final long timeoutNanos;
    private final ChannelInboundHandlerAdapter bytesSeen = new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            // bytes after the end of the last request can only be the start of the next head; the decoder, next,
            // clears this again if they complete one. Not tied to the end of the exchange: the client may have
            // read its whole answer (and started the next head) before the response's last part passes here.
            if (!readingRequest) {
                headStarted = true;
            }
            ctx.fireChannelRead(msg);
        }
    };
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    /**
     * Request heads received whose final response has not been sent in full. The guard is installed while the
     * connection's first head is being delivered: that one has passed already.
     */
    private int unanswered = 1;
    /** The request being read has not ended (its head came, not yet the end of its body). */
    private boolean readingRequest = true;
    /** The response being written is an interim one (1xx): its end is not the end of the exchange. */
    private boolean interimResponse;
    private boolean waiting;
    /** Bytes came after the end of the last request and no head has been decoded from them yet. */
    private boolean headStarted;
    private long waitingSince;

    private RequestHeadTimeout(long timeoutMillis) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /**
     * Call from the server's connection handler: sets the connection's idle timeout to {@code idleSeconds} (it was
     * the head timeout until now) and guards an HTTP/1.x connection's next request heads (and answers a request
     * line with an unsupported version properly: {@link VersionRefusal}).
     */
    public static void install(HttpConnection connection, long timeoutMillis, int idleSeconds) {
        if (!(connection instanceof ConnectionBase base)) {
            return;
        }
        ChannelPipeline pipeline = base.channel().pipeline();
        if (pipeline.get(IDLE) instanceof IdleStateHandler) {
            pipeline.replace(IDLE, IDLE, new IdleStateHandler(0, 0, idleSeconds, TimeUnit.SECONDS));
        }
        if (connection.protocolVersion() == io.vertx.core.http.HttpVersion.HTTP_2
                || pipeline.get(DECODER) == null || pipeline.get(ENCODER) == null) {
            return;
        }
        RequestHeadTimeout guard = new RequestHeadTimeout(timeoutMillis);
        pipeline.addBefore(DECODER, BYTES_NAME, guard.bytesSeen);
        pipeline.addAfter(ENCODER, NAME, guard);
        VersionRefusal.install(pipeline, ENCODER);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        schedule(timeoutNanos);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            unanswered++;
            readingRequest = true;
            headStarted = false;
            waiting = false;
        }
        if (msg instanceof LastHttpContent) {
            readingRequest = false;
            exchangeMayHaveEnded();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean switching = false;
        if (msg instanceof HttpResponse response) {
            int status = response.status().code();
            interimResponse = status < 200;
            switching = status == HttpResponseStatus.SWITCHING_PROTOCOLS.code();
        }
        if (msg instanceof LastHttpContent && !interimResponse && unanswered > 0) {
            unanswered--;
            exchangeMayHaveEnded();
        }
        ctx.write(msg, promise);
        if (switching) {
            // the connection is becoming HTTP/2 or a WebSocket: no more request heads on it
            ctx.pipeline().remove(bytesSeen);
            ctx.pipeline().remove(this);
        }
    }

    private void exchangeMayHaveEnded() {
        if (unanswered == 0 && !readingRequest && !waiting) {
            waiting = true;
            waitingSince = System.nanoTime();
        }
    }

    private void schedule(long delayNanos) {
        timer = ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void check() {
        timer = null;
        if (!ctx.channel().isActive() || ctx.isRemoved()) {
            return;
        }
        if (!waiting) {
            schedule(timeoutNanos);
            return;
        }
        long left = timeoutNanos - (System.nanoTime() - waitingSince);
        if (left > 0) {
            schedule(left);
        } else if (headStarted) {
            FullHttpResponse timeout = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.REQUEST_TIMEOUT, Unpooled.EMPTY_BUFFER);
            timeout.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(timeout).addListener(f -> ctx.channel().close());
        } else {
            ctx.channel().close();
        }
    }
}
