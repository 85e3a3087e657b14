package io.isoworker.runtime.traffic;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/** One traffic listener on one event loop. Several instances share the port; Vert.x spreads connections. */
public final class TrafficVerticle extends VerticleBase {

    /** Makes the handler for this verticle's event loop. */
    public interface HandlerFactory {
        io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> create(io.vertx.core.Context context);
    }

    private final String host;
    private final int port;
    private final HandlerFactory handlers;
    private final ListenerSettings listener;
    private HttpServer server;

    public TrafficVerticle(String host, int port, HandlerFactory handlers, ListenerSettings listener) {
        this.host = host;
        this.port = port;
        this.handlers = handlers;
        this.listener = listener;
    }

    @Override
    public Future<?> start() {
        server = listener.createServer(vertx, new HttpServerOptions()
                .setMaxHeaderSize(128 * 1024)
                .setCompressionSupported(false)
                // workers cannot accept WebSockets (yet): no WebSocket extension handler in every connection's pipeline
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false));
        server.requestHandler(handlers.create(context));
        return server.listen(port, host);
    }

    /** The port actually bound (useful with port 0). */
    public int actualPort() {
        return server.actualPort();
    }
}
