package io.isoworker.bench;

import java.io.IOException;
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

    static final String HELLO = "export default { fetch(request) { return new Response('hello ' + request.method + ' '"
            + " + request.url, { headers: { 'content-type': 'text/plain' } }); } };";
    static final String API = """
            export default {
              fetch(request) {
                const url = new URL(request.url);
                return Response.json({
                  path: url.pathname,
                  q: url.searchParams.get('q'),
                  agent: request.headers.get('user-agent'),
                  accept: request.headers.get('accept'),
                  id: request.headers.get('x-request-id'),
                });
              },
            };
            """;
    static final String API_PATH = "/v1/items?q=42";
    static final String API_ANSWER = "{\"path\":\"/v1/items\",\"q\":\"42\",\"agent\":\"isoworker-bench\","
            + "\"accept\":\"application/json\",\"id\":\"r-1\"}";

    /** One cached KV read per request: the value is read once at set-up, so every measured get hits the cache. */
    static final String KV = """
            export default {
              async fetch(request, env) {
                return new Response(await env.KV.get('greeting'), { headers: { 'content-type': 'text/plain' } });
              },
            };
            """;
    static final String KV_ANSWER = "hello from KV";

    /** A constant answer that reads nothing of the request: the floor the other workers add to. */
    static final String TEXT = "export default { fetch() { return new Response('hello from KV',"
            + " { headers: { 'content-type': 'text/plain' } }); } };";

    @Param({"hello", "api", "kv"})
    public String worker;

    private BenchServer server;
    private byte[] request;
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
        server = BenchServer.start(8);
        try {
            if (worker.equals("hello")) {
                server.deploy(worker, HELLO);
                request = LoopbackHttpClient.get(BenchServer.host(worker), "/");
            } else if (worker.equals("api")) {
                server.deploy(worker, API);
                request = LoopbackHttpClient.request("GET", BenchServer.host(worker), API_PATH, Map.of(
                        "user-agent", "isoworker-bench", "accept", "application/json", "x-request-id", "r-1"), null);
            } else if (worker.equals("text")) {
                server.deploy(worker, TEXT);
                request = LoopbackHttpClient.get(BenchServer.host(worker), "/");
            } else if (worker.equals("kv")) {
                String ns = server.createNamespace("bench");
                server.putValue(ns, "greeting", KV_ANSWER);
                server.deployWithKv(worker, KV, "KV", ns);
                request = LoopbackHttpClient.get(BenchServer.host(worker), "/");
            } else {
                throw new IllegalArgumentException("worker is 'hello', 'api', 'kv' or 'text', not '" + worker + "'");
            }
            try (LoopbackHttpClient first = server.connect()) {
                check(first);
            }
            coldStartsAtStart = server.isolates().coldStarts();
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    /** One request, with its answer checked: the script must really run. */
    void check(LoopbackHttpClient client) throws IOException {
        int status = client.exchange(request);
        String body = client.bodyText();
        String expected = switch (worker) {
            case "hello" -> "hello GET http://" + BenchServer.host(worker) + "/";
            case "kv", "text" -> KV_ANSWER;
            default -> API_ANSWER;
        };
        if (status != 200 || !body.equals(expected)) {
            throw new IllegalStateException("unexpected answer: HTTP " + status + " '" + body + "', expected '"
                    + expected + "'");
        }
    }

    @TearDown(Level.Trial)
    public void stopServer() {
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
