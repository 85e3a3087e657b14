package io.isoworker.isolate;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntPredicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that run guest code, apart from the I/O event loops, so that a script burning CPU never delays another
 * tenant's network I/O. Each thread is a {@link Lane}: a queue of tasks run one at a time. An isolate belongs to one
 * lane and runs only there, so a context is only ever used by one thread.
 *
 * <p>A script version may have tasks on at most {@code lanesPerScript} lanes at once. Its requests go, in this order of
 * preference: to an idle lane where it is loaded; to a lane where it is loaded that is running its own work with
 * nothing queued behind (so back-to-back requests meet the same isolate and its module state); while it is under
 * its share, to the least loaded lane (a cold start where it is not loaded); else to the least loaded lane it
 * already uses. So a script that burns its CPU budget on every request queues behind itself
 * on its share of the lanes, and the other lanes stay free for the other tenants. With more lanes than cores the
 * operating system's scheduler shares the cores between busy lanes, so a tenant on a free lane is slowed, not
 * stopped, even when every core is busy.
 */
final class GuestThreads implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GuestThreads.class);

    private final Lane[] lanes;
    private final int lanesPerScript;
    /** Per script version: tasks queued or running on each lane. */
    private final ConcurrentHashMap<String, AtomicIntegerArray> useByVersion = new ConcurrentHashMap<>();

    GuestThreads(int threads, int lanesPerScript) {
        if (threads < 1 || lanesPerScript < 1) {
            throw new IllegalArgumentException("threads and lanesPerScript must be >= 1");
        }
        this.lanes = new Lane[threads];
        this.lanesPerScript = Math.min(lanesPerScript, threads);
        for (int i = 0; i < threads; i++) {
            lanes[i] = new Lane(i);
        }
    }

    /** What {@code versionId} has queued or running on each lane. */
    AtomicIntegerArray use(String versionId) {
        return useByVersion.computeIfAbsent(versionId, v -> new AtomicIntegerArray(lanes.length));
    }

    /** Forgets a version that no longer takes requests (its last tasks still finish). */
    void forget(String versionId) {
        useByVersion.remove(versionId);
    }

    /**
     * The lane for a new request of a version.
     *
     * @param use    the version's {@link #use}
     * @param loaded whether the version has a usable isolate on lane i
     */
    Lane choose(AtomicIntegerArray use, IntPredicate loaded) {
        int busy = 0;
        for (int i = 0; i < lanes.length; i++) {
            if (use.get(i) > 0) {
                busy++;
            }
        }
        for (int i = 0; i < lanes.length; i++) {
            if (lanes[i].pending.get() == 0 && loaded.test(i)) {
                return lanes[i];
            }
        }
        for (int i = 0; i < lanes.length; i++) {
            if (lanes[i].running == use && lanes[i].pending.get() == 1 && loaded.test(i)) {
                return lanes[i];
            }
        }
        Lane best = leastLoaded(busy < lanesPerScript ? null : use, loaded);
        // The version's own work may have finished meanwhile: then any lane will do.
        return best != null ? best : leastLoaded(null, loaded);
    }

    /** The least loaded lane, preferring one where the version is loaded; only lanes it uses when {@code within}. */
    private Lane leastLoaded(AtomicIntegerArray within, IntPredicate loaded) {
        Lane best = null;
        int bestLoad = Integer.MAX_VALUE;
        boolean bestLoaded = false;
        for (int i = 0; i < lanes.length; i++) {
            if (within != null && within.get(i) == 0) {
                continue;
            }
            int load = lanes[i].pending.get();
            if (load > bestLoad || (load == bestLoad && bestLoaded)) {
                continue;
            }
            boolean here = loaded.test(i);
            if (load < bestLoad || here) {
                best = lanes[i];
                bestLoad = load;
                bestLoaded = here;
            }
        }
        return best;
    }

    @Override
    public void close() {
        for (Lane lane : lanes) {
            lane.closed = true;
            lane.thread.interrupt();
        }
    }

    /** One thread that runs guest tasks in order. */
    final class Lane {
        final int index;
        private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
        /** Tasks queued or running. */
        private final AtomicInteger pending = new AtomicInteger();
        private final Thread thread;
        /** The {@link #use} of the version whose task is running, or null. */
        private volatile AtomicIntegerArray running;
        private volatile boolean closed;

        private Lane(int index) {
            this.index = index;
            this.thread = Thread.ofPlatform().daemon().name("isoworker-guest-" + index).start(this::run);
        }

        /**
         * Runs {@code task} on this lane, counted in {@code use} (a version's {@link #use}) until it has run.
         *
         * @throws RejectedExecutionException once the lanes are closed
         */
        void execute(AtomicIntegerArray use, Runnable task) {
            if (closed) {
                throw new RejectedExecutionException("the guest threads are closed");
            }
            pending.incrementAndGet();
            use.incrementAndGet(index);
            queue.add(new Task(use, task));
        }

        private void run() {
            try {
                while (true) {
                    Task task = queue.take();
                    running = task.use;
                    try {
                        task.body.run();
                    } catch (RuntimeException | StackOverflowError e) {
                        LOG.error("guest thread {}: a task failed", index, e);
                    } finally {
                        task.use.decrementAndGet(index);
                        pending.decrementAndGet();
                        running = null;
                    }
                }
            } catch (InterruptedException e) {
                closed = true;
            }
        }
    }

    private record Task(AtomicIntegerArray use, Runnable body) {
    }
}
