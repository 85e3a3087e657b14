package io.isoworker.isolate;

import java.util.ArrayList;
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

import io.isoworker.api.host.GuestEntry;
import io.isoworker.api.host.IsolateServices;
import io.isoworker.api.host.ResponseBridge;
import io.isoworker.api.http.HttpRequestHead;
import io.isoworker.api.http.InvocationSummary;
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
    private final Value dispatchScheduled;
    private final Watchdog watchdog;
    private final long requestBudgetNanos;
    private final Executor owner;
    private final ScheduledExecutorService timerClock;
    private final Value fireTimer;
    private final GuestTimers<Invocation> timers;
    private int background;
    private final List<TrackedSink> inFlight = new ArrayList<>();
    /** Requests whose response finished while waitUntil work was pending: their fetches end with that work. */
    private final List<HttpRequestHead> finishedDuringBackground = new ArrayList<>();
    /** The limit that cancelled this isolate, or null. */
    private final java.util.concurrent.atomic.AtomicReference<Watchdog.Limit> exceeded =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final long memoryBudgetBytes;
    private final long responseTimeoutMillis;
    private final long waitUntilMillis;
    private boolean retired;
    /** Written on the owner thread; read by the pool on other threads to pick a thread for a request. */
    private volatile boolean closed;
    /** Bytes guest code allocated in this isolate since it loaded; the heap guard recycles the largest first. */
    private volatile long allocatedBytes;
    /** The invocation whose guest code runs now, or null between entries. */
    private Invocation current;
    /** When the running entry began: the guest's clock stands still at that time until it returns. */
    private long entryStartNanos;
    /** No invocation has begun yet: the first one is the isolate's cold start. */
    private boolean fresh = true;
    /**
     * Invocations that finished during the running entry: their summaries go out when it returns, once the CPU
     * time of that entry is charged.
     */
    private final List<TrackedSink> completing = new ArrayList<>(2);

    Isolate(WorkerBundle bundle, BlankContext ctx, Value worker, Watchdog watchdog, long requestBudgetNanos,
            long memoryBudgetBytes, long responseTimeoutMillis, long waitUntilMillis, Executor owner,
            ScheduledExecutorService timerClock) {
        this.waitUntilMillis = waitUntilMillis;
        this.memoryBudgetBytes = memoryBudgetBytes;
        this.responseTimeoutMillis = responseTimeoutMillis;
        this.bundle = bundle;
        this.ctx = ctx;
        this.worker = worker;
        this.dispatchFetch = ctx.internals.getMember("dispatchFetch");
        this.dispatchScheduled = ctx.internals.getMember("dispatchScheduled");
        this.fireTimer = ctx.internals.getMember("fireTimer");
        this.watchdog = watchdog;
        this.requestBudgetNanos = requestBudgetNanos;
        this.owner = owner;
        this.timerClock = timerClock;
        this.timers = new GuestTimers<>(timerClock, this::onOwner,
                (id, invocation) -> enter(invocation, true, () -> fireTimer.executeVoid(id)));
        ctx.host.bind(new Services());
    }

    public WorkerBundle bundle() {
        return bundle;
    }

    /** Bytes guest code allocated in this isolate since it loaded. Any thread. */
    long allocatedBytes() {
        return allocatedBytes;
    }

    /** False once the isolate was cancelled or closed; the pool then loads a fresh one. */
    public boolean usable() {
        return !closed;
    }

    /** Hands a request to the worker's fetch handler; the response goes to {@code sink}. Owner thread only. */
    public void dispatchFetch(HttpRequestHead request, ResponseSink sink) {
        Invocation invocation = begin(request, sink, responseTimeoutMillis);
        if (invocation != null) {
            ResponseBridge bridge = new ResponseBridge(invocation.response, invocation.bodyEntry);
            enter(invocation, true, () -> dispatchFetch.executeVoid(worker, request, bridge));
        }
    }

    /**
     * Starts tracking a piece of work whose end goes to {@code sink}: in flight until it ends, with its wall-clock
     * limit armed ({@code timeoutMillis}). Null when the isolate is closed (then {@code sink} has been told).
     */
    private Invocation begin(HttpRequestHead head, ResponseSink sink, long timeoutMillis) {
        TrackedSink tracked = new TrackedSink(sink, head, timeoutMillis);
        Invocation invocation = new Invocation(head, tracked, sink.traced(), fresh);
        fresh = false;
        tracked.invocation = invocation;
        if (closed) {
            tracked.fail("Error: the isolate was closed", "Error: the isolate was closed");
            return null;
        }
        inFlight.add(tracked);
        tracked.deadline = timerClock.schedule(() -> onOwner(tracked::expire), timeoutMillis, TimeUnit.MILLISECONDS);
        return invocation;
    }

    /**
     * Runs the worker's scheduled handler for a cron trigger ({@code cron} as written, due at {@code scheduledTime}
     * ms since the epoch), under the same CPU and memory limits as a request; a run that has not settled within
     * {@code timeoutMillis} fails. {@code sink} gets an empty {@code 200} when the run is over, or the failure. Owner
     * thread only.
     */
    public void dispatchScheduled(String cron, long scheduledTime, long timeoutMillis, ResponseSink sink) {
        // The run's stand-in for a request, for the host's per-request bookkeeping (subrequests, open fetches); the
        // guest never sees it.
        Invocation invocation = begin(new HttpRequestHead("GET", "https://scheduled.invalid/", List.of(), null), sink,
                timeoutMillis);
        if (invocation != null) {
            ResponseBridge bridge = new ResponseBridge(invocation.response, invocation.bodyEntry);
            enter(invocation, true, () -> dispatchScheduled.executeVoid(worker, cron, (double) scheduledTime,
                    bridge));
        }
    }

    /**
     * Runs {@code callback} in the guest for {@code invocation}, with the allocation budget of one entry. When
     * {@code charged}, the watchdog is armed with what is left of the invocation's CPU budget and the CPU used is
     * added to it; otherwise (moving a streamed body along) the entry gets the whole budget for itself. Owner thread
     * only.
     */
    private void enter(Invocation invocation, boolean charged, Runnable callback) {
        if (closed || invocation.cancelled) {
            return;
        }
        Watchdog.Slot slot = watchdog.slot();
        long budget = charged ? Math.max(0, requestBudgetNanos - invocation.cpuNanos) : requestBudgetNanos;
        boolean outermost = slot.arm(budget, memoryBudgetBytes, overrun -> cancelForLimit(overrun, invocation));
        Invocation outer = current;
        current = invocation;
        if (outermost) {
            entryStartNanos = System.nanoTime();
            ctx.host.advanceClock();
        }
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
            current = outer;
            if (outermost) {
                if (charged) {
                    invocation.cpuNanos += slot.usedNanos();
                }
                allocatedBytes += slot.allocatedBytes();
            }
            slot.disarm();
            if (outermost && !completing.isEmpty()) {
                List<TrackedSink> done = List.copyOf(completing);
                completing.clear();
                for (TrackedSink t : done) {
                    t.summarize();
                }
            }
        }
    }

    private void cancelForLimit(Watchdog.Overrun overrun, Invocation invocation) {
        if (exceeded.compareAndSet(null, overrun.limit())) {
            if (overrun.limit() == Watchdog.Limit.CPU) {
                LOG.warn("script {} (version {}) exceeded its CPU time limit of {} ms (used {} ms by {}): cancelling "
                        + "its isolate", bundle.scriptName(), bundle.versionId(), requestBudgetNanos / 1_000_000,
                        (invocation.cpuNanos + overrun.used()) / 1_000_000, invocation.describe());
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
        timers.clearAll();
    }

    /** Runs on the owner thread whatever thread it is called from. */
    private void onOwner(Runnable task) {
        try {
            owner.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("script {}: owner thread gone, dropping a callback", bundle.scriptName());
        }
    }

    /** The invocation whose code runs now; one with nothing charged yet when none does. Owner thread only. */
    private Invocation currentInvocation() {
        return current != null ? current : new Invocation(null, null, false, false);
    }

    /**
     * One incoming request and the work it started (continuations, timers, {@code waitUntil} work): what CPU time is
     * charged to. Guest code that runs for it, whatever starts that run, counts towards its CPU budget.
     */
    private final class Invocation {
        final HttpRequestHead request;
        final TrackedSink response;
        /** Re-enters the guest for this invocation, from any thread. */
        final GuestEntry entry = callback -> onOwner(() -> enter(this, true, callback));
        /** The same for moving a streamed body along: each such entry gets the CPU budget for itself. */
        final GuestEntry bodyEntry = callback -> onOwner(() -> enter(this, false, callback));
        /** CPU time charged so far. Owner thread only (the watchdog's cancel thread reads it for its log line). */
        long cpuNanos;
        /** Its waitUntil work was abandoned after its response: whatever it still has pending is dropped. */
        boolean cancelled;
        final long startNanos = System.nanoTime();
        final long startMillis = System.currentTimeMillis();
        final boolean coldStart;
        /** Console lines and exceptions, collected only when the sink asked for a trace; else null. */
        final List<InvocationSummary.ConsoleLine> logs;
        final List<InvocationSummary.UncaughtException> exceptions;
        int subrequests;
        int kvReads;
        int kvWrites;
        int kvDeletes;
        int kvLists;

        Invocation(HttpRequestHead request, TrackedSink response, boolean traced, boolean coldStart) {
            this.request = request;
            this.response = response;
            this.coldStart = coldStart;
            this.logs = traced ? new ArrayList<>() : null;
            this.exceptions = traced ? new ArrayList<>(1) : null;
        }

        InvocationSummary.Usage usage() {
            return (subrequests | kvReads | kvWrites | kvDeletes | kvLists) == 0 ? InvocationSummary.Usage.NONE
                    : new InvocationSummary.Usage(subrequests, kvReads, kvWrites, kvDeletes, kvLists);
        }

        String describe() {
            return request == null ? "background work" : request.method() + " " + request.url();
        }
    }

    /** The services the context's host objects use; every method runs on the owner thread. */
    private final class Services implements IsolateServices {
        @Override
        public GuestEntry entry() {
            return currentInvocation().entry;
        }

        @Override
        public GuestEntry bodyEntry() {
            return currentInvocation().bodyEntry;
        }

        @Override
        public void setTimer(int id, long delayMillis) {
            if (closed) {
                return;
            }
            timers.set(id, entryStartNanos, delayMillis, currentInvocation());
        }

        @Override
        public void clearTimer(int id) {
            timers.clear(id);
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

        @Override
        public long waitUntilLimitMillis() {
            return waitUntilMillis;
        }

        @Override
        public void consoleLine(String level, String message) {
            Invocation invocation = current;
            if (invocation != null && invocation.logs != null) {
                invocation.logs.add(new InvocationSummary.ConsoleLine(level, message, System.currentTimeMillis()));
            }
        }

        @Override
        public void used(Use use) {
            Invocation invocation = current;
            if (invocation == null) {
                return;
            }
            switch (use) {
                case SUBREQUEST -> invocation.subrequests++;
                case KV_READ -> invocation.kvReads++;
                case KV_WRITE -> invocation.kvWrites++;
                case KV_DELETE -> invocation.kvDeletes++;
                case KV_LIST -> invocation.kvLists++;
            }
        }

        @Override
        public void backgroundAbandoned() {
            Invocation invocation = current;
            if (invocation == null || invocation.request == null || !invocation.response.done) {
                return; // the response still streams: its work goes on under the CPU limit
            }
            LOG.warn("script {} (version {}): waitUntil work of {} ran past its limit of {} ms; cancelling what it has "
                    + "pending", bundle.scriptName(), bundle.versionId(), invocation.describe(), waitUntilMillis);
            invocation.cancelled = true;
            ctx.host.fetch().requestFinished(invocation.request);
        }
    }

    private static String limitOutcome(String message) {
        return message.contains("CPU") ? InvocationSummary.EXCEEDED_CPU
                : message.contains("memory") ? InvocationSummary.EXCEEDED_MEMORY : InvocationSummary.CANCELED;
    }

    int inFlightCount() {
        return inFlight.size();
    }

    /**
     * Removes a request from the in-flight list when its response is finished, and gives the sink the invocation's
     * summary.
     */
    private final class TrackedSink implements ResponseSink {
        private final ResponseSink sink;
        private final HttpRequestHead request;
        private boolean done;
        private boolean started;
        ScheduledFuture<?> deadline;
        private final long timeoutMillis;
        Invocation invocation;
        /** How the invocation ended, once it has; its summary is then due. */
        private String outcome;
        private long endNanos;

        TrackedSink(ResponseSink sink, HttpRequestHead request, long timeoutMillis) {
            this.sink = sink;
            this.request = request;
            this.timeoutMillis = timeoutMillis;
        }

        /** The response headers were not sent in time: the client gets a 503; the isolate goes on. */
        void expire() {
            if (done || started) {
                return;
            }
            LOG.warn("script {} (version {}): no response within its wall-clock limit of {} ms", bundle.scriptName(),
                    bundle.versionId(), timeoutMillis);
            limitExceeded("Exceeded wall-clock time limit", false);
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
                sink.limitExceeded(reason, true);
                ended(limitOutcome(reason));
            } else {
                sink.fail("Error: " + reason, "Error: " + reason);
                thrown("Error: " + reason);
            }
        }

        private void thrown(String message) {
            if (invocation.exceptions != null) {
                int colon = message.indexOf(": ");
                boolean named = colon > 0 && message.substring(0, colon).matches("[A-Za-z_$][\\w$]*");
                invocation.exceptions.add(new InvocationSummary.UncaughtException(
                        named ? message.substring(0, colon) : "Error", named ? message.substring(colon + 2) : message,
                        System.currentTimeMillis()));
            }
            ended(InvocationSummary.EXCEPTION);
        }

        /**
         * The invocation ended with {@code how}: its summary goes to the sink now, or, inside an entry into the
         * guest, when that entry returns (so that its CPU time counts).
         */
        private void ended(String how) {
            if (outcome != null || invocation == null) {
                return;
            }
            outcome = how;
            endNanos = System.nanoTime();
            if (current != null) {
                completing.add(this);
            } else {
                summarize();
            }
        }

        void summarize() {
            Invocation i = invocation;
            sink.completed(new InvocationSummary(i.startMillis, i.cpuNanos, endNanos - i.startNanos, outcome,
                    i.coldStart, i.usage(), i.logs == null ? List.of() : i.logs,
                    i.exceptions == null ? List.of() : i.exceptions));
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
            ended(sink.clientGone() ? InvocationSummary.CANCELED : InvocationSummary.OK);
        }

        @Override
        public void fail(String message, String stack) {
            finish();
            sink.fail(message, bundle.mapStack(stack));
            thrown(message);
        }

        @Override
        public void limitExceeded(String message, boolean isolateDiscarded) {
            finish();
            sink.limitExceeded(message, isolateDiscarded);
            ended(limitOutcome(message));
        }

        @Override
        public boolean clientGone() {
            return sink.clientGone();
        }
    }
}
