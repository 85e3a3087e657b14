package io.isoworker.bench;

import java.io.IOException;
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
import org.openjdk.jmh.infra.IterationParams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cold start: the client-side time of one {@code GET /} for a script that has no isolate on the server's event loop,
 * from writing the request to reading the last byte of the response. The server takes a blank context (pre-warmed,
 * or built on the spot), evaluates the worker's module in it, calls its {@code fetch} and answers.
 *
 * <p>{@code pool}: {@code prewarmed} keeps 8 blank contexts ready (the default server), so the cold start takes one
 * whose context creation and prelude ran off the request path; {@code none} starts the server with
 * {@code prewarmed-contexts 0}, so every cold start builds its context and evaluates the prelude on the request path.
 *
 * <p>At the end of the trial the server's own record of the cold starts' parts over the measurement iterations is
 * logged ({@link io.isoworker.isolate.IsolatePool#coldStartPhases}): waiting for a context, context creation,
 * prelude, module evaluation, first call, the total on the guest thread, and (for {@code prewarmed}) what the pool's
 * filler spent off the request path on the contexts those cold starts took. They are server-side times; the score
 * also holds the network round trip, the event loop and the hand-off to the guest thread.
 *
 * <p>Before each measured request, unmeasured ({@code @Setup(Level.Invocation)}): the script's isolate is retired, the
 * retirement is let run to its end (the old context closed on the event loop, so that its cost does not land in the
 * measured request), the pre-warmed pool is refilled, and one warm request to another script goes over the same
 * connection. After each, the server's cold-start counter must have moved by exactly one, and with {@code prewarmed}
 * the request must have found a pre-warmed context (no pool miss).
 *
 * <p>{@code version}:
 * <ul>
 * <li>{@code reloaded}: the same version is loaded again each time. Its source was parsed once, and the engine shares
 * parsed (and, after many loads, compiled) code between contexts.</li>
 * <li>{@code never-loaded}: each measured request is for a version just uploaded (its source differs, so nothing of it
 * is cached from earlier versions). The upload's validation has evaluated it once in a throw-away context, so it is
 * parsed but its code is cold; the previous version is retired.</li>
 * <li>{@code loaded-once} (not run by default: {@code -p version=loaded-once}): like {@code never-loaded}, but the new
 * version is loaded and answers one request before it is retired and measured, to tell the cost of a version's first
 * load from that of its later loads. That unmeasured first load is a cold start too, so the logged parts are over
 * twice as many cold starts as were measured, half of them first loads.</li>
 * </ul>
 *
 * <p>Warm-up is long on purpose: on 2 cores the cold start kept getting faster for 60-80 s of this loop (HotSpot was
 * still compiling the Graal compiler, which runs as Java code on a stock JDK, and the load path), from 5-8 ms to about
 * 0.5 ms (docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Threads(1)
@Warmup(iterations = 16, time = 5, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 5, timeUnit = TimeUnit.SECONDS)
public class ColdStartBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(ColdStartBenchmark.class);

    private static final String SCRIPT = "cold";

    @Param({"reloaded", "never-loaded"})
    public String version;

    @Param({"prewarmed", "none"})
    public String pool;

    private ColdStartRig rig;
    private BenchServer server;
    private LoopbackHttpClient traffic;
    private byte[] coldRequest;
    private String versionId;
    private int versionCounter;
    private long measured;
    private long missesAtStart;
    private long missesBefore;
    private final MeasuredColdStarts parts = new MeasuredColdStarts();

    static String source(int n) {
        return "// version " + n + "\n"
                + "export default { fetch(request) { return new Response('hello " + n + " ' + request.method + ' '"
                + " + request.url, { headers: { 'content-type': 'text/plain' } }); } };";
    }

    @Setup(Level.Trial)
    public void startServer() throws Exception {
        if (!version.equals("reloaded") && !version.equals("never-loaded") && !version.equals("loaded-once")) {
            throw new IllegalArgumentException("version is 'reloaded', 'never-loaded' or 'loaded-once', not '"
                    + version + "'");
        }
        rig = ColdStartRig.start(pool);
        server = rig.server;
        traffic = rig.traffic;
        try {
            versionId = server.deploy(SCRIPT, source(versionCounter));
            coldRequest = LoopbackHttpClient.get(BenchServer.host(SCRIPT), "/");
            int status = traffic.exchange(coldRequest);
            String expected = "hello " + versionCounter + " GET http://" + BenchServer.host(SCRIPT) + "/";
            if (status != 200 || !traffic.bodyText().equals(expected)) {
                throw new IllegalStateException("unexpected answer: HTTP " + status + " '" + traffic.bodyText()
                        + "', expected '" + expected + "'");
            }
            rig.flush();
            missesAtStart = server.isolates().prewarmMisses();
        } catch (Exception | Error e) {
            stopServer();
            throw e;
        }
    }

    @Setup(Level.Iteration)
    public void markMeasurement(IterationParams iteration) {
        parts.iterationStarts(iteration, server.isolates());
    }

    /** Unmeasured: makes the next request a cold start with a full pre-warmed pool (or none). */
    @Setup(Level.Invocation)
    public void prepareColdStart() throws Exception {
        String retire = versionId;
        if (!version.equals("reloaded")) {
            // Publishing retires the previous version's isolates already; retiring it again is harmless and keeps
            // the benchmark independent of that.
            versionId = server.deploy(SCRIPT, source(++versionCounter));
            if (version.equals("loaded-once")) {
                coldRequest();
                retire = versionId;
            }
        }
        server.isolates().retireVersion(retire);
        // the old context's close must not be part of the measured request
        rig.settle();
        missesBefore = server.isolates().prewarmMisses();
    }

    @TearDown(Level.Invocation)
    public void checkColdStart() {
        rig.checkOneColdStart("the measured request");
        if (pool.equals("prewarmed") && server.isolates().prewarmMisses() != missesBefore) {
            throw new IllegalStateException("the measured request found the pre-warmed pool empty");
        }
        measured++;
    }

    @TearDown(Level.Trial)
    public void stopServer() {
        if (rig == null) {
            return;
        }
        LOG.info("cold start ({}, pool {}): {} cold starts measured or warmed up, {} pre-warmed pool miss(es), "
                + "{} version(s) uploaded", version, pool, measured, server.isolates().prewarmMisses() - missesAtStart,
                versionCounter + 1);
        LOG.info("cold start ({}, pool {}) {}", version, pool, parts.describe(server.isolates()));
        rig.close();
        rig = null;
    }

    /** One request that finds no isolate for its script: loads it into a blank context and answers. */
    @Benchmark
    public int coldRequest() throws IOException {
        int status = traffic.exchange(coldRequest);
        if (status != 200) {
            throw new IllegalStateException("HTTP " + status + ": " + traffic.bodyText());
        }
        return traffic.bodyLength();
    }
}
