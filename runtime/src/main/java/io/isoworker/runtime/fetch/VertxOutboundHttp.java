package io.isoworker.runtime.fetch;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.api.http.OutboundCall;
import io.isoworker.api.http.OutboundHttp;
import io.isoworker.api.http.OutboundListener;
import io.isoworker.api.http.OutboundRequest;
import io.isoworker.runtime.loop.EventLoopTasks;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.resolver.NameResolver;
import io.vertx.core.net.SocketAddress;

/**
 * Guest {@code fetch()} over one Vert.x {@link HttpClient} per server. Each request resolves its host with Vert.x's
 * non-blocking resolver, checks the resolved address against the {@link EgressPolicy}, then connects to exactly that
 * address (Host header and TLS SNI keep the name). Everything runs on the calling event loop; a response body is
 * read one chunk per {@link OutboundCall#pull}, so the guest's reading paces the socket.
 */
public final class VertxOutboundHttp implements OutboundHttp {

    private static final Logger LOG = LoggerFactory.getLogger(VertxOutboundHttp.class);

    /** Headers the client sets itself: framing, connection management, the Host, and the hop count. */
    private static final Set<String> CLIENT_HEADERS = Set.of("host", "content-length", "transfer-encoding",
            "connection", "keep-alive", "upgrade", "te", "trailer", "expect", "proxy-connection", HOP_HEADER);

    /** Request-body bytes handed over by a guest and not yet written, before write() says "wait". */
    private static final int IN_TRANSIT_MAX = 64 * 1024;

    private final Vertx vertx;
    private final HttpClient client;
    private final NameResolver resolver;
    private final FetchSettings settings;

    public VertxOutboundHttp(Vertx vertx, FetchSettings settings) {
        this.vertx = vertx;
        this.settings = settings;
        this.resolver = ((VertxInternal) vertx).nameResolver();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setDecompressionSupported(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeoutMs()))
                .setMaxHeaderSize(64 * 1024)
                .setMaxChunkSize(64 * 1024)
                .setKeepAliveTimeout(30),
                new PoolOptions().setHttp1MaxSize(32));
    }

    public EgressPolicy egress() {
        return settings.egress();
    }

    @Override
    public int subrequestLimit() {
        return settings.subrequests();
    }

    @Override
    public OutboundCall send(OutboundRequest request, OutboundListener listener) {
        Exchange exchange = new Exchange(request, listener);
        exchange.onLoop(exchange::start);
        return exchange;
    }

    /**
     * One request and its response, from DNS to the end of the body. Everything happens on one event loop; the
     * guest's calls come from its guest thread and are queued for that loop.
     */
    private final class Exchange implements OutboundCall {
        private final OutboundRequest spec;
        private final OutboundListener listener;
        private final Context context = vertx.getOrCreateContext();
        private final EventLoopTasks loop = new EventLoopTasks(context);
        /** Bytes of the request body the guest handed over that the loop may not have written yet. */
        private final AtomicLong inTransit = new AtomicLong();
        /** The request could not take more at the last write (not connected yet, or its queue was full). */
        private volatile boolean blocked;
        private FetchUrl url;
        private HttpClientRequest request;
        private HttpClientResponse response;
        private boolean over;
        /** The listener wants no more events; the body is read and dropped. */
        private boolean silenced;
        private final List<Buffer> unsent = new ArrayList<>(1);
        private boolean endUnsent;
        private Runnable writable;
        private long lastActivity;

        Exchange(OutboundRequest spec, OutboundListener listener) {
            this.spec = spec;
            this.listener = listener;
        }

        void start() {
            url = FetchUrl.parse(spec.url());
            if (url == null) {
                fail("Invalid URL: " + spec.url());
                return;
            }
            activity();
            vertx.setTimer(settings.idleTimeoutMs(), id -> onLoop(this::checkIdle));
            InetAddress literal = IpLiterals.parse(url.host());
            if (literal != null) {
                connect(literal);
                return;
            }
            resolver.resolve(url.host()).onComplete(ar -> onLoop(() -> {
                if (over) {
                    return;
                }
                if (ar.failed()) {
                    fail("Network connection failed: could not resolve " + url.host() + ".");
                } else {
                    connect(ar.result());
                }
            }));
        }

        private void connect(InetAddress address) {
            String refusal = settings.egress().refusal(url.host(), address, url.port());
            if (refusal != null) {
                LOG.warn("script {}: fetch to {} refused: {}", spec.scriptName(), url.hostPort(), refusal);
                fail("Fetch to " + url.hostPort() + " refused: " + refusal
                        + " (the server's egress-allow setting can allow it).");
                return;
            }
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.valueOf(spec.method()))
                    .setServer(server(address, url.port()))
                    .setHost(url.host().indexOf(':') >= 0 ? "[" + url.host() + "]" : url.host())
                    .setPort(url.port())
                    .setSsl(url.https())
                    .setURI(url.requestUri())
                    .setConnectTimeout(settings.connectTimeoutMs())
                    .setFollowRedirects(false);
            for (Map.Entry<String, String> h : spec.headers()) {
                if (!CLIENT_HEADERS.contains(h.getKey())) {
                    options.addHeader(h.getKey(), h.getValue());
                }
            }
            options.putHeader(HOP_HEADER, Integer.toString(spec.hops()));
            try {
                client.request(options).onComplete(ar -> onLoop(() -> {
                    if (ar.failed()) {
                        fail(describe(ar.cause()));
                    } else {
                        opened(ar.result());
                    }
                }));
            } catch (RuntimeException e) {
                // the client refused the request as given (a malformed header, say)
                LOG.debug("script {}: fetch to {} not sent", spec.scriptName(), url.hostPort(), e);
                fail("Network connection failed: the request could not be sent (" + e.getMessage() + ").");
            }
        }

        /** The address to connect to; Vert.x wants IPv6 in brackets, as an authority writes it. */
        private static SocketAddress server(InetAddress address, int port) {
            if (address instanceof java.net.Inet6Address) {
                return SocketAddress.inetSocketAddress(port, "[" + address.getHostAddress() + "]");
            }
            return SocketAddress.inetSocketAddress(new InetSocketAddress(address, port));
        }

        private void opened(HttpClientRequest r) {
            if (over) {
                r.reset();
                return;
            }
            request = r;
            activity();
            r.exceptionHandler(e -> fail(describe(e)));
            r.response().onComplete(ar -> onLoop(() -> {
                if (ar.failed()) {
                    fail(describe(ar.cause()));
                } else {
                    received(ar.result());
                }
            }));
            if (spec.streamed()) {
                r.setChunked(true);
                for (Buffer b : unsent) {
                    r.write(b);
                }
                unsent.clear();
                blocked = r.writeQueueFull();
                if (endUnsent) {
                    r.end();
                } else if (writable != null) {
                    awaitWritable();
                }
            } else if (spec.body() != null) {
                r.end(Buffer.buffer(spec.body()));
            } else {
                r.end();
            }
        }

        private void received(HttpClientResponse r) {
            if (over) {
                return;
            }
            response = r;
            activity();
            r.pause();
            r.handler(chunk -> {
                if (!over) {
                    activity();
                    if (!silenced) {
                        listener.onData(chunk.getBytes());
                    }
                }
            });
            r.endHandler(v -> {
                if (!over) {
                    over = true;
                    if (!silenced) {
                        listener.onEnd();
                    }
                }
            });
            r.exceptionHandler(e -> fail(describe(e)));
            List<Map.Entry<String, String>> headers = new ArrayList<>(r.headers().size());
            for (Map.Entry<String, String> h : r.headers()) {
                headers.add(h);
            }
            listener.onResponse(r.statusCode(), r.statusMessage() == null ? "" : r.statusMessage(), headers);
        }

        @Override
        public boolean write(byte[] chunk) {
            int length = chunk.length;
            long waiting = inTransit.addAndGet(length);
            onLoop(() -> {
                inTransit.addAndGet(-length);
                writeOnLoop(chunk);
            });
            return !blocked && waiting < IN_TRANSIT_MAX;
        }

        private void writeOnLoop(byte[] chunk) {
            if (over) {
                return;
            }
            activity();
            if (request == null) {
                unsent.add(Buffer.buffer(chunk));
                blocked = true;
                return;
            }
            request.write(Buffer.buffer(chunk));
            blocked = request.writeQueueFull();
        }

        @Override
        public void onWritable(Runnable next) {
            onLoop(() -> onWritableOnLoop(next));
        }

        private void onWritableOnLoop(Runnable next) {
            if (over || (request != null && !request.writeQueueFull())) {
                next.run();
                return;
            }
            writable = next;
            if (request != null) {
                awaitWritable();
            }
        }

        private void awaitWritable() {
            if (!request.writeQueueFull()) {
                runWritable();
                return;
            }
            request.drainHandler(v -> runWritable());
        }

        private void runWritable() {
            blocked = false;
            Runnable next = writable;
            if (next != null) {
                writable = null;
                activity();
                next.run();
            }
        }

        @Override
        public void end() {
            onLoop(this::endOnLoop);
        }

        private void endOnLoop() {
            if (over) {
                return;
            }
            if (request == null) {
                endUnsent = true;
            } else {
                request.end();
            }
        }

        @Override
        public void pull() {
            onLoop(() -> {
                if (!over && response != null) {
                    activity();
                    response.fetch(1);
                }
            });
        }

        @Override
        public void discard() {
            onLoop(() -> {
                if (over || response == null) {
                    cancelOnLoop();
                    return;
                }
                silenced = true;
                activity();
                response.resume();
            });
        }

        @Override
        public void cancel() {
            onLoop(this::cancelOnLoop);
        }

        private void cancelOnLoop() {
            if (!over) {
                over = true;
                if (request != null) {
                    request.reset();
                }
            }
        }

        private void fail(String message) {
            if (over) {
                return;
            }
            over = true;
            if (request != null) {
                request.reset();
            }
            runWritable();
            if (!silenced) {
                listener.onError(message);
            }
        }

        private void activity() {
            lastActivity = System.currentTimeMillis();
        }

        private void checkIdle() {
            if (over) {
                return;
            }
            long quiet = System.currentTimeMillis() - lastActivity;
            long limit = settings.idleTimeoutMs();
            if (quiet >= limit) {
                fail("Network connection timed out: nothing was received from " + url.hostPort() + " for "
                        + limit + " ms.");
            } else {
                vertx.setTimer(limit - quiet, id -> onLoop(this::checkIdle));
            }
        }

        void onLoop(Runnable task) {
            if (Vertx.currentContext() == context) {
                task.run();
            } else {
                loop.execute(task);
            }
        }

        private String describe(Throwable e) {
            if (e instanceof io.netty.channel.ConnectTimeoutException || e instanceof TimeoutException) {
                return "Network connection failed: connecting to " + url.hostPort() + " timed out after "
                        + settings.connectTimeoutMs() + " ms.";
            }
            if (e instanceof ConnectException) {
                return "Network connection failed: " + url.hostPort() + " refused the connection.";
            }
            if (e instanceof UnknownHostException) {
                return "Network connection failed: could not resolve " + url.host() + ".";
            }
            if (e instanceof SSLException) {
                return "Network connection failed: the TLS handshake with " + url.hostPort() + " failed ("
                        + e.getMessage() + ").";
            }
            LOG.debug("script {}: fetch to {} failed", spec.scriptName(), url.hostPort(), e);
            return "Network connection lost.";
        }
    }
}
