package io.isoworker.isolate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.graalvm.polyglot.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;

import io.isoworker.api.ModuleType;
import io.isoworker.api.WorkerModule;
import io.isoworker.api.http.HttpRequestHead;
import io.isoworker.api.http.OutboundHttp;
import io.isoworker.api.http.ResponseSink;
import io.isoworker.kv.KvStore;

/**
 * The isolate pool: the shared engine, the pre-warmed blank contexts, the threads that run guest code, and the loaded
 * isolates, one per worker version and guest thread, kept in a Caffeine cache that closes idle ones (scale to zero) and the least recently
 * used beyond its maximum.
 */
public final class IsolatePool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IsolatePool.class);

    private record Key(String versionId, int owner) {
    }

    private final IsolateSettings settings;
    private final IsolateEngine engine;
    private final Watchdog watchdog;
    private final ContextPool blanks;
    /** The threads guest code runs on. */
    private final GuestThreads guests;
    /** Recycles isolates while the heap stays full after collections; null when off. */
    private final HeapGuard heapGuard;
    private final Cache<Key, Isolate> isolates;
    private final AtomicLong coldStarts = new AtomicLong();
    private final ColdStartPhases phases = new ColdStartPhases();
    /** Fires guest timers; the firing task only hands the timer to its isolate's owner thread. */
    private final ScheduledThreadPoolExecutor timerClock;
    /** The network that guest fetch() uses. */
    private final OutboundHttp outbound;
    /** The store behind KV bindings, or null. */
    private final KvStore kv;

    /** A pool whose workers have no outbound network ({@link OutboundHttp#NONE}). */
    public IsolatePool(IsolateSettings settings) {
        this(settings, OutboundHttp.NONE);
    }

    /** A pool whose workers have no KV store: their KV bindings fail on use. */
    public IsolatePool(IsolateSettings settings, OutboundHttp outbound) {
        this(settings, outbound, null);
    }

    /**
     * @param outbound the network that guest fetch() uses
     * @param kv       the store behind KV bindings, or null for none
     */
    public IsolatePool(IsolateSettings settings, OutboundHttp outbound, KvStore kv) {
        this.settings = settings;
        this.outbound = outbound;
        this.kv = kv;
        this.engine = new IsolateEngine();
        this.watchdog = new Watchdog();
        this.blanks = new ContextPool(engine, settings.prewarmedContexts());
        this.guests = new GuestThreads(settings.resolvedGuestThreads(), settings.resolvedGuestThreadsPerScript());
        this.heapGuard = settings.heapGuardPercent() > 0
                ? new HeapGuard(settings.heapGuardPercent(), this::recycleHeaviest) : null;
        this.timerClock = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("isoworker-timers").factory());
        this.timerClock.setRemoveOnCancelPolicy(true);
        this.isolates = Caffeine.newBuilder()
                .maximumSize(settings.maxIsolates())
                .expireAfterAccess(settings.idleTimeout())
                .scheduler(Scheduler.systemScheduler())
                .<Key, Isolate>removalListener((key, isolate, cause) -> {
                    if (isolate != null) {
                        isolate.retire();
                    }
                })
                .build();
    }

    public IsolateEngine engine() {
        return engine;
    }

    public IsolateSettings settings() {
        return settings;
    }

    /**
     * Fills the pre-warmed pool and runs a small worker through load and dispatch, so the first real request finds
     * the prelude's code paths warm. The worker's {@code fetch()} calls go to a {@link WarmUpOrigin} in memory, never
     * to the network. Call before accepting traffic.
     */
    public void warmUp(int requests) throws InterruptedException {
        long start = System.nanoTime();
        WorkerBundle warm = new WorkerBundle("isoworker-warmup", "warmup", "warmup.js",
                List.of(WorkerModule.of("warmup.js", ModuleType.ES_MODULE, warmUpSource())),
                List.of(), settings.maxRequestCpuLimit().toMillis()); // the server's own cold code paths, not a tenant's
        ExecutorService lane = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("isoworker-warmup").factory());
        OutboundHttp origin = new WarmUpOrigin();
        try {
            for (int i = 0; i < requests; i++) {
                WarmUpSink sink = new WarmUpSink();
                byte[] body = ("{\"n\":" + i + ",\"items\":[\"a\",\"b\"]}").getBytes(StandardCharsets.UTF_8);
                HttpRequestHead request = new HttpRequestHead("POST", "http://warmup/api/items?n=" + i,
                        List.of(Map.entry("accept", "application/json"), Map.entry("content-type", "application/json"),
                                Map.entry("x-n", Integer.toString(i))), ByteBuffer.wrap(body));
                Isolate[] isolate = new Isolate[1];
                lane.execute(() -> {
                    try {
                        isolate[0] = load(warm, lane, origin);
                        isolate[0].dispatchFetch(request, sink);
                    } catch (ScriptLoadException | RuntimeException e) {
                        sink.fail(e.getMessage(), e.toString());
                    }
                });
                String failure = sink.await(60, TimeUnit.SECONDS);
                lane.execute(() -> {
                    if (isolate[0] != null) {
                        isolate[0].retire();
                    }
                });
                if (failure != null) {
                    throw new IllegalStateException("the engine's warm-up worker failed on request " + (i + 1)
                            + " of " + requests + ": " + failure);
                }
            }
        } finally {
            lane.shutdown();
        }
        lane.awaitTermination(10, TimeUnit.SECONDS);
        blanks.awaitFull(60, TimeUnit.SECONDS);
        LOG.info("engine warmed up in {} ms ({}, {} pre-warmed contexts)", (System.nanoTime() - start) / 1_000_000,
                engine.implementationName(), blanks.size());
    }

    /**
     * Hands a request to a worker: picks a guest thread for it (see {@link GuestThreads}), and there runs it on the
     * version's isolate, loading one first (a cold start) when that thread has none. Any thread; returns at once.
     *
     * @param loadFailed told, on the guest thread, when the version cannot be loaded; the sink is then not used
     */
    public void dispatch(WorkerBundle bundle, HttpRequestHead request, ResponseSink sink,
            Consumer<ScriptLoadException> loadFailed) {
        String version = bundle.versionId();
        AtomicIntegerArray use = guests.use(version);
        try {
            GuestThreads.Lane lane = chooseLane(version, use);
            lane.execute(use, () -> {
                Key key = new Key(version, lane.index);
                Isolate isolate = isolates.getIfPresent(key);
                if (isolate != null && isolate.usable()) {
                    isolate.dispatchFetch(request, sink);
                    return;
                }
                coldStart(key, lane, use, bundle, request, sink, loadFailed);
            });
        } catch (RejectedExecutionException e) {
            sink.fail("Error: the server is shutting down", "Error: the server is shutting down");
        } catch (RuntimeException e) {
            LOG.error("script {}: the request could not be handed to a guest thread", bundle.scriptName(), e);
            sink.fail("Error: internal error", "Error: internal error");
        }
    }

    /**
     * Runs a cron trigger's scheduled handler on the version, as {@link #dispatch} runs a request (on a guest thread,
     * loading the version when that thread has none; the same CPU and memory limits). {@code sink} gets an empty
     * {@code 200} when the run is over, or its failure; a run not over within {@code timeoutMillis} fails. Any
     * thread; returns at once.
     */
    public void dispatchScheduled(WorkerBundle bundle, String cron, long scheduledTime, long timeoutMillis,
            ResponseSink sink, Consumer<ScriptLoadException> loadFailed) {
        String version = bundle.versionId();
        AtomicIntegerArray use = guests.use(version);
        try {
            GuestThreads.Lane lane = chooseLane(version, use);
            lane.execute(use, () -> {
                Key key = new Key(version, lane.index);
                Isolate isolate = isolates.getIfPresent(key);
                if (isolate != null && isolate.usable()) {
                    isolate.dispatchScheduled(cron, scheduledTime, timeoutMillis, sink);
                    return;
                }
                coldStart(key, lane, use, bundle, loadFailed, fresh -> fresh.dispatchScheduled(cron, scheduledTime,
                        timeoutMillis, sink));
            });
        } catch (RejectedExecutionException e) {
            sink.fail("Error: the server is shutting down", "Error: the server is shutting down");
        } catch (RuntimeException e) {
            LOG.error("script {}: the scheduled run could not be handed to a guest thread", bundle.scriptName(), e);
            sink.fail("Error: internal error", "Error: internal error");
        }
    }

    /** The guest thread for the version's next piece of work (see {@link GuestThreads#choose}). */
    private GuestThreads.Lane chooseLane(String version, AtomicIntegerArray use) {
        return guests.choose(use, i -> {
            Isolate loaded = isolates.getIfPresent(new Key(version, i));
            return loaded != null && loaded.usable();
        });
    }

    private void coldStart(Key key, GuestThreads.Lane lane, AtomicIntegerArray use, WorkerBundle bundle,
            HttpRequestHead request, ResponseSink sink, Consumer<ScriptLoadException> loadFailed) {
        coldStart(key, lane, use, bundle, loadFailed, fresh -> fresh.dispatchFetch(request, sink));
    }

    /**
     * Loads the version on {@code lane} (it has no usable isolate there) and hands it the first piece of work,
     * recording how long each part took ({@link #coldStartPhases}). On that lane's thread.
     */
    private void coldStart(Key key, GuestThreads.Lane lane, AtomicIntegerArray use, WorkerBundle bundle,
            Consumer<ScriptLoadException> loadFailed, Consumer<Isolate> first) {
        coldStarts.incrementAndGet();
        long start = System.nanoTime();
        BlankContext ctx = blanks.take();
        long taken = System.nanoTime();
        Value worker;
        try {
            worker = ctx.load(bundle, watchdog, settings.startupCpuLimit(), false);
        } catch (ScriptLoadException e) {
            loadFailed.accept(e);
            return;
        }
        long evaluated = System.nanoTime();
        Isolate fresh = newIsolate(bundle, ctx, worker, task -> lane.execute(use, task), outbound);
        isolates.put(key, fresh);
        long calling = System.nanoTime();
        first.accept(fresh);
        long called = System.nanoTime();
        phases.record(ColdStartPhases.Phase.WAIT_FOR_CONTEXT, taken - start);
        phases.record(ColdStartPhases.Phase.CONTEXT_CREATION, ctx.prewarmed ? 0 : ctx.creationNanos);
        phases.record(ColdStartPhases.Phase.PRELUDE, ctx.prewarmed ? 0 : ctx.preludeNanos);
        phases.record(ColdStartPhases.Phase.MODULE_EVALUATION, evaluated - taken);
        phases.record(ColdStartPhases.Phase.FIRST_CALL, called - calling);
        phases.record(ColdStartPhases.Phase.TOTAL, called - start);
        phases.record(ColdStartPhases.Phase.PREWARMED_CONTEXT_CREATION, ctx.prewarmed ? ctx.creationNanos : 0);
        phases.record(ColdStartPhases.Phase.PREWARMED_PRELUDE, ctx.prewarmed ? ctx.preludeNanos : 0);
    }

    private Isolate load(WorkerBundle bundle, Executor executor, OutboundHttp network) throws ScriptLoadException {
        BlankContext ctx = blanks.take();
        Value worker = ctx.load(bundle, watchdog, settings.startupCpuLimit(), false);
        return newIsolate(bundle, ctx, worker, executor, network);
    }

    /** An isolate for a worker just loaded in {@code ctx}: its host objects connected to the network and KV. */
    private Isolate newIsolate(WorkerBundle bundle, BlankContext ctx, Value worker, Executor executor,
            OutboundHttp network) {
        ctx.host.fetch().connect(network);
        ctx.host.kv().connect(kv, bundle.kvNamespaceIds());
        return new Isolate(bundle, ctx, worker, watchdog, settings.requestCpuLimit(bundle).toNanos(),
                settings.memoryLimitBytes(), settings.responseTimeout().toMillis(),
                settings.waitUntilTimeout().toMillis(), executor,
                timerClock);
    }

    /**
     * Loads {@code bundle} in a fresh context to check it (syntax, top-level evaluation within the startup limit, a
     * handler), then throws the context away. Blocks the calling thread for up to the startup limit: do not call on
     * an event loop.
     */
    public void validate(WorkerBundle bundle) throws ScriptLoadException {
        BlankContext ctx = blanks.take();
        ctx.load(bundle, watchdog, settings.startupCpuLimit(), true);
        ctx.closeQuietly();
    }

    /** Retires every isolate of a version: in-flight requests finish, new ones load the active version. */
    public void retireVersion(String versionId) {
        isolates.asMap().keySet().removeIf(k -> k.versionId().equals(versionId));
        guests.forget(versionId);
    }

    /** Waits until the pre-warmed pool is full again (benchmarks call this between cold starts). */
    public boolean awaitPrewarmed(long timeout, TimeUnit unit) throws InterruptedException {
        return blanks.awaitFull(timeout, unit);
    }

    /**
     * The heap stays full after a collection: retires the isolate that allocated most since it loaded (its requests
     * in flight finish; the next ones load a fresh isolate, with fresh module state).
     */
    private void recycleHeaviest(long usedAfterGc, long maxHeap) {
        Map.Entry<Key, Isolate> heaviest = null;
        for (Map.Entry<Key, Isolate> e : isolates.asMap().entrySet()) {
            if (heaviest == null || e.getValue().allocatedBytes() > heaviest.getValue().allocatedBytes()) {
                heaviest = e;
            }
        }
        if (heaviest == null) {
            LOG.warn("heap {} of {} MiB still in use after a garbage collection, and no isolate to recycle",
                    usedAfterGc >> 20, maxHeap >> 20);
            return;
        }
        Isolate isolate = heaviest.getValue();
        LOG.warn("heap {} of {} MiB still in use after a garbage collection (guard at {}%): recycling the isolate of "
                + "script {} (version {}), which allocated {} MiB since it loaded", usedAfterGc >> 20, maxHeap >> 20,
                settings.heapGuardPercent(), isolate.bundle().scriptName(), isolate.bundle().versionId(),
                isolate.allocatedBytes() >> 20);
        isolates.asMap().remove(heaviest.getKey(), isolate);
    }

    public long coldStarts() {
        return coldStarts.get();
    }

    /**
     * How long the parts of the cold starts on the request path took (context creation, prelude, module evaluation,
     * first call, waiting for a context; see {@link ColdStartPhases} for what each covers and how a pre-warmed
     * context counts). Cold starts whose load failed are counted in {@link #coldStarts} only.
     */
    public ColdStartPhases.Snapshot coldStartPhases() {
        return phases.snapshot();
    }

    public long prewarmMisses() {
        return blanks.misses();
    }

    public long liveIsolates() {
        return isolates.estimatedSize();
    }

    /** The loaded isolates per script name (all versions, all guest threads), counted now: for the metrics. */
    public Map<String, Long> liveIsolatesPerScript() {
        Map<String, Long> counts = new java.util.HashMap<>();
        for (Isolate isolate : isolates.asMap().values()) {
            if (isolate.usable()) {
                counts.merge(isolate.bundle().scriptName(), 1L, Long::sum);
            }
        }
        return counts;
    }

    @Override
    public void close() {
        if (heapGuard != null) {
            heapGuard.close();
        }
        isolates.invalidateAll();
        isolates.cleanUp();
        blanks.close();
        guests.close();
        timerClock.shutdownNow();
        watchdog.close();
        try {
            engine.close();
        } catch (RuntimeException e) {
            LOG.debug("engine close", e);
        }
    }

    private static String warmUpSource() {
        try (InputStream in = IsolatePool.class.getResourceAsStream("warmup.js")) {
            if (in == null) {
                throw new IllegalStateException("warmup.js is missing from the isolate-pool jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sink of one warm-up request: drops the response and keeps its failure, if any. Any thread. */
    private static final class WarmUpSink implements ResponseSink {
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile String failure;

        /** The request's failure, null when it was answered with a 200. */
        String await(long timeout, TimeUnit unit) throws InterruptedException {
            if (!done.await(timeout, unit)) {
                return "no answer within " + timeout + " " + unit.name().toLowerCase(Locale.ROOT);
            }
            return failure;
        }

        @Override
        public void start(int status, List<Map.Entry<String, String>> headers, long contentLength) {
            if (status != 200 && failure == null) {
                failure = "HTTP " + status;
            }
        }

        @Override
        public boolean write(byte[] chunk) {
            return true;
        }

        @Override
        public void onDrain(Runnable next) {
            next.run();
        }

        @Override
        public void end() {
            done.countDown();
        }

        @Override
        public void fail(String message, String stack) {
            if (failure == null) {
                failure = stack;
            }
            done.countDown();
        }

        @Override
        public void limitExceeded(String message, boolean isolateDiscarded) {
            if (failure == null) {
                failure = message;
            }
            done.countDown();
        }

        @Override
        public boolean clientGone() {
            return false;
        }
    }
}
