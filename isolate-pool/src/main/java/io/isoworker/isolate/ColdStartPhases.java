package io.isoworker.isolate;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * How long the parts of each cold start on the request path took: a count, a sum and the most recent
 * {@value #RECENT} samples per part, enough for a mean (exact) and percentiles (over the retained samples). Cold
 * starts are millisecond-scale events, so one lock per record is cheap enough. Any thread.
 *
 * <p>Every cold start records one sample of each {@link Phase}, so the request-path parts of one cold start add up
 * (except {@link Phase#WAIT_FOR_CONTEXT}, which contains {@link Phase#CONTEXT_CREATION} and {@link Phase#PRELUDE}
 * when the context was built on the request path). A context taken from the pre-warmed pool was built and had its
 * prelude evaluated off the request path, by the pool's filler thread: its cold start records {@code 0} for
 * {@link Phase#CONTEXT_CREATION} and {@link Phase#PRELUDE}, and what the filler spent on that context under
 * {@link Phase#PREWARMED_CONTEXT_CREATION} and {@link Phase#PREWARMED_PRELUDE} (0 when it was built on the request
 * path). Contexts taken for upload validation and for the engine's warm-up are not counted anywhere.
 */
public final class ColdStartPhases {

    /** Samples kept per phase. */
    public static final int RECENT = 16_384;

    /** The parts of a cold start. All are measured on the guest thread that runs it. */
    public enum Phase {
        /** Taking a blank context: ~0 from the pre-warmed pool; creation and prelude when it was empty. */
        WAIT_FOR_CONTEXT("waiting for a context"),
        /** Building the sandboxed Context on the request path (0 when it came from the pre-warmed pool). */
        CONTEXT_CREATION("context creation"),
        /** Evaluating the prelude on the request path (0 when the context came from the pre-warmed pool). */
        PRELUDE("prelude"),
        /** Evaluating the worker's modules and finding its handler ({@code BlankContext.load}). */
        MODULE_EVALUATION("module evaluation"),
        /**
         * The first request's first entry into the guest: from calling the worker's handler until that call returns
         * (microtasks included). A handler that answers without awaiting I/O has handed its response head and body
         * to the sink by then; for one that awaits I/O, the wait is not included.
         */
        FIRST_CALL("first call"),
        /** The whole cold start on the guest thread: from looking for an isolate until the first call returned. */
        TOTAL("total"),
        /** Off the request path: what the filler spent building the context this cold start took (0 if none). */
        PREWARMED_CONTEXT_CREATION("pre-warmed context creation (off the request path)"),
        /** Off the request path: what the filler spent on that context's prelude (0 if none). */
        PREWARMED_PRELUDE("pre-warmed prelude (off the request path)");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        /** A name for logs, e.g. {@code context creation}. */
        public String label() {
            return label;
        }
    }

    private final EnumMap<Phase, Samples> phases = new EnumMap<>(Phase.class);

    ColdStartPhases() {
        for (Phase p : Phase.values()) {
            phases.put(p, new Samples());
        }
    }

    void record(Phase phase, long nanos) {
        phases.get(phase).add(nanos);
    }

    /** What has been recorded so far. */
    public Snapshot snapshot() {
        EnumMap<Phase, PhaseSamples> copy = new EnumMap<>(Phase.class);
        phases.forEach((phase, samples) -> copy.put(phase, samples.copy()));
        return new Snapshot(copy);
    }

    /** The samples of all phases at one moment. */
    public record Snapshot(Map<Phase, PhaseSamples> phases) {

        public PhaseSamples get(Phase phase) {
            return phases.get(phase);
        }

        /** The statistics of what was recorded after {@code earlier} (a snapshot taken before this one), or all. */
        public Stats stats(Phase phase, Snapshot earlier) {
            PhaseSamples now = phases.get(phase);
            return now.since(earlier == null ? null : earlier.get(phase));
        }
    }

    /**
     * One phase's samples.
     *
     * @param count  samples recorded since the pool started
     * @param sumNanos their sum
     * @param recent the last {@code min(count, RECENT)} samples, oldest first
     */
    public record PhaseSamples(long count, long sumNanos, long[] recent) {

        /** Statistics of the samples recorded after {@code earlier} (the same phase, earlier), or of all. */
        public Stats since(PhaseSamples earlier) {
            long n = count - (earlier == null ? 0 : earlier.count);
            long sum = sumNanos - (earlier == null ? 0 : earlier.sumNanos);
            int kept = (int) Math.min(n, recent.length);
            long[] sorted = Arrays.copyOfRange(recent, recent.length - kept, recent.length);
            Arrays.sort(sorted);
            return new Stats(n, n == 0 ? 0 : sum / n, percentile(sorted, 0.50), percentile(sorted, 0.99), kept);
        }

        private static long percentile(long[] sorted, double p) {
            if (sorted.length == 0) {
                return 0;
            }
            int index = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }

    /**
     * @param count      samples
     * @param meanNanos  their mean (exact, from the running sum)
     * @param p50Nanos   median of the retained samples
     * @param p99Nanos   99th percentile of the retained samples
     * @param retained   how many of the samples the percentiles are over (at most {@value #RECENT})
     */
    public record Stats(long count, long meanNanos, long p50Nanos, long p99Nanos, int retained) {
    }

    /** A phase's running count and sum, and a ring of its recent samples. */
    private static final class Samples {
        private final long[] ring = new long[RECENT];
        private long count;
        private long sum;

        synchronized void add(long nanos) {
            ring[(int) (count % RECENT)] = nanos;
            count++;
            sum += nanos;
        }

        synchronized PhaseSamples copy() {
            int kept = (int) Math.min(count, RECENT);
            long[] recent = new long[kept];
            for (int i = 0; i < kept; i++) {
                recent[i] = ring[(int) ((count - kept + i) % RECENT)];
            }
            return new PhaseSamples(count, sum, recent);
        }
    }
}
