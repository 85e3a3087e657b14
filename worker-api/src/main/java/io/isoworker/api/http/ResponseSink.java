package io.isoworker.api.http;

import java.util.List;
import java.util.Map;

/**
 * Where a guest's {@code Response} goes: implemented by the server that received the request. All methods are
 * called on the thread that runs the guest's context.
 */
public interface ResponseSink {

    /**
     * Sends the status line and headers. Called once, before any {@link #write}.
     *
     * @param contentLength the body's length in bytes, or -1 when the body is a stream of unknown length
     */
    void start(int status, List<Map.Entry<String, String>> headers, long contentLength);

    /**
     * Sends a chunk of the body.
     *
     * @return false when the outgoing buffer is full: the caller should wait for {@link #onDrain} before writing more
     */
    boolean write(byte[] chunk);

    /** Runs {@code next} once the outgoing buffer has room again (at once when it has room now). */
    void onDrain(Runnable next);

    /** Ends the response. */
    void end();

    /**
     * The handler failed (threw, rejected, or returned something that is not a Response). The sink answers with a
     * generic 500 if nothing has been sent yet, otherwise it aborts the response.
     *
     * @param message the JavaScript error's message
     * @param stack   its JavaScript stack, or the message when there is none
     */
    void fail(String message, String stack);

    /**
     * A limit stopped the invocation (CPU time, memory, wall-clock time). The sink answers 503 with {@code message}
     * if nothing has been sent yet, otherwise it aborts the response.
     *
     * @param isolateDiscarded true when the overrun cancelled the isolate (CPU time, memory), false when only this
     *                         request ended (wall-clock time)
     */
    void limitExceeded(String message, boolean isolateDiscarded);

    /** True once the client has gone away; a streaming body should stop. */
    boolean clientGone();

    /**
     * Whether the invocation should collect its console output and exceptions for {@link #completed} (someone is
     * tailing the script). Asked once, when the invocation begins.
     */
    default boolean traced() {
        return false;
    }

    /**
     * The invocation is over: called once, right after {@link #end}, {@link #fail} or {@link #limitExceeded}, with
     * what it cost.
     */
    default void completed(InvocationSummary summary) {
    }
}
