package io.isoworker.runtime.traffic;

import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Script versions that keep running over their CPU or memory limit are refused for a while. Each overrun discards an isolate,
 * and what it burned or allocated on its way there costs the other tenants too (the collector's pauses are shared):
 * after {@value #STRIKES} overruns in a row, with no request of the script answered normally in between, its
 * requests get a 503 at once for a cool-off of 1 s, doubling with each further overrun up to 30 s. A request that is
 * answered normally ends it, and so does a new upload (it is a new version). A script that works never meets it.
 */
public final class LimitCooloff {

    private static final Logger LOG = LoggerFactory.getLogger(LimitCooloff.class);
    static final int STRIKES = 3;
    private static final long FIRST_MILLIS = 1000;
    private static final long MAX_MILLIS = 30_000;

    private record State(int strikes, long penaltyMillis, long untilNanos) {
    }

    /** By version id. */
    private final ConcurrentHashMap<String, State> byVersion = new ConcurrentHashMap<>();

    /** One for the whole server: every event loop's handler shares it. */
    public LimitCooloff() {
    }

    /** Milliseconds left of the cool-off of version {@code version}, 0 when it has none. */
    long remainingMillis(String version) {
        if (byVersion.isEmpty()) {
            return 0;
        }
        State s = byVersion.get(version);
        if (s == null || s.untilNanos == 0) {
            return 0;
        }
        long left = s.untilNanos - System.nanoTime();
        return left <= 0 ? 0 : Math.max(1, left / 1_000_000);
    }

    /** A request of {@code script}'s {@code version} ran over its CPU or memory limit (its isolate was discarded). */
    void overrun(String script, String version) {
        State s = byVersion.compute(version, (k, old) -> {
            int strikes = old == null ? 1 : old.strikes + 1;
            if (strikes < STRIKES) {
                return new State(strikes, 0, 0);
            }
            long penalty = old == null || old.penaltyMillis == 0 ? FIRST_MILLIS
                    : Math.min(MAX_MILLIS, old.penaltyMillis * 2);
            return new State(strikes, penalty, System.nanoTime() + penalty * 1_000_000);
        });
        if (s.penaltyMillis > 0) {
            LOG.warn("script {}: {} requests in a row ran over the CPU or memory limit; refusing its requests for {} ms",
                    script, s.strikes, s.penaltyMillis);
        }
    }

    /** A request of version {@code version} was answered normally. */
    void answered(String version) {
        if (!byVersion.isEmpty()) {
            byVersion.remove(version);
        }
    }
}
