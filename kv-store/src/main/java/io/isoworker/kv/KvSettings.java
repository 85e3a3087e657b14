package io.isoworker.kv;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How a {@link KvStore} is set up.
 *
 * @param directory     where the database lives ({@code DATA/kv})
 * @param syncCommits   true (the default) to sync every commit to disk before a write is acknowledged, so that an
 *                      acknowledged write survives a power loss; false acknowledges once the commit is in the
 *                      operating system's cache, which survives a crash of the process but not of the machine
 * @param cacheMaxBytes the read cache's size, in bytes of keys and values; 0 turns it off
 * @param sweepInterval how often expired keys are removed from storage (they are invisible from the moment they
 *                      expire)
 * @param clock         milliseconds since the epoch; tests inject their own
 */
public record KvSettings(Path directory, boolean syncCommits, long cacheMaxBytes, Duration sweepInterval,
        LongSupplier clock) {

    public static final long DEFAULT_CACHE_BYTES = 64L * 1024 * 1024;
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(60);

    public static KvSettings defaults(Path directory) {
        return new KvSettings(directory, true, DEFAULT_CACHE_BYTES, DEFAULT_SWEEP_INTERVAL, System::currentTimeMillis);
    }

    public KvSettings withClock(LongSupplier clock) {
        return new KvSettings(directory, syncCommits, cacheMaxBytes, sweepInterval, clock);
    }

    public KvSettings withSyncCommits(boolean sync) {
        return new KvSettings(directory, sync, cacheMaxBytes, sweepInterval, clock);
    }

    public KvSettings withCacheMaxBytes(long bytes) {
        return new KvSettings(directory, syncCommits, bytes, sweepInterval, clock);
    }
}
