package io.isoworker.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.isolate.BlankContext;
import io.isoworker.isolate.IsolateEngine;

/**
 * What the prelude costs a new context: the time to build one sandboxed blank context and evaluate the prelude in
 * it (the pre-warmed pool's work, off the request path), and the heap one such context retains. The time is the
 * benchmark's score; the heap is measured after the run (contexts kept alive, full GCs before and after) and logged
 * as {@code retained heap per blank context}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Threads(1)
@Warmup(iterations = 8, time = 5, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 5, timeUnit = TimeUnit.SECONDS)
public class BlankContextBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(BlankContextBenchmark.class);
    private static final int FOOTPRINT_CONTEXTS = 200;

    private IsolateEngine engine;

    @Setup(Level.Trial)
    public void start() {
        engine = new IsolateEngine();
        LOG.info("GraalJS engine '{}' {} (optimizing compiler: {})", engine.implementationName(), engine.version(),
                engine.optimizing());
        if (!engine.optimizing() && !Boolean.getBoolean(BenchServer.ALLOW_INTERPRETED)) {
            engine.close();
            throw new IllegalStateException("GraalJS runs interpreted: start the benchmark with bench/run "
                    + "(or set -D" + BenchServer.ALLOW_INTERPRETED + "=true to measure the interpreter on purpose)");
        }
    }

    @Benchmark
    public void buildBlankContext() {
        try (BlankContext context = engine.newBlankContext()) {
            // built, prelude evaluated, closed
        }
    }

    @TearDown(Level.Trial)
    public void measureFootprint() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        List<BlankContext> kept = new ArrayList<>(FOOTPRINT_CONTEXTS);
        for (int i = 0; i < FOOTPRINT_CONTEXTS; i++) {
            kept.add(engine.newBlankContext());
        }
        long after = usedAfterGc(memory);
        LOG.info("retained heap per blank context: {} KiB ({} contexts, {} MiB in all)",
                (after - before) / FOOTPRINT_CONTEXTS / 1024, FOOTPRINT_CONTEXTS, (after - before) >> 20);
        kept.forEach(BlankContext::close);
        engine.close();
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
