package io.isoworker.isolate;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces CPU and allocation budgets on guest code. Each thread that runs guest code owns a {@link Slot}; entering
 * the guest arms the slot with budgets, leaving disarms it. One daemon thread looks at the armed slots every few
 * milliseconds and, when a thread has used more CPU, or allocated more bytes, than its budget since it entered, calls
 * the slot's action with the {@link Limit} passed (the action cancels the context). The thread itself pays a few
 * volatile writes and one read each of its CPU clock and its allocation counter per entry.
 * <p>
 * Allocation is what the JVM counts for the thread ({@code ThreadMXBean.getThreadAllocatedBytes}): every object
 * the guest code makes, garbage or not. GraalJS community edition cannot tell the heap a context retains, so the
 * budget is on allocation, which bounds what one entry can retain.
 */
public final class Watchdog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** Which budget a thread went over. */
    public enum Limit { CPU, MEMORY }

    /**
     * A budget a thread went over, and the figure it reached.
     *
     * @param used nanoseconds of CPU for {@link Limit#CPU}, bytes allocated for {@link Limit#MEMORY}
     */
    public record Overrun(Limit limit, long used) {
    }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.ThreadMXBean allocations =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
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
        if (!allocations.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot count allocated bytes per thread; memory limits cannot be "
                    + "enforced");
        }
        if (!allocations.isThreadAllocatedMemoryEnabled()) {
            allocations.setThreadAllocatedMemoryEnabled(true);
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
                java.util.function.Consumer<Overrun> action = s.onExceeded;
                if (action == null || s.fired) {
                    continue;
                }
                long id = s.thread.threadId();
                Overrun over = null;
                long used = threads.getThreadCpuTime(id) - s.startCpu;
                if (used > s.budget) {
                    over = new Overrun(Limit.CPU, used);
                } else if (s.allocationBudget > 0) {
                    long allocated = allocations.getThreadAllocatedBytes(id) - s.startAllocated;
                    if (allocated > s.allocationBudget) {
                        over = new Overrun(Limit.MEMORY, allocated);
                    }
                }
                if (over != null && s.onExceeded == action && !s.fired) {
                    s.fired = true;
                    LOG.debug("thread {} went over its budget: {}", s.thread.getName(), over);
                    Overrun overrun = over;
                    Thread.ofPlatform().daemon().name("isoworker-cancel").start(() -> action.accept(overrun));
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
        private volatile long startAllocated;
        private volatile long allocationBudget;
        private volatile java.util.function.Consumer<Overrun> onExceeded;
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
            return arm(budgetNanos, 0, limit -> onExceeded.run());
        }

        /**
         * Starts charging the calling thread's CPU time and allocations. Nested arms keep the outer budgets.
         *
         * @param allocationBudgetBytes bytes the thread may allocate before {@code onExceeded}; 0 for no limit
         * @return false when this arm was nested inside another (the outer one still counts)
         */
        public boolean arm(long budgetNanos, long allocationBudgetBytes, java.util.function.Consumer<Overrun> onExceeded) {
            if (depth++ > 0) {
                return false;
            }
            this.fired = false;
            this.budget = budgetNanos;
            this.allocationBudget = allocationBudgetBytes;
            this.startCpu = threads.getCurrentThreadCpuTime();
            this.startAllocated = allocations.getCurrentThreadAllocatedBytes();
            this.onExceeded = onExceeded;
            return true;
        }

        public void disarm() {
            if (--depth == 0) {
                onExceeded = null;
            }
        }

        /** Bytes allocated since the outermost {@link #arm}. */
        public long allocatedBytes() {
            return allocations.getCurrentThreadAllocatedBytes() - startAllocated;
        }

        /** CPU time used since the outermost {@link #arm}, in nanoseconds. */
        public long usedNanos() {
            return threads.getCurrentThreadCpuTime() - startCpu;
        }
    }
}
