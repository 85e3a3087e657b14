package io.isoworker.runtime.cron;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.api.http.InvocationSummary;
import io.isoworker.api.http.ResponseSink;
import io.isoworker.isolate.IsolatePool;
import io.isoworker.isolate.WorkerBundle;
import io.isoworker.runtime.observe.Telemetry;

/**
 * Cron triggers: runs each script's {@code scheduled} handler when one of its schedules ({@link CronSchedule}, UTC)
 * is due. A timer wakes at every minute boundary of {@code clock} and fires what fell due since the previous wake.
 * Runs of one script never overlap: a schedule that falls due while the script's previous run is still going is
 * skipped (logged and counted), as is a script whose version cannot be found. A run has the CPU and memory limits of
 * a request, and its own wall-clock limit ({@code cron-timeout-ms}, 15 minutes as on Workers). Failures (the handler
 * threw, a limit) are logged with the script and schedule, and counted; every run and skip is reported to the {@link Telemetry}
 * (metrics, tail).
 */
public final class CronTriggers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CronTriggers.class);

    /** How a run ended. */
    public enum Outcome {
        OK, FAILED, SKIPPED
    }

    /** Counters for one script. */
    public record Counts(long runs, long failures, long skipped) {
    }

    private final IsolatePool isolates;
    private final Function<String, WorkerBundle> activeBundle;
    private final Supplier<Map<String, List<CronSchedule>>> schedules;
    private final Clock clock;
    private final Map<String, AtomicBoolean> running = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong[]> counts = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final Telemetry telemetry;
    private final long runTimeoutMillis;
    private Instant lastWake;

    /**
     * @param activeBundle the version a script's triggers run on (its active one), or null when it has none
     * @param schedules    every script's schedules now (the script registry's), read at each wake
     * @param runTimeout   how long one run may take (wall-clock) before it is failed
     */
    public CronTriggers(IsolatePool isolates, Function<String, WorkerBundle> activeBundle,
            Supplier<Map<String, List<CronSchedule>>> schedules, Clock clock, Telemetry telemetry,
            Duration runTimeout) {
        this.runTimeoutMillis = runTimeout.toMillis();
        this.schedules = schedules;
        this.telemetry = telemetry;
        this.isolates = isolates;
        this.activeBundle = activeBundle;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("isoworker-cron").unstarted(r));
        this.lastWake = clock.instant();
    }

    /** Starts waking at every minute boundary. */
    public CronTriggers start() {
        scheduleNextWake();
        return this;
    }

    /** The counters of {@code script}'s runs so far. */
    public Counts counts(String script) {
        AtomicLong[] c = counts.get(script);
        return c == null ? new Counts(0, 0, 0) : new Counts(c[0].get(), c[1].get(), c[2].get());
    }

    private void scheduleNextWake() {
        long now = clock.millis();
        long delay = 60_000 - Math.floorMod(now, 60_000) + 5;
        try {
            timer.schedule(() -> {
                try {
                    wake(clock.instant());
                } catch (RuntimeException e) {
                    LOG.error("cron: firing the due triggers failed", e);
                }
                scheduleNextWake();
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    /**
     * Fires every schedule that fell due after the previous wake and at or before {@code now} (at most once per
     * schedule per wake, for the latest due time). Called by the timer; tests call it with their own times.
     */
    public synchronized void wake(Instant now) {
        Instant since = lastWake;
        lastWake = now;
        schedules.get().forEach((script, list) -> {
            for (CronSchedule s : list) {
                Instant due = s.nextAfter(since);
                Instant latest = null;
                while (due != null && !due.isAfter(now)) {
                    latest = due;
                    due = s.nextAfter(due);
                }
                if (latest != null) {
                    fire(script, s.text(), latest);
                }
            }
        });
    }

    /**
     * Runs {@code script}'s scheduled handler now, for schedule {@code cron} due at {@code scheduledTime} (also what
     * {@code /__scheduled} in dev does). Completes with the outcome; never exceptionally.
     */
    public CompletableFuture<Outcome> fire(String script, String cron, Instant scheduledTime) {
        AtomicLong[] c = counts.computeIfAbsent(script, k -> new AtomicLong[] {new AtomicLong(), new AtomicLong(),
                new AtomicLong()});
        WorkerBundle bundle = activeBundle.apply(script);
        AtomicBoolean busy = running.computeIfAbsent(script, k -> new AtomicBoolean());
        if (bundle == null || !busy.compareAndSet(false, true)) {
            c[2].incrementAndGet();
            telemetry.cronSkipped(script);
            LOG.warn("script {}: cron '{}' due at {} skipped: {}", script, cron, scheduledTime,
                    bundle == null ? "the script has no active version" : "its previous run is still going");
            return CompletableFuture.completedFuture(Outcome.SKIPPED);
        }
        c[0].incrementAndGet();
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        done.whenComplete((o, e) -> busy.set(false));
        RunSink sink = new RunSink(script, bundle.versionId(), cron, scheduledTime.toEpochMilli(), done, c[1]);
        isolates.dispatchScheduled(bundle, cron, scheduledTime.toEpochMilli(), runTimeoutMillis, sink, e -> {
            sink.fail("Error: the script does not load: " + e.getMessage(), e.getMessage());
        });
        return done;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** Where a run's end arrives: an empty 200 when it is over, or its failure. */
    private final class RunSink implements ResponseSink {
        private final String script;
        private final String version;
        private final String cron;
        private final long scheduledTime;
        private final CompletableFuture<Outcome> done;
        private final AtomicLong failures;

        RunSink(String script, String version, String cron, long scheduledTime, CompletableFuture<Outcome> done,
                AtomicLong failures) {
            this.script = script;
            this.version = version;
            this.scheduledTime = scheduledTime;
            this.cron = cron;
            this.done = done;
            this.failures = failures;
        }

        @Override
        public void start(int status, List<Map.Entry<String, String>> headers, long contentLength) {
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
            LOG.info("script {}: cron '{}' ran", script, cron);
            done.complete(Outcome.OK);
        }

        @Override
        public void fail(String message, String stack) {
            if (!done.isDone()) {
                failures.incrementAndGet();
                LOG.error("script {}: cron '{}' failed: {}", script, cron, stack);
                done.complete(Outcome.FAILED);
            }
        }

        @Override
        public void limitExceeded(String message, boolean isolateDiscarded) {
            if (!done.isDone()) {
                failures.incrementAndGet();
                LOG.warn("script {}: cron '{}' failed: {}", script, cron, message);
                done.complete(Outcome.FAILED);
            }
        }

        @Override
        public boolean clientGone() {
            return false;
        }

        @Override
        public boolean traced() {
            return telemetry.traced(script);
        }

        @Override
        public void completed(InvocationSummary summary) {
            telemetry.scheduled(script, version, cron, scheduledTime, summary);
        }
    }
}
