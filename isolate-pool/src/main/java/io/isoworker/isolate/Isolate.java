package io.isoworker.isolate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.api.host.IsolateServices;
import io.isoworker.api.host.ResponseBridge;
import io.isoworker.api.http.HttpRequestHead;
import io.isoworker.api.http.ResponseSink;

/**
 * One version of one worker loaded in one context, used by one owner thread (a guest thread). Module-level state
 * lives as long as the isolate, across requests, as on Workers.
 *
 * <p>Every method except {@link #retire} must be called on the owner thread. Entering guest code arms the
 * watchdog; a request that runs over its CPU budget cancels the whole context, and every request still in flight on
 * it gets a 503.
 *
 * <p>Timers, I/O completions and {@code waitUntil} work re-enter the guest on the owner thread through the
 * isolate's {@link IsolateServices}. A retired isolate closes once its in-flight requests and background work are
 * done; its pending timers are then dropped.
 */
public final class Isolate {

    private static final Logger LOG = LoggerFactory.getLogger(Isolate.class);

    private final WorkerBundle bundle;
    private final BlankContext ctx;
    private final Value worker;
    private final Value dispatchFetch;
    private final Watchdog watchdog;
    private final long requestBudgetNanos;
    private final Executor owner;
    private final ScheduledExecutorService timerClock;
    private final Value fireTimer;
    private final Map<Integer, ScheduledFuture<?>> timers = new HashMap<>();
    private int background;
    private final List<TrackedSink> inFlight = new ArrayList<>();
    /** Requests whose response finished while waitUntil work was pending: their fetches end with that work. */
    private final List<HttpRequestHead> finishedDuringBackground = new ArrayList<>();
    /** The limit that cancelled this isolate, or null. */
    private final java.util.concurrent.atomic.AtomicReference<Watchdog.Limit> exceeded =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final long memoryBudgetBytes;
    private final long responseTimeoutMillis;
    private boolean retired;
    /** Written on the owner thread; read by the pool on other threads to pick a thread for a request. */
    private volatile boolean closed;

    Isolate(WorkerBundle bundle, BlankContext ctx, Value worker, Watchdog watchdog, long requestBudgetNanos,
            long memoryBudgetBytes, long responseTimeoutMillis, Executor owner, ScheduledExecutorService timerClock) {
        this.memoryBudgetBytes = memoryBudgetBytes;
        this.responseTimeoutMillis = responseTimeoutMillis;
        this.bundle = bundle;
        this.ctx = ctx;
        this.worker = worker;
        this.dispatchFetch = ctx.internals.getMember("dispatchFetch");
        this.fireTimer = ctx.internals.getMember("fireTimer");
        this.watchdog = watchdog;
        this.requestBudgetNanos = requestBudgetNanos;
        this.owner = owner;
        this.timerClock = timerClock;
        ctx.host.bind(new Services());
    }

    public WorkerBundle bundle() {
        return bundle;
    }

    /** False once the isolate was cancelled or closed; the pool then loads a fresh one. */
    public boolean usable() {
        return !closed;
    }

    /** Hands a request to the worker's fetch handler; the response goes to {@code sink}. Owner thread only. */
    public void dispatchFetch(HttpRequestHead request, ResponseSink sink) {
        TrackedSink tracked = new TrackedSink(sink, request);
        if (closed) {
            tracked.fail("Error: the isolate was closed", "Error: the isolate was closed");
            return;
        }
        inFlight.add(tracked);
        tracked.deadline = timerClock.schedule(() -> onOwner(tracked::expire), responseTimeoutMillis,
                TimeUnit.MILLISECONDS);
        ResponseBridge bridge = new ResponseBridge(tracked, callback -> onOwner(() -> enter(callback)));
        enter(() -> dispatchFetch.executeVoid(worker, request, bridge));
    }

    /** Runs {@code callback} in the guest under the request CPU budget. Owner thread only. */
    void enter(Runnable callback) {
        if (closed) {
            return;
        }
        Watchdog.Slot slot = watchdog.slot();
        slot.arm(requestBudgetNanos, memoryBudgetBytes, this::cancelForLimit);
        ctx.host.advanceClock();
        try {
            callback.run();
        } catch (PolyglotException e) {
            if (e.isCancelled() || exceeded.get() != null) {
                die(exceededMessage());
            } else {
                LOG.error("script {}: internal error in the isolate", bundle.scriptName(), e);
                die("Internal error");
            }
        } catch (IllegalStateException e) {
            // the context was closed under us (cancelled between two entries)
            die(exceeded.get() != null ? exceededMessage() : "Internal error");
        } finally {
            slot.disarm();
        }
    }

    private void cancelForLimit(Watchdog.Overrun overrun) {
        if (exceeded.compareAndSet(null, overrun.limit())) {
            if (overrun.limit() == Watchdog.Limit.CPU) {
                LOG.warn("script {} (version {}) exceeded its CPU time limit of {} ms (used {} ms): cancelling its "
                        + "isolate", bundle.scriptName(), bundle.versionId(), requestBudgetNanos / 1_000_000,
                        overrun.used() / 1_000_000);
            } else {
                LOG.warn("script {} (version {}) exceeded its memory limit of {} MiB allocated in one entry into the "
                        + "guest (allocated {} MiB): cancelling its isolate", bundle.scriptName(), bundle.versionId(),
                        memoryBudgetBytes / (1024 * 1024), overrun.used() / (1024 * 1024));
            }
            ctx.closeQuietly();
        }
    }

    private String exceededMessage() {
        return exceeded.get() == Watchdog.Limit.MEMORY ? "Exceeded memory limit" : "Exceeded CPU time limit";
    }

    private void die(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        cancelTimers();
        ctx.host.fetch().cancelAll();
        ctx.closeQuietly();
        List<TrackedSink> victims = new ArrayList<>(inFlight);
        inFlight.clear();
        for (TrackedSink s : victims) {
            s.limitOrFail(reason);
        }
    }

    /** Stops taking requests and closes once the in-flight ones are done. Any thread. */
    void retire() {
        try {
            owner.execute(() -> {
                retired = true;
                closeIfIdle();
            });
        } catch (RejectedExecutionException e) {
            // the owner thread is gone (server shutdown): nothing runs on this context any more
            close();
        }
    }

    private void closeIfIdle() {
        if (retired && inFlight.isEmpty() && background == 0) {
            close();
        }
    }

    private void close() {
        if (!closed) {
            closed = true;
            cancelTimers();
            ctx.host.fetch().cancelAll();
            ctx.closeQuietly();
        }
    }

    private void cancelTimers() {
        for (ScheduledFuture<?> t : timers.values()) {
            t.cancel(false);
        }
        timers.clear();
    }

    /** Runs on the owner thread whatever thread it is called from. */
    private void onOwner(Runnable task) {
        try {
            owner.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("script {}: owner thread gone, dropping a callback", bundle.scriptName());
        }
    }

    /** The services the context's host objects use; every method but {@link #reenter} runs on the owner thread. */
    private final class Services implements IsolateServices {
        @Override
        public void reenter(Runnable callback) {
            onOwner(() -> enter(callback));
        }

        @Override
        public void setTimer(int id, long delayMillis) {
            if (closed) {
                return;
            }
            ScheduledFuture<?> previous = timers.put(id, timerClock.schedule(() -> onOwner(() -> {
                if (timers.remove(id) != null) {
                    enter(() -> fireTimer.executeVoid(id));
                }
            }), delayMillis, TimeUnit.MILLISECONDS));
            if (previous != null) {
                previous.cancel(false);
            }
        }

        @Override
        public void clearTimer(int id) {
            ScheduledFuture<?> t = timers.remove(id);
            if (t != null) {
                t.cancel(false);
            }
        }

        @Override
        public void backgroundStarted() {
            background++;
        }

        @Override
        public void backgroundEnded() {
            if (background > 0) {
                background--;
            }
            if (background == 0) {
                for (HttpRequestHead head : finishedDuringBackground) {
                    ctx.host.fetch().requestFinished(head);
                }
                finishedDuringBackground.clear();
            }
            closeIfIdle();
        }
    }

    int inFlightCount() {
        return inFlight.size();
    }

    /** Removes a request from the in-flight list when its response is finished. */
    private final class TrackedSink implements ResponseSink {
        private final ResponseSink sink;
        private final HttpRequestHead request;
        private boolean done;
        private boolean started;
        ScheduledFuture<?> deadline;

        TrackedSink(ResponseSink sink, HttpRequestHead request) {
            this.sink = sink;
            this.request = request;
        }

        /** The response headers were not sent in time: the client gets a 503; the isolate goes on. */
        void expire() {
            if (done || started) {
                return;
            }
            LOG.warn("script {} (version {}): no response within its wall-clock limit of {} ms", bundle.scriptName(),
                    bundle.versionId(), responseTimeoutMillis);
            limitExceeded("Exceeded wall-clock time limit");
        }

        private void finish() {
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (!done) {
                done = true;
                inFlight.remove(this);
                if (background == 0) {
                    ctx.host.fetch().requestFinished(request);
                } else {
                    finishedDuringBackground.add(request);
                }
                closeIfIdle();
            }
        }

        void limitOrFail(String reason) {
            done = true;
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (reason.startsWith("Exceeded")) {
                sink.limitExceeded(reason);
            } else {
                sink.fail("Error: " + reason, "Error: " + reason);
            }
        }

        @Override
        public void start(int status, List<Map.Entry<String, String>> headers, long contentLength) {
            started = true;
            if (deadline != null) {
                deadline.cancel(false);
            }
            sink.start(status, headers, contentLength);
        }

        @Override
        public boolean write(byte[] chunk) {
            return sink.write(chunk);
        }

        @Override
        public void onDrain(Runnable next) {
            sink.onDrain(next);
        }

        @Override
        public void end() {
            finish();
            sink.end();
        }

        @Override
        public void fail(String message, String stack) {
            finish();
            sink.fail(message, stack);
        }

        @Override
        public void limitExceeded(String message) {
            finish();
            sink.limitExceeded(message);
        }

        @Override
        public boolean clientGone() {
            return sink.clientGone();
        }
    }
}
