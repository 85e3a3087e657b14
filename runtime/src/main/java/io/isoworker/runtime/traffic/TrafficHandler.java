package io.isoworker.runtime.traffic;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.api.http.HttpRequestHead;
import io.isoworker.api.http.RequestCf;
import io.isoworker.api.http.OutboundHttp;
import io.isoworker.isolate.IsolatePool;
import io.isoworker.isolate.ScriptLoadException;
import io.isoworker.isolate.WorkerBundle;
import io.isoworker.runtime.loop.EventLoopTasks;
import io.isoworker.runtime.observe.Telemetry;
import io.isoworker.runtime.scripts.ScriptRegistry;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.json.JsonObject;

/**
 * Serves worker traffic on one event loop: finds the script for the request and hands the request to the isolate
 * pool, which runs the worker on a guest thread. Guest code never runs on the event loop; what it does to the
 * request and the response comes back here through {@link EventLoopTasks}.
 */
public final class TrafficHandler implements Handler<HttpServerRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficHandler.class);
    private static final String CF_CONNECTING_IP = "cf-connecting-ip";
    /** Bodies up to this size with a Content-Length are read whole before dispatch; larger ones are streamed. */
    static final int BUFFERED_BODY_MAX = 16 * 1024;
    private static final AtomicLong REQUEST_IDS = new AtomicLong(System.currentTimeMillis() << 16);

    private final ScriptRouter router;
    private final ScriptRegistry scripts;
    private final IsolatePool isolates;
    private final long maxRequestBody;
    private final long maxResponseBody;
    private final EdgeSettings edge;
    private final EventLoopTasks loop;
    private final ScriptConcurrency concurrency;
    private final LimitCooloff cooloff;
    private final Telemetry telemetry;

    public TrafficHandler(ScriptRouter router, ScriptRegistry scripts, IsolatePool isolates, BodyLimits bodies,
            EdgeSettings edge, ScriptConcurrency concurrency, LimitCooloff cooloff, Telemetry telemetry,
            Context vertxContext) {
        this.telemetry = telemetry;
        this.concurrency = concurrency;
        this.cooloff = cooloff;
        this.router = router;
        this.scripts = scripts;
        this.isolates = isolates;
        this.maxRequestBody = bodies.request();
        this.maxResponseBody = bodies.response();
        this.edge = edge;
        this.loop = new EventLoopTasks(vertxContext);
    }

    @Override
    public void handle(HttpServerRequest req) {
        String hops = req.headers().get(OutboundHttp.HOP_HEADER);
        if (hops != null && OutboundHttp.hops(hops) > OutboundHttp.MAX_HOPS) {
            refuse(req, null, null, 508, "Loop detected: this request has passed through workers more than "
                    + OutboundHttp.MAX_HOPS + " times (header " + OutboundHttp.HOP_HEADER
                    + "). A worker probably fetches itself.", "hops");
            return;
        }
        String host = host(req);
        String path = req.path();
        String name = router.scriptFor(host, path == null ? "/" : path);
        WorkerBundle bundle = name == null ? null : scripts.activeBundle(name);
        if (bundle == null) {
            refuse(req, null, null, 404, name == null
                    ? "No worker is routed for host '" + host + "'."
                    : "No worker named '" + name + "' is deployed.", null);
            return;
        }
        String length = req.headers().get("content-length");
        boolean hasBody = (length != null && !length.equals("0")) || req.headers().contains("transfer-encoding");
        if (!hasBody) {
            dispatch(req, bundle, null, null);
            return;
        }
        long declared = -1;
        if (length != null) {
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                refuse(req, bundle.scriptName(), null, 400, "Invalid Content-Length.", null);
                return;
            }
            if (declared > maxRequestBody) {
                refuse(req, bundle.scriptName(), null, 413, tooLargeMessage(), "request_body");
                return;
            }
        }
        if (declared >= 0 && declared <= BUFFERED_BODY_MAX) {
            // A small body of known length is read whole before the worker runs: one copy, no re-entries.
            BoundedBody.read(req, maxRequestBody,
                    () -> refuse(req, bundle.scriptName(), null, 413, tooLargeMessage(), "request_body"),
                    () -> refuse(req, bundle.scriptName(), null, 400, "Invalid Content-Length.", null),
                    body -> dispatch(req, bundle, ByteBuffer.wrap(body.getBytes()), null));
            return;
        }
        dispatch(req, bundle, null, new VertxRequestBody(req, loop, maxRequestBody));
    }

    private String tooLargeMessage() {
        return "Request body is larger than " + maxRequestBody + " bytes.";
    }

    /** Exactly one of {@code bytes} (a small body, all there) and {@code body} (streamed) is set, or neither. */
    private void dispatch(HttpServerRequest req, WorkerBundle bundle, ByteBuffer bytes, VertxRequestBody body) {
        String requestId = Long.toHexString(REQUEST_IDS.incrementAndGet());
        HttpServerResponse response = req.response();
        String script = bundle.scriptName();
        long coolingDown = cooloff.remainingMillis(bundle.versionId());
        if (coolingDown > 0) {
            if (body != null) {
                body.discard();
            }
            response.putHeader("retry-after", Long.toString((coolingDown + 999) / 1000));
            refuse(req, script, requestId, 503, "Worker exceeded resource limits: its last " + LimitCooloff.STRIKES
                    + " or more requests ran over the CPU or memory limit; retry in " + coolingDown + " ms (request "
                    + requestId + ").", "cooloff");
            return;
        }
        if (!concurrency.tryAcquire(script)) {
            LOG.warn("script {} request {}: refused, limit of {} concurrent requests reached ({} in flight)", script,
                    requestId, concurrency.max(), concurrency.inFlight(script));
            if (body != null) {
                body.discard();
            }
            response.putHeader("retry-after", "1");
            refuse(req, script, requestId, 503, "Too many concurrent requests for this worker (limit "
                    + concurrency.max() + "); retry shortly (request " + requestId + ").", "concurrency");
            return;
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>(req.headers().size() + 1);
        for (Map.Entry<String, String> h : req.headers()) {
            if (!h.getKey().equalsIgnoreCase(CF_CONNECTING_IP)) {
                headers.add(h); // a client's own CF-Connecting-IP is never believed
            }
        }
        headers.add(Map.entry(CF_CONNECTING_IP, clientAddress(req)));
        VertxResponseSink sink = new VertxResponseSink(response, loop, bundle.scriptName(),
                bundle.versionId(), requestId, maxResponseBody, cooloff, telemetry);
        sink.onFinished(() -> concurrency.release(script));
        HttpRequestHead head;
        if (body == null) {
            head = new HttpRequestHead(req.method().name(), url(req), headers, bytes, cf(req));
        } else {
            // The worker may answer before it reads the body: the rest is then dropped. A body past the limit
            // gets the 413 unless the worker has answered already.
            body.onTooLarge(() -> sink.refuse(413, tooLargeMessage()));
            sink.onFinished(body::responseFinished);
            head = HttpRequestHead.streamed(req.method().name(), url(req), headers, body, cf(req));
        }
        sink.request(head);
        isolates.dispatch(bundle, head, sink, e -> loop.execute(() -> loadFailed(req, sink, body, bundle,
                requestId, e)));
    }

    /** The worker's version could not be loaded for this request (it was checked at upload: rare). */
    private void loadFailed(HttpServerRequest req, VertxResponseSink sink, VertxRequestBody body,
            WorkerBundle bundle, String requestId, ScriptLoadException e) {
        LOG.error("script {} request {}: cannot load version {}: {}", bundle.scriptName(), requestId,
                bundle.versionId(), e.getMessage());
        if (body != null) {
            body.discard();
        }
        boolean limit = e.kind() == ScriptLoadException.Kind.STARTUP_LIMIT_EXCEEDED;
        String message = "The worker failed to start (request " + requestId + ").";
        sink.refuse(limit ? 503 : 500, message);
        telemetry.refused(bundle.scriptName(), requestId, req.method().name(), req.uri(), limit ? 503 : 500, message,
                limit ? "startup" : null);
    }

    /** Answers with a JSON error without running the worker, and reports it. */
    private void refuse(HttpServerRequest req, String script, String requestId, int status, String message,
            String limit) {
        jsonError(req.response(), status, message);
        telemetry.refused(script, requestId, req.method().name(), req.uri(), status, message, limit);
    }

    /** The client's address: the socket peer, or what X-Forwarded-For says when the peer is a trusted proxy. */
    private String clientAddress(HttpServerRequest req) {
        SocketAddress remote = req.remoteAddress();
        String peer = remote == null || remote.hostAddress() == null ? "" : remote.hostAddress();
        if (edge.trustedProxies().isEmpty()) {
            return TrustedProxies.canonical(peer);
        }
        return edge.trustedProxies().clientAddress(peer, req.headers().getAll("x-forwarded-for"));
    }

    private RequestCf cf(HttpServerRequest req) {
        String tlsVersion = "";
        String tlsCipher = "";
        if (req.isSSL() && req.sslSession() != null) {
            tlsVersion = req.sslSession().getProtocol();
            tlsCipher = req.sslSession().getCipherSuite();
        }
        return new RequestCf(edge.colo(), httpProtocol(req.version()), tlsVersion, tlsCipher, -1);
    }

    private static String httpProtocol(HttpVersion version) {
        if (version == null) {
            return "HTTP/1.1";
        }
        return switch (version) {
            case HTTP_1_0 -> "HTTP/1.0";
            case HTTP_1_1 -> "HTTP/1.1";
            case HTTP_2 -> "HTTP/2";
            default -> version.alpnName().toUpperCase(java.util.Locale.ROOT);
        };
    }

    /** The URL the worker sees: built from the Host header, as the client asked for it. */
    private static String url(HttpServerRequest req) {
        String uri = req.uri();
        if (uri.startsWith("http://") || uri.startsWith("https://")) {
            return uri;
        }
        String host = host(req);
        return "http://" + (host == null ? "localhost" : host) + (uri.startsWith("/") ? uri : "/" + uri);
    }

    /** The Host header, or HTTP/2's :authority (an HTTP/2 request has no Host header). */
    private static String host(HttpServerRequest req) {
        String host = req.headers().get("host");
        if (host == null && req.authority() != null) {
            host = req.authority().toString();
        }
        return host;
    }

    static void jsonError(HttpServerResponse response, int status, String message) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", message).encode());
    }
}
