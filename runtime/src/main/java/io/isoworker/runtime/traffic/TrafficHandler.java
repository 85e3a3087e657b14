package io.isoworker.runtime.traffic;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.api.http.HttpRequestHead;
import io.isoworker.api.http.OutboundHttp;
import io.isoworker.isolate.Isolate;
import io.isoworker.isolate.IsolatePool;
import io.isoworker.isolate.ScriptLoadException;
import io.isoworker.isolate.WorkerBundle;
import io.isoworker.runtime.scripts.ScriptRegistry;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Serves worker traffic on one event loop: finds the script for the request, its isolate for this event loop
 * (loading it on a cold start), and hands the request to the worker. Guest code runs on this event loop thread.
 */
public final class TrafficHandler implements Handler<HttpServerRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficHandler.class);
    private static final AtomicLong REQUEST_IDS = new AtomicLong(System.currentTimeMillis() << 16);

    private final ScriptRouter router;
    private final ScriptRegistry scripts;
    private final IsolatePool isolates;
    private final long maxRequestBody;
    private final int loopIndex;
    private final Executor loop;

    public TrafficHandler(ScriptRouter router, ScriptRegistry scripts, IsolatePool isolates, long maxRequestBody,
            int loopIndex, Context vertxContext) {
        this.router = router;
        this.scripts = scripts;
        this.isolates = isolates;
        this.maxRequestBody = maxRequestBody;
        this.loopIndex = loopIndex;
        this.loop = task -> vertxContext.runOnContext(v -> task.run());
    }

    @Override
    public void handle(HttpServerRequest req) {
        String hops = req.headers().get(OutboundHttp.HOP_HEADER);
        if (hops != null && OutboundHttp.hops(hops) > OutboundHttp.MAX_HOPS) {
            jsonError(req.response(), 508, "Loop detected: this request has passed through workers more than "
                    + OutboundHttp.MAX_HOPS + " times (header " + OutboundHttp.HOP_HEADER
                    + "). A worker probably fetches itself.");
            return;
        }
        String host = req.headers().get("host");
        String path = req.path();
        String name = router.scriptFor(host, path == null ? "/" : path);
        WorkerBundle bundle = name == null ? null : scripts.activeBundle(name);
        if (bundle == null) {
            jsonError(req.response(), 404, name == null
                    ? "No worker is routed for host '" + host + "'."
                    : "No worker named '" + name + "' is deployed.");
            return;
        }
        String length = req.headers().get("content-length");
        boolean hasBody = (length != null && !length.equals("0")) || req.headers().contains("transfer-encoding");
        if (!hasBody) {
            dispatch(req, bundle, null);
            return;
        }
        BoundedBody.read(req, maxRequestBody,
                () -> jsonError(req.response(), 413, "Request body is larger than " + maxRequestBody + " bytes."),
                () -> jsonError(req.response(), 400, "Invalid Content-Length."),
                body -> dispatch(req, bundle, ByteBuffer.wrap(body.getBytes())));
    }

    private void dispatch(HttpServerRequest req, WorkerBundle bundle, ByteBuffer body) {
        String requestId = Long.toHexString(REQUEST_IDS.incrementAndGet());
        HttpServerResponse response = req.response();
        Isolate isolate;
        try {
            isolate = isolates.isolate(bundle, loopIndex, loop);
        } catch (ScriptLoadException e) {
            LOG.error("script {} request {}: cannot load version {}: {}", bundle.scriptName(), requestId,
                    bundle.versionId(), e.getMessage());
            jsonError(response, e.kind() == ScriptLoadException.Kind.STARTUP_LIMIT_EXCEEDED ? 503 : 500,
                    "The worker failed to start (request " + requestId + ").");
            return;
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>(req.headers().size());
        for (Map.Entry<String, String> h : req.headers()) {
            headers.add(h);
        }
        HttpRequestHead head = new HttpRequestHead(req.method().name(), url(req), headers, body);
        isolate.dispatchFetch(head, new VertxResponseSink(response, bundle.scriptName(), requestId));
    }

    /** The URL the worker sees: built from the Host header, as the client asked for it. */
    private static String url(HttpServerRequest req) {
        String uri = req.uri();
        if (uri.startsWith("http://") || uri.startsWith("https://")) {
            return uri;
        }
        String host = req.headers().get("host");
        return "http://" + (host == null ? "localhost" : host) + (uri.startsWith("/") ? uri : "/" + uri);
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
