package io.isoworker.runtime.traffic;

import java.util.function.Consumer;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** Reads a whole request body, refusing one larger than a limit before or while it arrives. */
public final class BoundedBody {

    /**
     * After a refusal, the rest of a body is read and dropped up to this many bytes, so that the client, still
     * sending, gets the answer instead of a reset connection; a longer body has its connection closed.
     */
    static final long DRAIN_LIMIT = 64L * 1024 * 1024;

    private BoundedBody() {
    }

    /**
     * Collects the body of {@code req}. Calls {@code tooLarge} once (and nothing else) when the declared or actual
     * size passes {@code limit}, {@code invalid} when the Content-Length is not a number, otherwise {@code done}.
     */
    public static void read(HttpServerRequest req, long limit, Runnable tooLarge, Runnable invalid,
            Consumer<Buffer> done) {
        String length = req.getHeader("content-length");
        if (length != null) {
            try {
                long declared = Long.parseLong(length.trim());
                if (declared > limit) {
                    tooLarge.run();
                    drain(req, declared);
                    return;
                }
            } catch (NumberFormatException e) {
                invalid.run();
                return;
            }
        }
        Buffer body = Buffer.buffer();
        boolean[] over = new boolean[1];
        req.handler(chunk -> {
            if (over[0]) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                over[0] = true;
                tooLarge.run();
                drain(req, -1);
                return;
            }
            body.appendBuffer(chunk);
        });
        req.endHandler(v -> {
            if (!over[0]) {
                done.accept(body);
            }
        });
        req.resume();
    }

    /** Reads and drops the rest of a refused body; closes the connection when more than {@link #DRAIN_LIMIT} is left. */
    private static void drain(HttpServerRequest req, long declared) {
        if (declared > DRAIN_LIMIT) {
            req.connection().close();
            return;
        }
        long[] dropped = new long[1];
        req.handler(chunk -> {
            dropped[0] += chunk.length();
            if (dropped[0] > DRAIN_LIMIT) {
                req.connection().close();
            }
        });
        req.endHandler(v -> { });
        req.resume();
    }
}
