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
 * Upload to first response: what a user sees after deploying. One measured operation uploads a new version of a
 * script through the admin API ({@code PUT /v1/scripts/NAME}, its source differs from every earlier version's) and,
 * once the upload is answered, sends the first {@code GET /} for it over a keep-alive traffic connection and reads
 * the whole response, which must come from the new version. The upload today validates the module by evaluating it
 * in a throw-away blank context (taken from the pre-warmed pool, or built when it is empty), stores the version and
 * publishes it (retiring the previous version's isolate); the request then is a cold start of the new version. All
 * of that is in the score.
 *
 * <p>{@code pool} as in {@link ColdStartBenchmark}: {@code prewarmed} (8 contexts) or {@code none} (0). Before each
 * operation, unmeasured: the previous version's retirement has run to its end, the pre-warmed pool is full again,
 * and a warm request to another script has gone over the traffic connection. After each, the server must have made
 * exactly one cold start. The server's record of the parts of those cold starts (over the measurement iterations) is
 * logged at the end; the validation's own evaluation is not among them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Threads(1)
@Warmup(iterations = 16, time = 5, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 5, timeUnit = TimeUnit.SECONDS)
public class DeployBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(DeployBenchmark.class);

    private static final String SCRIPT = "deployed";

    @Param({"prewarmed", "none"})
    public String pool;

    private ColdStartRig rig;
    private BenchServer server;
    private LoopbackHttpClient traffic;
    private byte[] request;
    private int versionCounter;
    private long deployed;
    private final MeasuredColdStarts parts = new MeasuredColdStarts();

    @Setup(Level.Trial)
    public void startServer() throws Exception {
        rig = ColdStartRig.start(pool);
        server = rig.server;
        traffic = rig.traffic;
        try {
            request = LoopbackHttpClient.get(BenchServer.host(SCRIPT), "/");
            deployAndRequest();
        } catch (Exception | Error e) {
            stopServer();
            throw e;
        }
    }

    @Setup(Level.Iteration)
    public void markMeasurement(IterationParams iteration) {
        parts.iterationStarts(iteration, server.isolates());
    }

    /** Unmeasured: the previous deployment settled (old isolate closed, pre-warmed pool full, event loop idle). */
    @Setup(Level.Invocation)
    public void settle() throws Exception {
        rig.settle();
    }

    @TearDown(Level.Invocation)
    public void checkColdStart() {
        rig.checkOneColdStart("the deployment's first request");
    }

    @TearDown(Level.Trial)
    public void stopServer() {
        if (rig == null) {
            return;
        }
        LOG.info("upload to first response (pool {}): {} versions deployed and requested", pool, deployed);
        LOG.info("upload to first response (pool {}): first request's cold start {}", pool,
                parts.describe(server.isolates()));
        rig.close();
        rig = null;
    }

    /** Uploads a new version and reads its first response; checks that the new version answered. */
    @Benchmark
    public int deployAndRequest() throws IOException {
        int n = ++versionCounter;
        server.deploy(SCRIPT, ColdStartBenchmark.source(n));
        int status = traffic.exchange(request);
        String body = traffic.bodyText();
        if (status != 200 || !body.startsWith("hello " + n + " GET ")) {
            throw new IllegalStateException("version " + n + ": unexpected answer HTTP " + status + " '" + body + "'");
        }
        deployed++;
        return traffic.bodyLength();
    }
}
