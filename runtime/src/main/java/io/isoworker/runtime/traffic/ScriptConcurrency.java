package io.isoworker.runtime.traffic;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many requests each script has in flight on this server (all event loops together), and the cap on it: a
 * request over the cap is refused at once with a 503, never queued.
 */
public final class ScriptConcurrency {

    private final int max;
    private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    /** @param max the most requests one script may have in flight; 0 for no cap */
    public ScriptConcurrency(int max) {
        this.max = max;
    }

    public int max() {
        return max;
    }

    /** Counts a request of {@code script} in, unless the script is at its cap; false then. */
    boolean tryAcquire(String script) {
        AtomicInteger n = inFlight.computeIfAbsent(script, k -> new AtomicInteger());
        while (true) {
            int now = n.get();
            if (max > 0 && now >= max) {
                return false;
            }
            if (n.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Counts a request of {@code script} out. */
    void release(String script) {
        AtomicInteger n = inFlight.get(script);
        if (n != null) {
            n.decrementAndGet();
        }
    }

    /** Requests of {@code script} in flight now. */
    public int inFlight(String script) {
        AtomicInteger n = inFlight.get(script);
        return n == null ? 0 : n.get();
    }
}
