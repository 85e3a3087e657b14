package io.isoworker.isolate;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The pending timers of one isolate, in the order they are due. A timer is due its delay after the guest's clock of
 * the run of guest code that set it (that clock stands still while guest code runs), so timers set in one run fire in
 * the order of their delays, as on Workers, however long that run took. One wake-up on the shared timer thread
 * stands for the earliest timer; it only hands the firing to the isolate's owner thread. Owner thread only, except
 * the wake-up.
 *
 * @param <T> what a timer carries for its firing (the invocation it belongs to)
 */
final class GuestTimers<T> {

    /** Fires one due timer on the owner thread. */
    interface Firing<T> {
        void fire(int id, T tag);
    }

    private record Timer<T>(int id, long dueNanos, long sequence, T tag) {
    }

    private final ScheduledExecutorService clock;
    private final Executor owner;
    private final Firing<T> firing;
    private final PriorityQueue<Timer<T>> queue = new PriorityQueue<>((a, b) -> a.dueNanos != b.dueNanos
            ? Long.compare(a.dueNanos, b.dueNanos) : Long.compare(a.sequence, b.sequence));
    private final Map<Integer, Timer<T>> byId = new HashMap<>();
    private long sequence;
    private ScheduledFuture<?> wake;
    private long wakeAt;

    GuestTimers(ScheduledExecutorService clock, Executor owner, Firing<T> firing) {
        this.clock = clock;
        this.owner = owner;
        this.firing = firing;
    }

    /** Sets (or resets) timer {@code id}, due {@code delayMillis} after {@code guestNowNanos} (a nanoTime). */
    void set(int id, long guestNowNanos, long delayMillis, T tag) {
        Timer<T> previous = byId.remove(id);
        if (previous != null) {
            queue.remove(previous);
        }
        Timer<T> timer = new Timer<>(id, guestNowNanos + TimeUnit.MILLISECONDS.toNanos(delayMillis), sequence++, tag);
        byId.put(id, timer);
        queue.add(timer);
        scheduleWake();
    }

    void clear(int id) {
        Timer<T> timer = byId.remove(id);
        if (timer != null) {
            queue.remove(timer);
        }
    }

    /** Drops every pending timer. */
    void clearAll() {
        queue.clear();
        byId.clear();
        if (wake != null) {
            wake.cancel(false);
            wake = null;
        }
    }

    private void scheduleWake() {
        Timer<T> first = queue.peek();
        if (first == null || (wake != null && wakeAt <= first.dueNanos)) {
            return;
        }
        if (wake != null) {
            wake.cancel(false);
        }
        wakeAt = first.dueNanos;
        wake = clock.schedule(() -> {
            try {
                owner.execute(this::fireDue);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the owner thread is gone (shutdown): the timers die with it
            }
        }, Math.max(0, first.dueNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Fires, in order, each timer due by now; each in its own run of guest code. */
    private void fireDue() {
        wake = null;
        long now = System.nanoTime();
        Timer<T> first;
        while ((first = queue.peek()) != null && first.dueNanos <= now) {
            queue.poll();
            byId.remove(first.id);
            firing.fire(first.id, first.tag);
        }
        scheduleWake();
    }
}
