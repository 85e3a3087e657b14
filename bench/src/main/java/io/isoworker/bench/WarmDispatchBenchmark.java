package io.isoworker.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;

/**
 * Warm dispatch: one {@code GET /} through the whole stack (loopback TCP, Vert.x, routing by Host, the isolate
 * cache, the worker's {@code fetch} in GraalJS, the response back to the client) to a script whose isolate is already
 * loaded on the server's single event loop. Each benchmark thread has its own keep-alive connection and one request
 * in flight, so the time is the client-side round trip. {@link #latency} gives the distribution, {@link #throughput}
 * the requests per second of a closed loop (one request in flight per thread; {@code -t N} for more).
 *
 * <p>The {@code worker} parameter picks the script: {@code hello} answers a short text; {@code api} does what a small
 * API worker does on every request: parses {@code request.url} with {@code new URL}, reads a query parameter and three
 * headers, and answers with {@code Response.json}. The goal is {@code api} at 0.7x or more of {@code hello}'s
 * throughput. {@code kv} answers with one {@code env.KV.get} that the KV read cache serves; its goal is 0.8x of
 * {@code hello}'s throughput. {@code text} (not run by default: {@code -p worker=text,kv}) answers the same bytes as
 * {@code kv} without the KV read and without reading {@code request.url}, so the two differ by the KV get alone.
 * The Web API hot paths, not run by default ({@code -p worker=text,stream,digest,echo,fetch}): {@code stream} (a 64
 * KiB body from a {@code ReadableStream}), {@code digest} (SHA-256 of 1 KiB with {@code crypto.subtle}), {@code echo}
 * (a 16 KiB request body read with {@code request.text()}), {@code fetch} (one subrequest to a loopback origin server
 * in the benchmark's JVM). See {@link BenchWorker}.
 *
 * <p>Warm-up is long on purpose: on 2 cores the JVM is still compiling the Graal compiler itself (it runs as Java
 * code on a stock JDK) and Vert.x for 25-45 s of load: the mean latency was 0.6-1.6 ms in the second 5 s and
 * settled near 0.05-0.06 ms only after that (docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@Fork(1)
@Threads(1)
@Warmup(iterations = 12, time = 5, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 5, timeUnit = TimeUnit.SECONDS)
public class WarmDispatchBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(WarmDispatchBenchmark.class);

    /** The hello worker's source (the cold-start benchmark's warm script runs it too). */
    static final String HELLO = BenchWorker.HELLO.source;

    /** A {@link BenchWorker} by name; the Web API ones run with {@code -p worker=text,stream,digest,echo,fetch}. */
    @Param({"hello", "api", "kv"})
    public String worker;

    private BenchWorker script;
    private BenchServer server;
    private Vertx originVertx;
    private byte[] request;
    private String expected;
    private long coldStartsAtStart;

    /** One keep-alive connection per benchmark thread. */
    @State(Scope.Thread)
    public static class Connection {
        LoopbackHttpClient client;

        @Setup(Level.Trial)
        public void open(WarmDispatchBenchmark bench) throws IOException {
            client = bench.server.connect();
            bench.check(client);
        }

        @TearDown(Level.Trial)
        public void close() {
            if (client != null) {
                client.close();
            }
        }
    }

    @Setup(Level.Trial)
    public void startServer() throws Exception {
        script = BenchWorker.named(worker);
        Map<String, String> flags = new HashMap<>(Map.of("prewarmed-contexts", "8"));
        String originUrl = null;
        if (script == BenchWorker.FETCH) {
            int port = startOrigin();
            originUrl = "http://127.0.0.1:" + port + "/";
            flags.put("egress-allow", "127.0.0.1:" + port);
            // A fetch worker's first requests on a just-started engine run interpreted and can take 40-50 ms of CPU
            // on a 2-core machine, near the 50 ms default (docs/benchmarks.md): this benchmark measures dispatch
            // speed, not the limit, so its setup checks must not fail on it.
            flags.put("cpu-ms", "1000");
        }
        try {
            server = BenchServer.start(flags);
            request = script.deploy(server, originUrl);
            expected = script.expectedAnswer();
            try (LoopbackHttpClient first = server.connect()) {
                check(first);
            }
            coldStartsAtStart = server.isolates().coldStarts();
        } catch (Exception | Error e) {
            stopServer();
            throw e;
        }
    }

    /** The fetch worker's origin: a Vert.x server on loopback answering a short text; its port. */
    private int startOrigin() throws Exception {
        originVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        byte[] answer = BenchWorker.ORIGIN_ANSWER.getBytes(StandardCharsets.US_ASCII);
        HttpServer origin = originVertx.createHttpServer()
                .requestHandler(req -> req.response().putHeader("content-type", "text/plain")
                        .end(Buffer.buffer(answer)))
                .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        return origin.actualPort();
    }

    /** One request, with its answer checked: the script must really run. */
    void check(LoopbackHttpClient client) throws IOException {
        int status = client.exchange(request);
        String body = client.bodyText();
        if (status != 200 || !body.equals(expected)) {
            throw new IllegalStateException("unexpected answer: HTTP " + status + " '" + abbreviate(body)
                    + "', expected '" + abbreviate(expected) + "'");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "... (" + text.length() + " chars)";
    }

    @TearDown(Level.Trial)
    public void stopServer() throws Exception {
        if (originVertx != null) {
            originVertx.close().await(10, TimeUnit.SECONDS);
            originVertx = null;
        }
        if (server == null) {
            return;
        }
        long extraColdStarts = server.isolates().coldStarts() - coldStartsAtStart;
        LOG.info("warm dispatch done: {} cold start(s) during the measurement (expected 0), {} live isolate(s)",
                extraColdStarts, server.isolates().liveIsolates());
        server.close();
        server = null;
    }

    private int get(LoopbackHttpClient client) throws IOException {
        int status = client.exchange(request);
        if (status != 200) {
            throw new IllegalStateException("HTTP " + status + ": " + client.bodyText());
        }
        return client.bodyLength();
    }

    /** Latency of one warm request: JMH prints the percentiles. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int latency(Connection connection) throws IOException {
        return get(connection.client);
    }

    /** Requests per second with one request in flight per benchmark thread. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int throughput(Connection connection) throws IOException {
        return get(connection.client);
    }
}
