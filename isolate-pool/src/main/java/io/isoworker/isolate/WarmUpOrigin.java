package io.isoworker.isolate;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.isoworker.api.http.OutboundCall;
import io.isoworker.api.http.OutboundHttp;
import io.isoworker.api.http.OutboundListener;
import io.isoworker.api.http.OutboundRequest;

/**
 * The network of the engine's warm-up worker ({@link IsolatePool#warmUp}): every request is answered here, in memory,
 * with a short text in two chunks, so that the warm-up runs the guest side of {@code fetch()} (the prelude's fetch
 * and body streams, {@code FetchHost}, {@code FetchCall}) without a socket. Nothing leaves the process.
 *
 * <p>Events reach the listener on the thread that sends or pulls; the listener queues them for the isolate's owner
 * thread, as it does for the server's real client.
 */
final class WarmUpOrigin implements OutboundHttp {

    /** What every warm-up request gets back, in {@link #CHUNKS} chunks. */
    static final byte[][] CHUNKS = {
            "isoworker warm-up origin: ".getBytes(StandardCharsets.US_ASCII),
            "{\"ok\":true}".getBytes(StandardCharsets.US_ASCII),
    };

    @Override
    public OutboundCall send(OutboundRequest request, OutboundListener listener) {
        Answer answer = new Answer(listener);
        listener.onResponse(200, "OK", List.of(Map.entry("content-type", "text/plain;charset=UTF-8"),
                Map.entry("x-warm-up", request.method())));
        return answer;
    }

    @Override
    public int subrequestLimit() {
        return 50;
    }

    /** One answer's body, handed out one chunk per pull. */
    private static final class Answer implements OutboundCall {
        private final OutboundListener listener;
        private int next;
        private boolean over;

        Answer(OutboundListener listener) {
            this.listener = listener;
        }

        @Override
        public boolean write(byte[] chunk) {
            return true;
        }

        @Override
        public void onWritable(Runnable next) {
            next.run();
        }

        @Override
        public void end() {
        }

        @Override
        public void pull() {
            if (over) {
                return;
            }
            if (next < CHUNKS.length) {
                listener.onData(CHUNKS[next++]);
            } else {
                over = true;
                listener.onEnd();
            }
        }

        @Override
        public void cancel() {
            over = true;
        }

        @Override
        public void discard() {
            over = true;
        }
    }
}
