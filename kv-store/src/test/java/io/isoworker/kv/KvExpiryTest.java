package io.isoworker.kv;

import static io.isoworker.kv.KvTesting.bytes;
import static io.isoworker.kv.KvTesting.join;
import static io.isoworker.kv.KvTesting.listAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expired keys vanish at once, by the injected clock, and the sweep removes them from storage. */
class KvExpiryTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "cache bytes {0}")
    @ValueSource(longs = {KvSettings.DEFAULT_CACHE_BYTES, 0})
    void keyWithTtlVanishesAtItsExpiration(long cacheBytes) {
        AtomicLong clock = new AtomicLong(KvTesting.START_MILLIS);
        try (KvStore store = KvTesting.open(dir, clock, cacheBytes)) {
            String ns = KvTesting.namespace(store);
            join(store.put(ns, new KvPut("short", bytes("v"), null, null, 60L)));
            KvTesting.put(store, ns, "forever", "v");
            long expiration = join(store.get(ns, "short")).expiration();
            assertEquals(Math.floorDiv(KvTesting.START_MILLIS, 1000) + 60, expiration);

            clock.set(KvTesting.START_MILLIS + 59_000);
            assertNotNull(join(store.get(ns, "short")), "cached");
            assertNotNull(join(store.getBulk(ns, List.of("short", "forever"))).get("short"));
            assertEquals(List.of("forever", "short"), listAll(store, ns, "", 1000));

            clock.set(expiration * 1000); // the boundary counts as expired
            assertNull(join(store.get(ns, "short")));
            assertNull(join(store.getBulk(ns, List.of("short", "forever"))).get("short"));
            assertNotNull(join(store.getBulk(ns, List.of("short", "forever"))).get("forever"));
            assertEquals(List.of("forever"), listAll(store, ns, "", 1000));
            assertEquals(List.of(), join(store.list(ns, "s", 10, null)).keys());

            clock.set(KvTesting.START_MILLIS + 60_000);
            assertEquals(1, join(store.removeExpired()));
            assertEquals(0, join(store.removeExpired()));
        }
        // Removed from storage: even with the clock turned back, a new store does not find it.
        AtomicLong past = new AtomicLong(KvTesting.START_MILLIS);
        try (KvStore reopened = KvTesting.open(dir, past, cacheBytes)) {
            String ns = KvTesting.namespace(reopened);
            assertNull(join(reopened.get(ns, "short")));
            assertEquals(List.of("forever"), listAll(reopened, ns, "", 1000));
        }
    }

    @Test
    void sweepRemovesOnlyExpiredKeys() {
        AtomicLong clock = new AtomicLong(KvTesting.START_MILLIS);
        try (KvStore store = KvTesting.open(dir, clock)) {
            String ns = KvTesting.namespace(store);
            for (int i = 0; i < 10; i++) {
                join(store.put(ns, new KvPut("t" + i, bytes("v"), null, null, 60L + i * 10)));
            }
            clock.addAndGet(95_000); // t0..t3 (60..90 s) expired
            assertEquals(4, join(store.removeExpired()));
            assertEquals(6, listAll(store, ns, "t", 1000).size());
            clock.addAndGet(1_000_000);
            assertEquals(6, join(store.removeExpired()));
        }
    }

    @Test
    void rewriteWithoutExpirationMakesAKeyPermanent() {
        AtomicLong clock = new AtomicLong(KvTesting.START_MILLIS);
        try (KvStore store = KvTesting.open(dir, clock)) {
            String ns = KvTesting.namespace(store);
            join(store.put(ns, new KvPut("k", bytes("v1"), null, null, 60L)));
            KvTesting.put(store, ns, "k", "v2");
            clock.addAndGet(3_600_000);
            assertEquals(0, join(store.removeExpired()));
            assertEquals("v2", KvTesting.get(store, ns, "k"));
        }
    }
}
