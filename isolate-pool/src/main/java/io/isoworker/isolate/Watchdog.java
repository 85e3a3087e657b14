package io.isoworker.isolate;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces CPU budgets on guest code. Each thread that runs guest code owns a {@link Slot}; entering the guest arms
 * the slot with a budget, leaving disarms it. One daemon thread looks at the armed slots every few milliseconds and,
 * when a thread has used more CPU than its budget since it entered, calls the slot's action (which cancels the
 * context). The thread itself only pays two volatile writes and one read of its CPU clock per entry.
 */
public final class Watchdog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final CopyOnWriteArrayList<Slot> slots = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Slot> slotOfThread = ThreadLocal.withInitial(this::newSlot);
    private final Thread ticker;
    private volatile boolean running = true;

    public Watchdog() {
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time; CPU limits cannot be enforced");
        }
        if (!threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
        ticker = Thread.ofPlatform().daemon().name("isoworker-watchdog").unstarted(this::run);
        ticker.setPriority(Thread.MAX_PRIORITY);
        ticker.start();
    }

    /** The calling thread's slot. */
    public Slot slot() {
        return slotOfThread.get();
    }

    private Slot newSlot() {
        Slot s = new Slot(Thread.currentThread());
        slots.add(s);
        return s;
    }

    private void run() {
        while (running) {
            try {
                TimeUnit.NANOSECONDS.sleep(TICK_NANOS);
            } catch (InterruptedException e) {
                return;
            }
            for (Slot s : slots) {
                if (!s.thread.isAlive()) {
                    slots.remove(s);
                    continue;
                }
                Runnable action = s.onExceeded;
                if (action == null || s.fired) {
                    continue;
                }
                long used = threads.getThreadCpuTime(s.thread.threadId()) - s.startCpu;
                if (used > s.budget && s.onExceeded == action && !s.fired) {
                    s.fired = true;
                    LOG.debug("thread {} used {} ms of CPU, over its budget of {} ms", s.thread.getName(),
                            used / 1_000_000, s.budget / 1_000_000);
                    Thread.ofPlatform().daemon().name("isoworker-cancel").start(action);
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        ticker.interrupt();
    }

    /** One thread's budget. Armed and disarmed only by its own thread. */
    public final class Slot {
        private final Thread thread;
        private volatile long startCpu;
        private volatile long budget;
        private volatile Runnable onExceeded;
        private volatile boolean fired;
        private int depth;

        private Slot(Thread thread) {
            this.thread = thread;
        }

        /**
         * Starts charging the calling thread's CPU time. Nested arms keep the outer budget.
         *
         * @return false when this arm was nested inside another (the outer one still counts)
         */
        public boolean arm(long budgetNanos, Runnable onExceeded) {
            if (depth++ > 0) {
                return false;
            }
            this.fired = false;
            this.budget = budgetNanos;
            this.startCpu = threads.getCurrentThreadCpuTime();
            this.onExceeded = onExceeded;
            return true;
        }

        public void disarm() {
            if (--depth == 0) {
                onExceeded = null;
            }
        }

        /** CPU time used since the outermost {@link #arm}, in nanoseconds. */
        public long usedNanos() {
            return threads.getCurrentThreadCpuTime() - startCpu;
        }
    }
}
