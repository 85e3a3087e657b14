package io.isoworker.kv;

import static io.isoworker.kv.KvTesting.assertRefused;
import static io.isoworker.kv.KvTesting.bytes;
import static io.isoworker.kv.KvTesting.get;
import static io.isoworker.kv.KvTesting.join;
import static io.isoworker.kv.KvTesting.put;
import static io.isoworker.kv.KvTesting.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads and writes, and every storage-side rule of the KV spec's §8 that KvStore applies. */
class KvStoreRulesTest {

    @TempDir
    static Path dir;

    static final AtomicLong clock = new AtomicLong(KvTesting.START_MILLIS);
    static KvStore store;
    static String ns;

    @BeforeAll
    static void open() {
        store = KvTesting.open(dir, clock);
        ns = KvTesting.namespace(store);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static long nowSeconds() {
        return Math.floorDiv(clock.get(), 1000);
    }

    @Test
    void roundTripAndMissingKey() {
        put(store, ns, "greeting", "hello");
        assertEquals("hello", get(store, ns, "greeting"));
        assertNull(join(store.get(ns, "never-written")));
        put(store, ns, "empty", "");
        assertArrayEquals(new byte[0], join(store.get(ns, "empty")).value());
    }

    @Test
    void overwriteReplacesValueMetadataAndExpiration() {
        join(store.put(ns, new KvPut("over", bytes("one"), "{\"a\":1}", null, 120L)));
        KvEntry first = join(store.get(ns, "over"));
        assertEquals("{\"a\":1}", first.metadata());
        assertEquals(nowSeconds() + 120, first.expiration());
        put(store, ns, "over", "two");
        KvEntry second = join(store.get(ns, "over"));
        assertEquals("two", text(second));
        assertNull(second.metadata());
        assertEquals(0, second.expiration());
    }

    @Test
    void deleteAndDeleteOfMissingKey() {
        put(store, ns, "doomed", "x");
        join(store.delete(ns, "doomed"));
        assertNull(join(store.get(ns, "doomed")));
        assertDoesNotThrow(() -> join(store.delete(ns, "doomed")));
        assertDoesNotThrow(() -> join(store.delete(ns, "was-never-there")));
    }

    @Test
    void binaryValuesAreKeptExactly() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        join(store.put(ns, KvPut.of("binary", all)));
        assertArrayEquals(all, join(store.get(ns, "binary")).value());
    }

    @Test
    void keyLengthCountsUtf8Bytes() {
        String key512 = "€".repeat(170) + "ab";
        put(store, ns, key512, "fits");
        assertEquals("fits", get(store, ns, key512));
        String key513 = "€".repeat(171);
        String message = "UTF-8 encoded length of 513 exceeds key length limit of 512.";
        assertRefused(414, message, store.put(ns, KvPut.of(key513, bytes("x"))));
        assertRefused(414, message, store.get(ns, key513));
        assertRefused(414, message, store.delete(ns, key513));
        assertRefused(414, message, store.getBulk(ns, List.of("ok", key513)));
    }

    @Test
    void emptyAndDotKeysAreRefused() {
        for (var op : List.<java.util.function.Function<String, java.util.concurrent.CompletableFuture<?>>>of(
                k -> store.get(ns, k), k -> store.put(ns, KvPut.of(k, bytes("x"))), k -> store.delete(ns, k),
                k -> store.getBulk(ns, List.of(k)))) {
            assertRefused(400, "Key names must not be empty", op.apply(""));
            assertRefused(400, "Illegal key name \".\". Please use a different name.", op.apply("."));
            assertRefused(400, "Illegal key name \"..\". Please use a different name.", op.apply(".."));
        }
        put(store, ns, "...", "three dots are fine");
        assertEquals("three dots are fine", get(store, ns, "..."));
    }

    @Test
    void loneSurrogatesAreStoredAsReplacementCharacters() {
        put(store, ns, "lone\uD800", "v1");
        assertEquals("v1", get(store, ns, "lone\uFFFD"));
        assertEquals("v1", get(store, ns, "lone\uD800"));
        put(store, ns, "lone\uFFFD", "v2");
        assertEquals("v2", get(store, ns, "lone\uD800"), "one entry, one cache entry");
        assertEquals(List.of("lone\uFFFD"), KvTesting.listAll(store, ns, "lone", 10));
        // 4 + 3 bytes per lone surrogate: 3 x 170 + 3 = 513
        assertRefused(414, "UTF-8 encoded length of 513 exceeds key length limit of 512.",
                store.get(ns, "\uDC00".repeat(171)));
    }

    @Test
    void valueOf25MibFitsAndOneMoreByteDoesNot() {
        byte[] max = new byte[26_214_400];
        Arrays.fill(max, (byte) 'k');
        max[max.length - 1] = 'z';
        join(store.put(ns, KvPut.of("big", max)));
        byte[] back = join(store.get(ns, "big")).value();
        assertEquals(max.length, back.length);
        assertEquals('z', back[back.length - 1]);
        assertRefused(413, "Value length of 26214401 exceeds limit of 26214400.",
                store.put(ns, KvPut.of("too-big", new byte[26_214_401])));
        join(store.delete(ns, "big"));
    }

    @Test
    void metadataUpTo1024Bytes() {
        String json1024 = "\"" + "m".repeat(1022) + "\"";
        join(store.put(ns, new KvPut("meta", bytes("v"), json1024, null, null)));
        assertEquals(json1024, join(store.get(ns, "meta")).metadata());
        String json1025 = "\"" + "é".repeat(511) + "x\""; // 514 characters, 1025 bytes
        assertRefused(413, "Metadata length of 1025 exceeds limit of 1024.",
                store.put(ns, new KvPut("meta", bytes("v"), json1025, null, null)));
        assertEquals(json1024, join(store.get(ns, "meta")).metadata(), "the refused put changed nothing");
    }

    @Test
    void expirationTtlRules() {
        assertRefused(400, "Invalid expiration_ttl of 0. Please specify integer greater than 0.",
                store.put(ns, new KvPut("ttl", bytes("v"), null, null, 0L)));
        assertRefused(400, "Invalid expiration_ttl of -5. Please specify integer greater than 0.",
                store.put(ns, new KvPut("ttl", bytes("v"), null, null, -5L)));
        assertRefused(400, "Invalid expiration_ttl of 30. Expiration TTL must be at least 60.",
                store.put(ns, new KvPut("ttl", bytes("v"), null, null, 30L)));
        join(store.put(ns, new KvPut("ttl", bytes("v"), null, null, 60L)));
        assertEquals(nowSeconds() + 60, join(store.get(ns, "ttl")).expiration());
    }

    @Test
    void absoluteExpirationRules() {
        long now = nowSeconds();
        assertRefused(400, "Invalid expiration of " + now
                + ". Please specify integer greater than the current number of seconds since the UNIX epoch.",
                store.put(ns, new KvPut("exp", bytes("v"), null, now, null)));
        assertRefused(400, "Invalid expiration of " + (now + 30)
                + ". Expiration times must be at least 60 seconds in the future.",
                store.put(ns, new KvPut("exp", bytes("v"), null, now + 30, null)));
        join(store.put(ns, new KvPut("exp", bytes("v"), null, now + 60, null)));
        assertEquals(now + 60, join(store.get(ns, "exp")).expiration());
    }

    @Test
    void expirationTtlWinsOverExpiration() {
        join(store.put(ns, new KvPut("both", bytes("v"), null, nowSeconds() + 5000, 100L)));
        assertEquals(nowSeconds() + 100, join(store.get(ns, "both")).expiration());
    }

    @Test
    void listLimitAndPrefixLength() {
        assertRefused(400, "Invalid key_count_limit of 0. Please specify an integer greater than 0.",
                store.list(ns, "", 0, null));
        assertRefused(400, "Invalid key_count_limit of 1001. Please specify an integer less than 1000.",
                store.list(ns, "", 1001, null));
        assertDoesNotThrow(() -> join(store.list(ns, "", 1000, null)));
        assertDoesNotThrow(() -> join(store.list(ns, "p".repeat(512), 10, null)));
        assertRefused(414, "UTF-8 encoded length of 513 exceeds key length limit of 512.",
                store.list(ns, "€".repeat(171), 10, null));
    }

    @Test
    void bulkKeyCount() {
        assertRefused(400, "You must request a minimum of 1 key", store.getBulk(ns, List.of()));
        List<String> keys101 = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            keys101.add("bulk-" + i);
        }
        assertRefused(400, "You can request a maximum of 100 keys", store.getBulk(ns, keys101));
        put(store, ns, "bulk-7", "seven");
        Map<String, KvEntry> got = join(store.getBulk(ns, keys101.subList(0, 100)));
        assertEquals(100, got.size());
        assertEquals(keys101.subList(0, 100), List.copyOf(got.keySet()), "every key, in the order asked");
        assertEquals("seven", text(got.get("bulk-7")));
        assertNull(got.get("bulk-8"));
    }

    @Test
    void cacheTtl() {
        KvException e = assertThrows(KvException.class, () -> KvLimits.checkCacheTtl(10));
        assertEquals(400, e.status());
        assertEquals("Invalid cache_ttl of 10. Cache TTL must be at least 30.", e.getMessage());
        assertDoesNotThrow(() -> KvLimits.checkCacheTtl(30));
        assertDoesNotThrow(() -> KvLimits.checkCacheTtl(60));
    }

    @Test
    void unknownNamespace() {
        assertRefused(404, "Namespace nope does not exist.", store.get("nope", "k"));
        assertRefused(404, "Namespace nope does not exist.", store.put("nope", KvPut.of("k", bytes("v"))));
    }
}
