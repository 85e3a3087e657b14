package io.isoworker.runtime.traffic;

import io.isoworker.api.http.RequestBodySource;
import io.isoworker.runtime.loop.EventLoopTasks;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A Vert.x request body as a {@link RequestBodySource}: the request stays paused, and each pull fetches one more
 * chunk from it, so a guest that reads slowly slows the client down. Past {@code limit} bytes the body is refused:
 * the guest's stream errors and {@code tooLarge} answers the client. The guest's calls ({@link #open}, {@link #pull},
 * {@link #cancel}) come from its guest thread and are carried out on the request's event loop, where everything else
 * happens.
 */
final class VertxRequestBody implements RequestBodySource {

    private final HttpServerRequest req;
    private final EventLoopTasks loop;
    private final long limit;
    private Runnable tooLarge = () -> { };
    private Receiver receiver;
    private long received;
    private boolean done;
    private boolean discarding;
    private boolean continueSent;

    VertxRequestBody(HttpServerRequest req, EventLoopTasks loop, long limit) {
        this.req = req;
        this.loop = loop;
        this.limit = limit;
        req.pause();
        req.handler(this::onChunk);
        req.endHandler(v -> onEnd());
        req.exceptionHandler(this::onException);
    }

    /** What to do once the body passes the limit (answer 413). */
    void onTooLarge(Runnable action) {
        this.tooLarge = action;
    }

    @Override
    public void open(Receiver receiver) {
        loop.execute(() -> this.receiver = receiver);
    }

    @Override
    public void pull() {
        loop.execute(this::pullOnLoop);
    }

    private void pullOnLoop() {
        if (done || discarding) {
            return;
        }
        if (!continueSent) {
            // a client waiting for "100 Continue" sends the body once the worker starts reading it
            continueSent = true;
            if ("100-continue".equalsIgnoreCase(req.getHeader("expect")) && !req.response().headWritten()) {
                req.response().writeContinue();
            }
        }
        req.fetch(1);
    }

    @Override
    public void cancel() {
        loop.execute(this::discard);
    }

    /**
     * The response is over: a guest still reading gets an error rather than waiting forever, and the rest of the
     * body is dropped.
     */
    void responseFinished() {
        if (!done && !discarding) {
            done = true;
            deliverError("The request body was dropped: the response has been sent already.");
        }
        discard();
    }

    /** Reads and drops whatever is left, so the connection can serve its next request. */
    void discard() {
        if (discarding || req.isEnded()) {
            return;
        }
        discarding = true;
        req.resume();
    }

    private void onChunk(Buffer chunk) {
        received += chunk.length();
        if (received > limit) {
            if (!done) {
                done = true;
                tooLarge.run();
                deliverError("Request body is larger than " + limit + " bytes.");
            }
            if (received > 2 * limit) {
                // a client that keeps sending after the refusal: stop reading it
                req.connection().close();
            }
            discarding = true;
            req.resume();
            return;
        }
        if (discarding || receiver == null) {
            return;
        }
        receiver.onData(chunk.getBytes());
    }

    private void onEnd() {
        if (done) {
            return;
        }
        done = true;
        if (!discarding && receiver != null) {
            receiver.onEnd();
        }
    }

    private void onException(Throwable error) {
        if (done) {
            return;
        }
        done = true;
        deliverError("The request body could not be read to its end: the client went away.");
    }

    private void deliverError(String message) {
        if (receiver != null) {
            receiver.onError(message);
        }
    }
}
