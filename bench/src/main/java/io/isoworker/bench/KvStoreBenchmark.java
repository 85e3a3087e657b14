package io.isoworker.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import io.isoworker.kv.KvEntry;
import io.isoworker.kv.KvListPage;
import io.isoworker.kv.KvPut;
import io.isoworker.kv.KvSettings;
import io.isoworker.kv.KvStore;

/**
 * The KV store (kv-store module) on its SQLite backend, without a worker in front: {@code cachedGet} is a key the
 * read cache holds, {@code uncachedGet} the same read with the cache off (a query on a reader thread), {@code put} one
 * 1 KiB write acknowledged after its commit (synced to disk with {@code sync=true}, in the OS cache only with
 * {@code false}), {@code list} one page of the 100 keys under a prefix among 10,000. Each call waits for its future,
 * one operation in flight per benchmark thread; {@code -t 8} shows group commit (several writes per transaction).
 * The database lives in a temporary directory; the disk it is on decides the {@code sync=true} figure.
 */
@Fork(1)
@Threads(1)
@BenchmarkMode({Mode.AverageTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
public class KvStoreBenchmark {

    static final int PREFIXES = 100;
    static final int KEYS_PER_PREFIX = 100;
    static final String NAMESPACE = "bench";

    static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("isoworker-kv-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteDirectory(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every key, made once so that the benchmarks do not measure String.format. */
    static final String[] KEYS = new String[PREFIXES * KEYS_PER_PREFIX];
    static final String[] PREFIX_NAMES = new String[PREFIXES];

    static {
        for (int p = 0; p < PREFIXES; p++) {
            PREFIX_NAMES[p] = String.format("p%03d/", p);
            for (int i = 0; i < KEYS_PER_PREFIX; i++) {
                KEYS[p * KEYS_PER_PREFIX + i] = PREFIX_NAMES[p] + String.format("key-%03d", i);
            }
        }
    }

    static String key(int prefix, int i) {
        return KEYS[prefix * KEYS_PER_PREFIX + i];
    }

    /** 10,000 keys of 1 KiB in one namespace, read through a store with its cache and one without. */
    @State(Scope.Benchmark)
    public static class Reads {
        Path dir;
        KvStore cached;
        KvStore uncached;

        @Setup(Level.Trial)
        public void fill() {
            dir = temporaryDirectory();
            try (KvStore loader = KvStore.open(KvSettings.defaults(dir).withSyncCommits(false))) {
                String ns = loader.namespaceOrCreate(NAMESPACE).join().id();
                byte[] value = new byte[1024];
                for (int p = 0; p < PREFIXES; p++) {
                    List<KvPut> puts = new ArrayList<>(KEYS_PER_PREFIX);
                    for (int i = 0; i < KEYS_PER_PREFIX; i++) {
                        puts.add(KvPut.of(key(p, i), value));
                    }
                    loader.putAll(ns, puts).join();
                }
            }
            cached = KvStore.open(KvSettings.defaults(dir));
            uncached = KvStore.open(KvSettings.defaults(dir).withCacheMaxBytes(0));
            for (int p = 0; p < PREFIXES; p++) {
                cached.get(NAMESPACE, key(p, 0)).join();
            }
            KvListPage page = cached.list(NAMESPACE, PREFIX_NAMES[42], 1000, null).join();
            if (page.keys().size() != KEYS_PER_PREFIX || !page.complete()) {
                throw new IllegalStateException("the listing is not the " + KEYS_PER_PREFIX + " keys of a prefix");
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            cached.close();
            uncached.close();
            deleteDirectory(dir);
        }
    }

    /** An empty store to write to; {@code sync} as {@link KvSettings#syncCommits()}. */
    @State(Scope.Benchmark)
    public static class Writes {
        @Param({"true", "false"})
        boolean sync;

        Path dir;
        KvStore store;
        final byte[] value = new byte[1024];

        @Setup(Level.Trial)
        public void open() {
            dir = temporaryDirectory();
            store = KvStore.open(KvSettings.defaults(dir).withSyncCommits(sync));
            store.namespaceOrCreate(NAMESPACE).join();
            ThreadLocalRandom.current().nextBytes(value);
        }

        @TearDown(Level.Trial)
        public void close() {
            store.close();
            deleteDirectory(dir);
        }
    }

    @Benchmark
    public KvEntry cachedGet(Reads r) {
        return r.cached.get(NAMESPACE, key(ThreadLocalRandom.current().nextInt(PREFIXES), 0)).join();
    }

    @Benchmark
    public KvEntry uncachedGet(Reads r) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return r.uncached.get(NAMESPACE, key(random.nextInt(PREFIXES), random.nextInt(KEYS_PER_PREFIX))).join();
    }

    @Benchmark
    public KvListPage list(Reads r) {
        return r.cached.list(NAMESPACE, PREFIX_NAMES[ThreadLocalRandom.current().nextInt(PREFIXES)], 1000, null).join();
    }

    @Benchmark
    public void put(Writes w) {
        String key = KEYS[ThreadLocalRandom.current().nextInt(KEYS.length)];
        w.store.put(NAMESPACE, KvPut.of(key, w.value)).join();
    }
}
