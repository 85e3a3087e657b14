package io.isoworker.api.http;

import java.util.List;

/**
 * What one invocation (a request, or a cron trigger's run) did, handed to its {@link ResponseSink} once it is over:
 * what the metrics, the access log and {@code tail} report. The console lines and exceptions are only collected when
 * the sink asked for them ({@link ResponseSink#traced()}); otherwise the lists are empty.
 *
 * @param startedAtMillis when the invocation began, in milliseconds since the epoch
 * @param cpuNanos        CPU time its guest code used, as charged against its CPU limit
 * @param wallNanos       from its start to the end of its response (or of its run)
 * @param outcome         Cloudflare's trace outcome: {@code ok}, {@code exception}, {@code exceededCpu},
 *                        {@code exceededMemory}, or {@code canceled} (the wall-clock limit, or the client went away)
 * @param coldStart       true when it was the first invocation of a freshly loaded isolate
 * @param usage           the subrequests and KV operations it made
 * @param logs            its console output, in order (empty unless traced)
 * @param exceptions      its uncaught exceptions (empty unless traced)
 */
public record InvocationSummary(long startedAtMillis, long cpuNanos, long wallNanos, String outcome,
        boolean coldStart, Usage usage, List<ConsoleLine> logs, List<UncaughtException> exceptions) {

    public static final String OK = "ok";
    public static final String EXCEPTION = "exception";
    public static final String EXCEEDED_CPU = "exceededCpu";
    public static final String EXCEEDED_MEMORY = "exceededMemory";
    public static final String CANCELED = "canceled";

    /**
     * Counts of what an invocation asked of the host.
     *
     * @param subrequests outbound {@code fetch()} calls (each redirect hop counts)
     * @param kvReads     KV {@code get} calls (a bulk get counts once)
     * @param kvWrites    KV {@code put} calls
     * @param kvDeletes   KV {@code delete} calls
     * @param kvLists     KV {@code list} calls
     */
    public record Usage(int subrequests, int kvReads, int kvWrites, int kvDeletes, int kvLists) {
        public static final Usage NONE = new Usage(0, 0, 0, 0, 0);
    }

    /**
     * One console call.
     *
     * @param level {@code debug}, {@code info}, {@code log}, {@code warn} or {@code error}
     */
    public record ConsoleLine(String level, String message, long timestampMillis) {
    }

    /** An exception that ended the invocation, or a limit that stopped it. */
    public record UncaughtException(String name, String message, long timestampMillis) {
    }
}
