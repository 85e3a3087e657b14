package io.isoworker.isolate;

import java.time.Duration;

/**
 * Settings of the isolate pool.
 *
 * @param prewarmedContexts how many blank contexts (prelude evaluated) to keep ready
 * @param maxIsolates       most loaded isolates kept; the least recently used go first
 * @param idleTimeout       an isolate unused this long is closed (scale to zero)
 * @param startupCpuLimit   CPU time a script's top-level evaluation may take
 * @param requestCpuLimit   CPU time one invocation may take before its isolate is cancelled, for scripts that set
 *                          none of their own
 * @param maxRequestCpuLimit the most a script may set for itself ({@code limits.cpu_ms} in its upload)
 * @param memoryLimitBytes  bytes guest code may allocate in one entry into the guest before its isolate is cancelled;
 *                          0 for no limit
 * @param responseTimeout   wall-clock time a worker has to send its response headers; then the request gets a 503
 * @param waitUntilTimeout  wall-clock time {@code waitUntil} work may take; then it is cancelled
 * @param guestThreads      threads that run guest code; 0 for two per core
 * @param guestThreadsPerScript most of those one script version may occupy at once; 0 for half of them
 * @param heapGuardPercent  share of the maximum heap still in use after a garbage collection above which isolates are
 *                          recycled, the heaviest first; 0 for no guard
 */
public record IsolateSettings(int prewarmedContexts, long maxIsolates, Duration idleTimeout,
        Duration startupCpuLimit, Duration requestCpuLimit, Duration maxRequestCpuLimit, long memoryLimitBytes,
        Duration responseTimeout, Duration waitUntilTimeout, int guestThreads, int guestThreadsPerScript,
        int heapGuardPercent) {

    public static final long DEFAULT_MEMORY_LIMIT = 128L * 1024 * 1024;

    public static final IsolateSettings DEFAULTS = new IsolateSettings(
            8, 10_000, Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(30),
            DEFAULT_MEMORY_LIMIT, Duration.ofSeconds(30), Duration.ofSeconds(30), 0, 0, 85);

    /** The number of guest threads: as set, or two per core. */
    public int resolvedGuestThreads() {
        return guestThreads > 0 ? guestThreads : Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
    }

    /** The guest threads one script version may occupy at once: as set (at most all), or half of them. */
    public int resolvedGuestThreadsPerScript() {
        int all = resolvedGuestThreads();
        return guestThreadsPerScript > 0 ? Math.min(guestThreadsPerScript, all) : Math.max(1, all / 2);
    }

    /** The CPU limit per invocation of {@code bundle}: its own, at most the maximum, or the default. */
    public Duration requestCpuLimit(WorkerBundle bundle) {
        if (bundle.cpuLimitMillis() <= 0) {
            return requestCpuLimit;
        }
        Duration own = Duration.ofMillis(bundle.cpuLimitMillis());
        return own.compareTo(maxRequestCpuLimit) > 0 ? maxRequestCpuLimit : own;
    }

    public IsolateSettings {
        if (prewarmedContexts < 0) {
            throw new IllegalArgumentException("prewarmedContexts must be >= 0");
        }
        if (maxIsolates < 1) {
            throw new IllegalArgumentException("maxIsolates must be >= 1");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
        if (startupCpuLimit.isNegative() || startupCpuLimit.isZero()) {
            throw new IllegalArgumentException("startupCpuLimit must be positive");
        }
        if (requestCpuLimit.isNegative() || requestCpuLimit.isZero()) {
            throw new IllegalArgumentException("requestCpuLimit must be positive");
        }
        if (responseTimeout.isNegative() || responseTimeout.isZero()) {
            throw new IllegalArgumentException("responseTimeout must be positive");
        }
        if (waitUntilTimeout.isNegative() || waitUntilTimeout.isZero()) {
            throw new IllegalArgumentException("waitUntilTimeout must be positive");
        }
        if (memoryLimitBytes < 0) {
            throw new IllegalArgumentException("memoryLimitBytes must be >= 0");
        }
        if (heapGuardPercent < 0 || heapGuardPercent > 100) {
            throw new IllegalArgumentException("heapGuardPercent must be 0-100");
        }
        if (guestThreads < 0 || guestThreadsPerScript < 0) {
            throw new IllegalArgumentException("guestThreads and guestThreadsPerScript must be >= 0");
        }
        if (maxRequestCpuLimit.compareTo(requestCpuLimit) < 0) {
            throw new IllegalArgumentException("maxRequestCpuLimit must be at least requestCpuLimit");
        }
    }

    public IsolateSettings withPrewarmedContexts(int n) {
        return new IsolateSettings(n, maxIsolates, idleTimeout, startupCpuLimit, requestCpuLimit, maxRequestCpuLimit,
                memoryLimitBytes, responseTimeout, waitUntilTimeout, guestThreads, guestThreadsPerScript,
                heapGuardPercent);
    }

    public IsolateSettings withGuestThreads(int threads, int perScript) {
        return new IsolateSettings(prewarmedContexts, maxIsolates, idleTimeout, startupCpuLimit, requestCpuLimit,
                maxRequestCpuLimit, memoryLimitBytes, responseTimeout, waitUntilTimeout, threads, perScript, heapGuardPercent);
    }

    /** The default CPU limit per invocation; the maximum grows to it when it is smaller. */
    public IsolateSettings withRequestCpuLimit(Duration limit) {
        return new IsolateSettings(prewarmedContexts, maxIsolates, idleTimeout, startupCpuLimit, limit,
                maxRequestCpuLimit.compareTo(limit) < 0 ? limit : maxRequestCpuLimit, memoryLimitBytes,
                responseTimeout, waitUntilTimeout, guestThreads, guestThreadsPerScript,
                heapGuardPercent);
    }
}
