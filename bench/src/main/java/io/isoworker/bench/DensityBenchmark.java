package io.isoworker.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
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

import io.vertx.core.json.JsonObject;

/**
 * Density: the heap one idle deployed script holds, at {@code scripts} deployed scripts, each a {@code bundle}:
 * {@code small} (a hello-world module of ~200 bytes) or {@code 1mib} (a generated 1 MiB bundle that looks like a
 * bundled app, see {@link AppBundle}). Every script's source is distinct. The goal to report against: an idle script
 * under 256 KiB of heap.
 *
 * <p>Trial set-up: a server with one guest thread ({@code guest-threads 1}, so each script has exactly one isolate),
 * {@code max-isolates} above the script count, a one-day idle timeout and the heap guard off
 * ({@code heap-guard-percent 0}), so nothing is evicted or recycled during the trial; 8 pre-warmed contexts (the
 * default), and for {@code 1mib} a startup CPU limit of 30 s (see {@link #STARTUP_CPU_MS_1MIB}). Requests get a CPU
 * limit of 1,000 ms instead of 50: with thousands of isolates, a hello world's first request sometimes used 50-112 ms
 * of CPU and was cancelled, and with 10,000 loaded a warm request to a hello world went over the 128 MiB allocation
 * limit of one entry into the guest, so the per-entry memory limit is off ({@code memory-mb 0}) too (both seen at
 * 10,000 small scripts; not investigated further). The used heap after full
 * collections, once settled (see {@link #usedHeapAfterGc}), is read three times: before
 * deploying, after uploading all scripts through the admin API (versions held, none loaded), and after one request
 * to each script (each has a loaded, idle isolate). Logged, and written as JSON to the file named by the system
 * property {@value #OUT_PROPERTY} (default {@code bench/results/density-SCRIPTS-BUNDLE.json}): bytes and KiB per
 * script deployed only and loaded and idle, the isolate's own share (the difference), {@code liveIsolates()}, and
 * how long the uploads and the first requests took.
 *
 * <p>The measured operation, which is not the point: one warm request to the next of the N loaded scripts in turn
 * (dispatch with N idle isolates resident), whose answer is checked.
 *
 * <p>The fork gets {@code -Xmx16g} (the machine has 24 GiB). Neither {@code 1000 x 1mib} nor {@code 10000 x 1mib}
 * fits that heap (a deployed, loaded 1 MiB bundle holds ~30 MiB, mostly parsed code; 10,000 would need ~300 GiB, and
 * their uploads alone, at ~0.7 s each, would take two hours): the benchmark refuses, with a message, {@code 1mib}
 * counts whose estimated heap exceeds 80% of the fork's maximum (see {@link #ESTIMATED_BYTES_PER_1MIB_SCRIPT}).
 * Any other count can be passed, e.g. {@code -p scripts=200}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx16g"})
@Threads(1)
@Warmup(iterations = 2, time = 5, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 5, timeUnit = TimeUnit.SECONDS)
public class DensityBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(DensityBenchmark.class);

    /** System property: where to write the figures as JSON. */
    static final String OUT_PROPERTY = "isoworker.bench.densityOut";

    /**
     * Heap one deployed, loaded and idle {@code 1mib} script was measured to hold (~30 MiB at 100 scripts: ~26 MiB
     * deployed only, the engine's parsed code of the validated source, and ~4 MiB more once loaded), rounded up:
     * used to refuse counts that cannot fit the fork's heap (at {@code -Xmx16g}, about 400 scripts).
     */
    static final long ESTIMATED_BYTES_PER_1MIB_SCRIPT = 32L << 20;

    /**
     * The startup CPU limit for the {@code 1mib} bundle: evaluating it took over the default 1,000 ms while the JIT
     * was cold (the second upload of a trial was refused), so its trials raise the limit; {@code small} keeps 1,000.
     */
    static final long STARTUP_CPU_MS_1MIB = 30_000;

    @Param({"1000", "10000"})
    public int scripts;

    @Param({"small", "1mib"})
    public String bundle;

    private BenchServer server;
    private LoopbackHttpClient traffic;
    private byte[][] requests;
    private String[] answers;
    private int next;

    @Setup(Level.Trial)
    public void deployAll() throws Exception {
        if (!bundle.equals("small") && !bundle.equals("1mib")) {
            throw new IllegalArgumentException("bundle is 'small' or '1mib', not '" + bundle + "'");
        }
        if (scripts < 1) {
            throw new IllegalArgumentException("scripts must be at least 1, not " + scripts);
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        if (bundle.equals("1mib") && scripts * ESTIMATED_BYTES_PER_1MIB_SCRIPT > maxHeap * 8 / 10) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%,d scripts x 1 MiB bundle do not fit "
                    + "this fork's heap of %,d MiB: an idle 1 MiB script holds about %d MiB of heap (source and "
                    + "parsed code), so they would need ~%,d MiB; at most ~%,d such scripts fit. Pass a smaller "
                    + "-p scripts=N", scripts, maxHeap >> 20, ESTIMATED_BYTES_PER_1MIB_SCRIPT >> 20,
                    scripts * ESTIMATED_BYTES_PER_1MIB_SCRIPT >> 20,
                    maxHeap * 8 / 10 / ESTIMATED_BYTES_PER_1MIB_SCRIPT));
        }
        // Everything the measured loop needs is allocated before the first reading, so it is not counted.
        requests = new byte[scripts][];
        answers = new String[scripts];
        for (int i = 0; i < scripts; i++) {
            requests[i] = LoopbackHttpClient.get(BenchServer.host(name(i)), "/");
            answers[i] = bundle.equals("small") ? smallAnswer(i) : AppBundle.answer(i);
        }
        server = BenchServer.start(Map.of(
                "guest-threads", "1",
                "guest-threads-per-script", "1",
                "max-isolates", Integer.toString(scripts * 2 + 100),
                "idle-timeout-seconds", Long.toString(TimeUnit.DAYS.toSeconds(1)),
                "heap-guard-percent", "0",
                "prewarmed-contexts", "8",
                "cpu-ms", "1000",
                "memory-mb", "0",
                "startup-cpu-ms", bundle.equals("small") ? "1000" : Long.toString(STARTUP_CPU_MS_1MIB)));
        try {
            traffic = server.connect();
            measure(maxHeap);
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
    }

    private void measure(long maxHeap) throws Exception {
        settle();
        Heap before = usedHeapAfterGc();

        int progressEvery = bundle.equals("small") ? 1000 : 50;
        long start = System.nanoTime();
        for (int i = 0; i < scripts; i++) {
            server.deploy(name(i), bundle.equals("small") ? smallSource(i) : AppBundle.source(i));
            if ((i + 1) % progressEvery == 0) {
                LOG.info("density: {} of {} scripts uploaded in {} s", i + 1, scripts,
                        (System.nanoTime() - start) / 1_000_000_000);
            }
        }
        long uploadNanos = System.nanoTime() - start;
        settle();
        Heap deployed = usedHeapAfterGc();

        long coldStartsBefore = server.isolates().coldStarts();
        start = System.nanoTime();
        for (int i = 0; i < scripts; i++) {
            request(i);
        }
        long loadNanos = System.nanoTime() - start;
        long coldStarts = server.isolates().coldStarts() - coldStartsBefore;
        if (coldStarts != scripts) {
            throw new IllegalStateException("the first requests made " + coldStarts + " cold starts, expected "
                    + scripts);
        }
        settle();
        Heap loaded = usedHeapAfterGc();
        long live = server.isolates().liveIsolates();
        if (live != scripts) {
            throw new IllegalStateException(live + " isolates live after loading " + scripts + " scripts");
        }

        long deployedPer = (deployed.afterGc - before.afterGc) / scripts;
        long loadedPer = (loaded.afterGc - before.afterGc) / scripts;
        long isolatePer = (loaded.afterGc - deployed.afterGc) / scripts;
        long deployedPerLowest = (deployed.lowest - before.lowest) / scripts;
        long loadedPerLowest = (loaded.lowest - before.lowest) / scripts;
        LOG.info(String.format(Locale.ROOT, "density (%,d x %s) from the lowest readings instead: per script deployed "
                + "only %.1f KiB, loaded and idle %.1f KiB (heap before %,d MiB, deployed %,d MiB, loaded %,d MiB)",
                scripts, bundle, deployedPerLowest / 1024.0, loadedPerLowest / 1024.0, before.lowest >> 20,
                deployed.lowest >> 20, loaded.lowest >> 20));
        LOG.info(String.format(Locale.ROOT, "density (%,d x %s, guest-threads 1): per script deployed only %,d "
                + "bytes (%.1f KiB), loaded and idle %,d bytes (%.1f KiB, of which the isolate %.1f KiB); goal "
                + "< 256 KiB; liveIsolates %,d; heap used after GC: before %,d MiB, deployed %,d MiB, loaded %,d MiB "
                + "(of max %,d MiB); uploads %.1f s (%.1f ms each), first requests %.1f s (%.2f ms each)", scripts,
                bundle, deployedPer, deployedPer / 1024.0, loadedPer, loadedPer / 1024.0, isolatePer / 1024.0, live,
                before.afterGc >> 20, deployed.afterGc >> 20, loaded.afterGc >> 20, maxHeap >> 20,
                uploadNanos / 1e9, uploadNanos / 1e6 / scripts, loadNanos / 1e9, loadNanos / 1e6 / scripts));
        JsonObject json = new JsonObject()
                .put("scripts", scripts)
                .put("bundle", bundle)
                .put("bundle_bytes", bundle.equals("small") ? smallSource(0).length() : AppBundle.source(0).length())
                .put("guest_threads", 1)
                .put("heap_max_bytes", maxHeap)
                .put("heap_after_gc_bytes", new JsonObject().put("before", before.afterGc)
                        .put("deployed", deployed.afterGc).put("loaded", loaded.afterGc))
                .put("heap_used_mxbean_bytes", new JsonObject().put("before", before.used)
                        .put("deployed", deployed.used).put("loaded", loaded.used))
                .put("heap_after_gc_lowest_bytes", new JsonObject().put("before", before.lowest)
                        .put("deployed", deployed.lowest).put("loaded", loaded.lowest))
                .put("deployed_only_kib_per_script_from_lowest", deployedPerLowest / 1024.0)
                .put("loaded_idle_kib_per_script_from_lowest", loadedPerLowest / 1024.0)
                .put("heap_readings", new JsonObject().put("before", before.readings)
                        .put("deployed", deployed.readings).put("loaded", loaded.readings))
                .put("deployed_only_bytes_per_script", deployedPer)
                .put("loaded_idle_bytes_per_script", loadedPer)
                .put("isolate_bytes_per_script", isolatePer)
                .put("deployed_only_kib_per_script", deployedPer / 1024.0)
                .put("loaded_idle_kib_per_script", loadedPer / 1024.0)
                .put("goal_kib_per_script", 256)
                .put("live_isolates", live)
                .put("upload_seconds", uploadNanos / 1e9)
                .put("first_requests_seconds", loadNanos / 1e9);
        Path out = Path.of(System.getProperty(OUT_PROPERTY, "bench/results/density-" + scripts + "-" + bundle
                + ".json"));
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, json.encodePrettily() + "\n");
        LOG.info("density figures written to {}", out.toAbsolutePath());
    }

    /** Lets background work end: removals, the pre-warmed pool's refill, anything queued on the event loop. */
    private void settle() throws Exception {
        ForkJoinPool.commonPool().awaitQuiescence(10, TimeUnit.SECONDS);
        if (!server.isolates().awaitPrewarmed(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the pre-warmed pool did not fill up within 30 s");
        }
    }

    /**
     * @param afterGc  the heap pools' usage right after a collection (the GC's own after-collection figure), once
     *                 settled
     * @param used     the MemoryMXBean's heap usage read right after that collection, for comparison
     * @param lowest   the lowest after-collection figure among the readings
     * @param readings how many readings it took for them to settle
     */
    private record Heap(long afterGc, long used, long lowest, int readings) {
    }

    /**
     * The heap in use after full collections (as BlankContextBenchmark reads it), once it has settled. On a stock JDK
     * the Graal compiler runs as Java code in the same heap: a Truffle compilation in flight holds tens of MiB of
     * compiler graphs (seen with {@code jmap -histo:live} during the uploads), which are not any script's, and the
     * compiled code's metadata grows for a while after load. So this reads every 500 ms until three readings in a row
     * are within 1 MiB of each other (at most 40 readings) and takes the last (the settled heap; when it never
     * settles, the last reading all the same, and a warning). The lowest reading is kept beside it: the two can
     * differ a lot (at 1,000 small scripts deployed, the readings once climbed from 160 MiB to 1.7 GiB over ~15 s
     * and settled at 1.1 GiB, where another run had settled at under 300 MiB), so both figures are logged and
     * written, and a figure should be trusted only when repeated runs agree.
     */
    private static Heap usedHeapAfterGc() throws InterruptedException {
        List<Heap> readings = new ArrayList<>();
        while (readings.size() < 40) {
            readings.add(readHeapAfterGc(readings.size() + 1));
            int n = readings.size();
            if (n >= 3) {
                long hi = Math.max(readings.get(n - 1).afterGc, Math.max(readings.get(n - 2).afterGc,
                        readings.get(n - 3).afterGc));
                long lo = Math.min(readings.get(n - 1).afterGc, Math.min(readings.get(n - 2).afterGc,
                        readings.get(n - 3).afterGc));
                if (hi - lo <= 1L << 20) {
                    break;
                }
            }
            Thread.sleep(500);
        }
        Heap last = readings.getLast();
        long lowest = readings.stream().mapToLong(Heap::afterGc).min().orElseThrow();
        List<String> mib = readings.stream().map(h -> Long.toString(h.afterGc >> 20)).toList();
        if (readings.size() == 40) {
            LOG.warn("heap after GC did not settle in 40 readings: taking the last, {} MiB (readings {} MiB)",
                    last.afterGc >> 20, mib);
        } else {
            LOG.info("heap after GC: {} MiB, settled after {} readings (lowest {} MiB; readings {} MiB)",
                    last.afterGc >> 20, readings.size(), lowest >> 20, mib);
        }
        return new Heap(last.afterGc, last.used, lowest, readings.size());
    }

    private static Heap readHeapAfterGc(int reading) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long afterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage usage = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (usage != null) {
                afterGc += usage.getUsed();
            }
        }
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Heap(afterGc, used, afterGc, reading);
    }

    static String name(int i) {
        return "s" + i;
    }

    static String smallSource(int i) {
        return "// script " + i + "\nconst greeting = 'hello from script " + i + "';\n"
                + "export default { fetch(request) { return new Response(greeting + ' ' + request.method, "
                + "{ headers: { 'content-type': 'text/plain' } }); } };\n";
    }

    static String smallAnswer(int i) {
        return "hello from script " + i + " GET";
    }

    private void request(int i) throws IOException {
        int status = traffic.exchange(requests[i]);
        if (status != 200 || !traffic.bodyText().equals(answers[i])) {
            throw new IllegalStateException("script " + name(i) + ": HTTP " + status + " '" + traffic.bodyText()
                    + "', expected '" + answers[i] + "'");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (server == null) {
            return;
        }
        LOG.info("density ({} x {}): {} isolates live at the end", scripts, bundle, server.isolates().liveIsolates());
        if (traffic != null) {
            traffic.close();
        }
        server.close();
        server = null;
    }

    /** One warm request to the next loaded script in turn. */
    @Benchmark
    public int warmRequest() throws IOException {
        int i = next;
        next = (i + 1) % scripts;
        request(i);
        return traffic.bodyLength();
    }
}
