package io.isoworker.bench.compare;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * The comparison's {@code vertx-plain} runtime: a plain Vert.x HTTP server in Java, one verticle instance per core on
 * one port, answering the same bodies as the JS workloads ({@code /v1/items}: the json-api workload done in Java;
 * anything else: hello). The ceiling isoworker's HTTP layer can reach. Run as {@code VertxPlainServer --port P}.
 */
public final class VertxPlainServer {

    private static final Logger LOG = LoggerFactory.getLogger(VertxPlainServer.class);

    private VertxPlainServer() {
    }

    public static void main(String[] args) {
        if (args.length != 2 || !args[0].equals("--port")) {
            throw new IllegalArgumentException("usage: VertxPlainServer --port PORT");
        }
        int port = Integer.parseInt(args[1]);
        int cores = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx();
        vertx.deployVerticle(() -> new Plain(port), new DeploymentOptions().setInstances(cores))
                .onSuccess(id -> LOG.info("vertx-plain: listening on 127.0.0.1:{} with {} verticle(s)", port, cores))
                .onFailure(e -> {
                    LOG.error("vertx-plain: could not listen on 127.0.0.1:{}", port, e);
                    System.exit(1);
                });
    }

    /** One verticle instance: its own event loop, the shared listener. */
    private static final class Plain extends VerticleBase {
        private static final Buffer HELLO = Buffer.buffer("Hello World!");

        private final int port;

        Plain(int port) {
            this.port = port;
        }

        @Override
        public Future<?> start() {
            return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                    .requestHandler(Plain::handle).listen();
        }

        private static void handle(HttpServerRequest request) {
            if (request.path().equals("/v1/items")) {
                // Same keys, order and values as compare/json-api.js (Response.json): null for a missing one.
                JsonObject json = new JsonObject()
                        .put("path", request.path())
                        .put("q", request.getParam("q"))
                        .put("agent", request.getHeader("user-agent"))
                        .put("accept", request.getHeader("accept"))
                        .put("id", request.getHeader("x-request-id"));
                request.response().putHeader("content-type", "application/json").end(json.toBuffer());
            } else {
                request.response().putHeader("content-type", "text/plain;charset=UTF-8").end(HELLO);
            }
        }
    }
}
