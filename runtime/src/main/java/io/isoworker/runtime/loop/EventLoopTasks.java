package io.isoworker.runtime.loop;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.Context;

/**
 * Runs tasks on one Vert.x event loop, in the order they were given, from any thread. Guest code runs on guest
 * threads, and everything it does to a Vert.x request, response or client goes through here. Tasks given while a
 * batch is waiting join it, so a response's head, body and end written in one run of guest code cost one hop.
 */
public final class EventLoopTasks {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoopTasks.class);

    private final Context context;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public EventLoopTasks(Context context) {
        this.context = context;
    }

    /** Queues {@code task} for the event loop. */
    public void execute(Runnable task) {
        queue.add(task);
        if (scheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> runQueued());
        }
    }

    private void runQueued() {
        scheduled.set(false);
        Runnable task;
        while ((task = queue.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("a task on the event loop failed", e);
            }
        }
    }
}
