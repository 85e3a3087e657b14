package io.isoworker.runtime.traffic;

import java.util.function.Consumer;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** Reads a whole request body, refusing one larger than a limit before or while it arrives. */
public final class BoundedBody {

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
                if (Long.parseLong(length.trim()) > limit) {
                    tooLarge.run();
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
}
