package io.isoworker.kv;

import static io.isoworker.kv.KvTesting.bytes;
import static io.isoworker.kv.KvTesting.get;
import static io.isoworker.kv.KvTesting.join;
import static io.isoworker.kv.KvTesting.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The read cache never shows a value older than the last acknowledged write; the same with the cache off. */
class KvCacheCoherenceTest {

    @TempDir
    Path dir;

    final AtomicLong clock = new AtomicLong(KvTesting.START_MILLIS);

    @ParameterizedTest(name = "cache bytes {0}")
    @ValueSource(longs = {KvSettings.DEFAULT_CACHE_BYTES, 0})
    void getAfterPutSeesTheNewValue(long cacheBytes) {
        try (KvStore store = KvTesting.open(dir, clock, cacheBytes)) {
            String ns = KvTesting.namespace(store);
            put(store, ns, "k", "old");
            assertEquals("old", get(store, ns, "k"));
            assertEquals("old", get(store, ns, "k"));
            put(store, ns, "k", "new");
            assertEquals("new", get(store, ns, "k"));
            assertEquals("new", KvTesting.text(join(store.getBulk(ns, List.of("k"))).get("k")));
            join(store.delete(ns, "k"));
            assertNull(get(store, ns, "k"));
            assertNull(join(store.getBulk(ns, List.of("k"))).get("k"));
        }
    }

    @ParameterizedTest(name = "cache bytes {0}")
    @ValueSource(longs = {KvSettings.DEFAULT_CACHE_BYTES, 0})
    void missingKeyThenPut(long cacheBytes) {
        try (KvStore store = KvTesting.open(dir, clock, cacheBytes)) {
            String ns = KvTesting.namespace(store);
            assertNull(get(store, ns, "later"));
            assertNull(join(store.getBulk(ns, List.of("later-bulk", "later"))).get("later-bulk"));
            put(store, ns, "later", "here");
            put(store, ns, "later-bulk", "here too");
            assertEquals("here", get(store, ns, "later"));
            Map<String, KvEntry> bulk = join(store.getBulk(ns, List.of("later-bulk", "later")));
            assertEquals("here too", KvTesting.text(bulk.get("later-bulk")));
            assertEquals("here", KvTesting.text(bulk.get("later")));
        }
    }

    @ParameterizedTest(name = "cache bytes {0}")
    @ValueSource(longs = {KvSettings.DEFAULT_CACHE_BYTES, 0})
    void concurrentPutsAndGets(long cacheBytes) throws Exception {
        int threads = 8;
        int rounds = 150;
        List<String> shared = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            shared.add("shared-" + i);
        }
        Map<String, String> lastOwnValue = new java.util.concurrent.ConcurrentHashMap<>();
        try (KvStore store = KvTesting.open(dir, clock, cacheBytes)) {
            String ns = KvTesting.namespace(store);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        String sharedKey = shared.get((thread + r) % shared.size());
                        String value = "t" + thread + "-r" + r;
                        get(store, ns, sharedKey); // loads it into the cache, present or not
                        put(store, ns, sharedKey, value);
                        String seen = get(store, ns, sharedKey);
                        assertNotNull(seen, "a written key never reads as missing");
                        // A key only this thread writes reads back exactly what it wrote.
                        String own = "own-" + thread + "-" + (r % 3);
                        put(store, ns, own, value);
                        assertEquals(value, get(store, ns, own));
                        lastOwnValue.put(own, value);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            Map<String, String> seenThroughStore = new HashMap<>();
            for (String key : shared) {
                seenThroughStore.put(key, get(store, ns, key));
            }
            for (var own : lastOwnValue.entrySet()) {
                assertEquals(own.getValue(), get(store, ns, own.getKey()));
            }
            store.close();
            // What the store shows after the writes is what storage holds.
            try (KvStore uncached = KvTesting.open(dir, clock, 0)) {
                for (String key : shared) {
                    String stored = get(uncached, ns, key);
                    assertNotNull(stored);
                    assertEquals(stored, seenThroughStore.get(key), key);
                }
                for (var own : lastOwnValue.entrySet()) {
                    assertEquals(own.getValue(), get(uncached, ns, own.getKey()));
                }
            }
        }
        assertEquals(threads * 3, lastOwnValue.size());
    }

    @ParameterizedTest(name = "cache bytes {0}")
    @ValueSource(longs = {KvSettings.DEFAULT_CACHE_BYTES, 0})
    void bulkPutAndDeleteInvalidateEveryKey(long cacheBytes) {
        try (KvStore store = KvTesting.open(dir, clock, cacheBytes)) {
            String ns = KvTesting.namespace(store);
            List<String> keys = List.of("b1", "b2", "b3");
            join(store.getBulk(ns, keys));
            join(store.putAll(ns, keys.stream().map(k -> KvPut.of(k, bytes(k + "-v"))).toList()));
            Map<String, KvEntry> got = join(store.getBulk(ns, keys));
            for (String k : keys) {
                assertEquals(k + "-v", KvTesting.text(got.get(k)));
                assertEquals(k + "-v", get(store, ns, k));
            }
            join(store.deleteAll(ns, keys));
            for (String k : keys) {
                assertNull(get(store, ns, k));
            }
        }
    }
}
