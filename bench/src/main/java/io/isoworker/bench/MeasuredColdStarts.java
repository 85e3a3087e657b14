package io.isoworker.bench;

import java.util.Locale;
import java.util.StringJoiner;

import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import io.isoworker.isolate.ColdStartPhases;
import io.isoworker.isolate.ColdStartPhases.Phase;
import io.isoworker.isolate.IsolatePool;

/**
 * The parts of the server's cold starts over a trial's measurement iterations only: marks the pool's
 * {@link IsolatePool#coldStartPhases} when the first measurement iteration starts (call {@link #iterationStarts}
 * from a {@code @Setup(Level.Iteration)}), and describes what was recorded since (count, mean, p50, p99 per part).
 */
final class MeasuredColdStarts {

    private ColdStartPhases.Snapshot atMeasurement;

    void iterationStarts(IterationParams iteration, IsolatePool pool) {
        if (atMeasurement == null && iteration.getType() == IterationType.MEASUREMENT) {
            atMeasurement = pool.coldStartPhases();
        }
    }

    /**
     * E.g. {@code parts over 3,212 cold starts: waiting for a context p50 0.01 ms, p99 0.02 ms, mean 0.01 ms; ...},
     * or a note that no measurement iteration ran.
     */
    String describe(IsolatePool pool) {
        if (atMeasurement == null) {
            return "parts: no measurement iteration ran";
        }
        ColdStartPhases.Snapshot now = pool.coldStartPhases();
        ColdStartPhases.Stats total = now.stats(Phase.TOTAL, atMeasurement);
        StringJoiner parts = new StringJoiner("; ");
        for (Phase phase : Phase.values()) {
            ColdStartPhases.Stats s = now.stats(phase, atMeasurement);
            parts.add(String.format(Locale.ROOT, "%s p50 %.3f ms, p99 %.3f ms, mean %.3f ms", phase.label(),
                    ms(s.p50Nanos()), ms(s.p99Nanos()), ms(s.meanNanos())));
        }
        String retained = total.retained() < total.count()
                ? String.format(Locale.ROOT, " (percentiles over the last %,d)", total.retained()) : "";
        return String.format(Locale.ROOT, "parts over %,d cold starts%s: %s", total.count(), retained, parts);
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
