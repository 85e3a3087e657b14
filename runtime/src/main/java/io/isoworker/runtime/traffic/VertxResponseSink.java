package io.isoworker.runtime.traffic;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.api.http.HttpRequestHead;
import io.isoworker.api.http.InvocationSummary;
import io.isoworker.api.http.ResponseSink;
import io.isoworker.runtime.loop.EventLoopTasks;
import io.isoworker.runtime.observe.Telemetry;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Writes a worker's Response to a Vert.x server response, with back-pressure. The worker calls it on its guest thread;
 * every call is carried out on the request's event loop, in order ({@link EventLoopTasks}). {@link #refuse} and
 * {@link #onFinished} are for the event loop itself.
 */
final class VertxResponseSink implements ResponseSink {

    private static final Logger LOG = LoggerFactory.getLogger(VertxResponseSink.class);

    /** Headers the server owns: framing and connection management are not the worker's to set. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length", "upgrade", "proxy-connection", "te", "trailer");

    /** Bytes handed over by the guest that the event loop may not have written yet, before write() says "wait". */
    private static final int IN_TRANSIT_MAX = 64 * 1024;

    private final HttpServerResponse response;
    private final EventLoopTasks loop;
    private final String script;
    private final String requestId;
    private volatile boolean clientGone;
    private boolean finished;
    /** The response's write queue was full at the last write; cleared when it drains. */
    private volatile boolean queueFull;
    private final AtomicLong inTransit = new AtomicLong();
    private Runnable pendingDrain;
    private Runnable onFinished;
    /** The most body bytes this response may have, 0 for no limit (max-response-body). */
    private final long maxBody;
    private long bodySent;
    /** The body length the worker announced, or -1 (chunked). */
    private long expectedLength = -1;
    /**
     * The chunk that completed the announced length, held back so that {@link #end} writes it with the end of the
     * response: one write and one flush for the usual one-chunk body instead of two.
     */
    private Buffer lastChunk;

    private final LimitCooloff cooloff;
    private final String version;
    private final Telemetry telemetry;
    /** The request, for the access log and tail; set before dispatch. */
    private HttpRequestHead request;
    /** The status the worker answered with (guest thread), or 0 before it did. */
    private int status;
    /** The status the server answered with instead of the worker's ({@link #refuse}), or 0. */
    private volatile int refusedStatus;

    VertxResponseSink(HttpServerResponse response, EventLoopTasks loop, String script, String version,
            String requestId, long maxBody, LimitCooloff cooloff, Telemetry telemetry) {
        this.telemetry = telemetry;
        this.version = version;
        this.response = response;
        this.loop = loop;
        this.cooloff = cooloff;
        this.maxBody = maxBody;
        this.script = script;
        this.requestId = requestId;
        response.closeHandler(v -> {
            clientGone = true;
            runPendingDrain();
            if (!finished) {
                finished();
            }
        });
    }

    /** The request this sink answers, for what {@link #completed} reports. */
    void request(HttpRequestHead head) {
        this.request = head;
    }

    /** Runs {@code action} once the response is over (ended, failed, refused, or the client went away). */
    void onFinished(Runnable action) {
        Runnable earlier = onFinished;
        this.onFinished = earlier == null ? action : () -> {
            earlier.run();
            action.run();
        };
    }

    private void finished() {
        finished = true;
        Runnable action = onFinished;
        if (action != null) {
            onFinished = null;
            action.run();
        }
    }

    /**
     * Answers with a JSON error instead of whatever the worker will send (the request was refused while the
     * worker ran, e.g. its body passed the size limit). A response already started is reset.
     */
    void refuse(int status, String message) {
        if (finished || clientGone) {
            return;
        }
        refusedStatus = status;
        finished();
        if (response.headWritten()) {
            response.reset();
            return;
        }
        response.headers().clear();
        response.setChunked(false);
        TrafficHandler.jsonError(response, status, message);
    }

    @Override
    public void start(int status, List<Map.Entry<String, String>> headers, long contentLength) {
        this.status = status;
        loop.execute(() -> startOnLoop(status, headers, contentLength));
    }

    private void startOnLoop(int status, List<Map.Entry<String, String>> headers, long contentLength) {
        if (clientGone || finished) {
            return;
        }
        response.setStatusCode(status);
        MultiMap out = response.headers();
        for (Map.Entry<String, String> h : headers) {
            if (!HOP_BY_HOP.contains(h.getKey())) {
                out.add(h.getKey(), h.getValue());
            }
        }
        expectedLength = contentLength;
        if (contentLength >= 0) {
            out.set("content-length", Long.toString(contentLength));
        } else {
            response.setChunked(true);
        }
    }

    @Override
    public boolean write(byte[] chunk) {
        if (clientGone) {
            return true;
        }
        int length = chunk.length;
        long waiting = inTransit.addAndGet(length);
        loop.execute(() -> {
            inTransit.addAndGet(-length);
            if (clientGone || finished) {
                return;
            }
            bodySent += length;
            if (maxBody > 0 && bodySent > maxBody) {
                abortTooLarge();
                return;
            }
            if (lastChunk != null) {
                // more than the announced length: what was held goes first
                response.write(lastChunk);
                lastChunk = null;
            } else if (bodySent == expectedLength) {
                lastChunk = Buffer.buffer(chunk);
                return;
            }
            response.write(Buffer.buffer(chunk));
            queueFull = response.writeQueueFull();
        });
        return !queueFull && waiting < IN_TRANSIT_MAX;
    }

    @Override
    public void onDrain(Runnable next) {
        loop.execute(() -> {
            if (clientGone || finished || !response.writeQueueFull()) {
                queueFull = false;
                next.run();
                return;
            }
            pendingDrain = next;
            response.drainHandler(v -> runPendingDrain());
        });
    }

    /** The body passed max-response-body: the response is cut off, and the worker's stream sees a gone client. */
    private void abortTooLarge() {
        LOG.warn("script {} request {}: the response body passed the limit of {} bytes (max-response-body); "
                + "response aborted", script, requestId, maxBody);
        clientGone = true;
        finished();
        response.reset();
        runPendingDrain();
    }

    private void runPendingDrain() {
        queueFull = false;
        Runnable next = pendingDrain;
        if (next != null) {
            pendingDrain = null;
            response.drainHandler(null);
            next.run();
        }
    }

    @Override
    public void end() {
        loop.execute(this::endOnLoop);
    }

    private void endOnLoop() {
        if (finished) {
            return;
        }
        cooloff.answered(version);
        finished();
        if (clientGone) {
            return;
        }
        Buffer last = lastChunk;
        lastChunk = null;
        if (last != null) {
            response.end(last);
        } else {
            response.end();
        }
    }

    @Override
    public void fail(String message, String stack) {
        if (status == 0) {
            status = 500;
        }
        LOG.error("script {} request {}: uncaught exception: {}", script, requestId, stack);
        loop.execute(() -> abort(500, "Internal Server Error: the worker threw an exception (request " + requestId
                + ").\n"));
    }

    @Override
    public void limitExceeded(String message, boolean isolateDiscarded) {
        if (status == 0) {
            status = 503;
        }
        LOG.warn("script {} request {}: {}", script, requestId, message);
        if (isolateDiscarded) {
            cooloff.overrun(script, version);
        }
        loop.execute(() -> abort(503, message + " (request " + requestId + ").\n"));
    }

    private void abort(int status, String body) {
        if (finished) {
            return;
        }
        finished();
        if (clientGone) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        response.headers().clear();
        response.setChunked(false);
        response.setStatusCode(status)
                .putHeader("content-type", "text/plain; charset=utf-8")
                .end(body);
    }

    @Override
    public boolean clientGone() {
        return clientGone;
    }

    @Override
    public boolean traced() {
        return telemetry.traced(script);
    }

    @Override
    public void completed(InvocationSummary summary) {
        int refused = refusedStatus;
        telemetry.request(script, version, requestId, request, refused != 0 ? refused : status, summary);
    }
}
