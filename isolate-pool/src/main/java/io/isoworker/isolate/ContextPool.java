package io.isoworker.isolate;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blank contexts made ahead of time, so that a cold start only evaluates the worker itself. A background thread
 * tops the pool up whenever a context is taken. When the pool is empty, {@link #take} builds one on the spot.
 */
final class ContextPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContextPool.class);

    private final IsolateEngine engine;
    private final int target;
    private final LinkedBlockingQueue<BlankContext> ready = new LinkedBlockingQueue<>();
    private final AtomicLong misses = new AtomicLong();
    private final Thread filler;
    private volatile boolean running = true;

    ContextPool(IsolateEngine engine, int target) {
        this.engine = engine;
        this.target = target;
        this.filler = Thread.ofPlatform().daemon().name("isoworker-prewarm").unstarted(this::fill);
        if (target > 0) {
            filler.start();
        }
    }

    /** A blank context: pre-warmed if one is ready ({@link BlankContext#prewarmed} set), otherwise built now. */
    BlankContext take() {
        BlankContext c = ready.poll();
        if (c == null) {
            misses.incrementAndGet();
            c = engine.newBlankContext();
        } else {
            c.prewarmed = true;
        }
        LockSupport.unpark(filler);
        return c;
    }

    /** Waits until the pool holds its target count (at start-up, and in benchmarks between cold starts). */
    boolean awaitFull(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (ready.size() < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.unpark(filler);
            Thread.sleep(1);
        }
        return true;
    }

    int size() {
        return ready.size();
    }

    /** How many times {@link #take} found the pool empty. */
    long misses() {
        return misses.get();
    }

    private void fill() {
        while (running) {
            if (ready.size() >= target) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                continue;
            }
            try {
                ready.add(engine.newBlankContext());
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.error("could not pre-warm a context", e);
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(filler);
        try {
            filler.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        BlankContext c;
        while ((c = ready.poll()) != null) {
            c.closeQuietly();
        }
    }
}
