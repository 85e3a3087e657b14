package io.isoworker.runtime.traffic;

import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * How long an HTTP listener waits for its clients.
 *
 * @param headerTimeoutMillis a connection that has not sent a complete request head this long after connecting, or
 *                            after its previous response, is closed (see {@link RequestHeadTimeout})
 * @param idleTimeoutSeconds  a connection on which nothing is read or written this long is closed
 */
public record ListenerSettings(long headerTimeoutMillis, int idleTimeoutSeconds) {

    public static final ListenerSettings DEFAULT = new ListenerSettings(10_000, 120);

    public ListenerSettings {
        if (headerTimeoutMillis < 1 || idleTimeoutSeconds < 1) {
            throw new IllegalArgumentException("listener timeouts must be positive");
        }
    }

    /**
     * An HTTP server with {@code options} and these timeouts. Its Vert.x idle timeout starts as the head timeout and
     * becomes the idle timeout once a connection has sent its first head (see {@link RequestHeadTimeout}).
     */
    public HttpServer createServer(Vertx vertx, HttpServerOptions options) {
        HttpServer server = vertx.createHttpServer(options
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, headerTimeoutMillis))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
        server.connectionHandler(connection -> RequestHeadTimeout.install(connection, headerTimeoutMillis,
                idleTimeoutSeconds));
        return server;
    }
}
