package io.isoworker.kv;

import static io.isoworker.kv.KvTesting.assertRefused;
import static io.isoworker.kv.KvTesting.bytes;
import static io.isoworker.kv.KvTesting.join;
import static io.isoworker.kv.KvTesting.listAll;
import static io.isoworker.kv.KvTesting.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** list: order of UTF-8 bytes, literal prefixes, pagination with cursors, what each listed key carries. */
class KvListTest {

    @TempDir
    Path dir;

    final AtomicLong clock = new AtomicLong(KvTesting.START_MILLIS);
    KvStore store;
    String ns;

    @BeforeEach
    void open() {
        store = KvTesting.open(dir, clock);
        ns = KvTesting.namespace(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void putAll(String... keys) {
        List<KvPut> puts = new ArrayList<>();
        for (String k : keys) {
            puts.add(KvPut.of(k, bytes("v")));
        }
        join(store.putAll(ns, puts));
    }

    @Test
    void ordersByUtf8Bytes() {
        String[] keys = {"😀", "\uFFFD", "\uE000", ", ", "!", "z", "a", "A", "é", "e", "ü", "u", "aa", "a b", "~"};
        putAll(keys);
        List<String> expected = new ArrayList<>(List.of(keys));
        expected.sort((x, y) -> Arrays.compareUnsigned(bytes(x), bytes(y)));
        List<String> listed = listAll(store, ns, "", 1000);
        assertEquals(expected, listed);
        assertTrue(listed.indexOf("\uFFFD") < listed.indexOf("😀"), "U+FFFD before U+1F600");
        assertTrue(listed.indexOf("\uE000") < listed.indexOf("😀"), "U+E000 before U+1F600");
        assertTrue(listed.indexOf("!") < listed.indexOf(", "));
        assertEquals(List.of("!", ", ", "A", "a", "a b", "aa", "e", "u", "z", "~", "é", "ü", "\uE000", "\uFFFD", "😀"),
                listed);
        List<String> utf16 = new ArrayList<>(List.of(keys));
        utf16.sort(String::compareTo);
        assertNotEquals(utf16, listed, "the test data tells UTF-8 order from UTF-16 order");
    }

    @Test
    void prefixIsLiteralAndCaseSensitive() {
        putAll("a%b", "a_b", "axb", "a%", "A%b", "ab", "a", "b%");
        assertEquals(List.of("a%", "a%b"), listAll(store, ns, "a%", 1000));
        assertEquals(List.of("a_b"), listAll(store, ns, "a_", 1000));
        assertEquals(List.of("A%b"), listAll(store, ns, "A", 1000));
        assertEquals(List.of("a", "a%", "a%b", "a_b", "ab", "axb"), listAll(store, ns, "a", 1000));
        assertEquals(List.of(), listAll(store, ns, "c", 1000));
        assertEquals(8, listAll(store, ns, "", 1000).size());
    }

    @Test
    void prefixOfMultiByteCharacters() {
        putAll("😀", "😀a", "😁", "€", "€\uFFFF", "€x", "₭");
        assertEquals(List.of("😀", "😀a"), listAll(store, ns, "😀", 1000));
        assertEquals(List.of("€", "€x", "€\uFFFF"), listAll(store, ns, "€", 1000));
    }

    @Test
    void paginatesWithLimitOne() {
        putAll("k1", "k2", "k3", "k4", "k5");
        List<String> names = new ArrayList<>();
        String cursor = null;
        for (int page = 1; page <= 5; page++) {
            KvListPage p = join(store.list(ns, "k", 1, cursor));
            assertEquals(1, p.keys().size());
            names.add(p.keys().getFirst().name());
            if (page < 5) {
                assertFalse(p.complete());
                assertNotNull(p.cursor());
                assertFalse(p.cursor().isEmpty());
            } else {
                assertTrue(p.complete(), "nothing follows the fifth key");
                assertNull(p.cursor());
            }
            cursor = p.cursor();
        }
        assertEquals(List.of("k1", "k2", "k3", "k4", "k5"), names);
        KvListPage exact = join(store.list(ns, "k", 5, null));
        assertTrue(exact.complete());
        assertNull(exact.cursor());
        assertEquals(5, exact.keys().size());
    }

    @Test
    void keysInsertedWhilePaginating() {
        putAll("b", "d", "f");
        KvListPage first = join(store.list(ns, "", 1, null));
        assertEquals("b", first.keys().getFirst().name());
        putAll("a", "c", "e");
        List<String> rest = new ArrayList<>();
        String cursor = first.cursor();
        while (cursor != null) {
            KvListPage p = join(store.list(ns, "", 1, cursor));
            p.keys().forEach(k -> rest.add(k.name()));
            cursor = p.cursor();
        }
        assertEquals(List.of("c", "d", "e", "f"), rest, "keys ahead of the cursor appear, those behind do not");
    }

    @Test
    void deletedAndExpiredKeysAreSkippedByPages() {
        putAll("p1", "p2", "p3");
        join(store.put(ns, new KvPut("p4", bytes("v"), null, null, 60L)));
        KvListPage first = join(store.list(ns, "p", 1, null));
        join(store.delete(ns, "p2"));
        clock.addAndGet(60_000);
        assertEquals(List.of("p3"), listFrom(first.cursor()));
    }

    private List<String> listFrom(String cursor) {
        List<String> out = new ArrayList<>();
        while (cursor != null) {
            KvListPage p = join(store.list(ns, "p", 1, cursor));
            p.keys().forEach(k -> out.add(k.name()));
            cursor = p.cursor();
        }
        return out;
    }

    @Test
    void expirationAndMetadataOnlyWhenSet() {
        long expiration = Math.floorDiv(clock.get(), 1000) + 3600;
        join(store.putAll(ns, List.of(KvPut.of("plain", bytes("v")),
                new KvPut("with-meta", bytes("v"), "{\"tag\":\"x\"}", null, null),
                new KvPut("with-exp", bytes("v"), null, expiration, null),
                new KvPut("with-both", bytes("v"), "[1,2]", null, 600L))));
        List<KvListedKey> keys = join(store.list(ns, "", 1000, null)).keys();
        assertEquals(List.of(new KvListedKey("plain", 0, null),
                new KvListedKey("with-both", Math.floorDiv(clock.get(), 1000) + 600, "[1,2]"),
                new KvListedKey("with-exp", expiration, null),
                new KvListedKey("with-meta", 0, "{\"tag\":\"x\"}")), keys);
    }

    @Test
    void invalidCursorsAreRefused() {
        putAll("x");
        for (String bad : List.of("garbage!", "1", "1***", "2eA", "x")) {
            assertRefused(400, "Invalid cursor", store.list(ns, "", 10, bad));
        }
        assertEquals(List.of("x"), join(store.list(ns, "", 10, "")).keys().stream().map(KvListedKey::name).toList(),
                "an empty cursor starts at the beginning");
    }

    @Test
    void namespacesAreSeparate() {
        putAll("shared", "only-in-first");
        String other = join(store.namespaceOrCreate("other-ns")).id();
        join(store.put(other, KvPut.of("shared", bytes("other"))));
        assertEquals(List.of("shared"), listAll(store, other, "", 1000));
        assertEquals(List.of("only-in-first", "shared"), listAll(store, ns, "", 1000));
        assertEquals("v", KvTesting.get(store, ns, "shared"));
        assertEquals("other", KvTesting.get(store, other, "shared"));
    }

    @Test
    void paginatesAThousandKeysWithinAPrefix() {
        List<KvPut> puts = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            puts.add(KvPut.of(String.format("item/%04d", i), bytes("v")));
            puts.add(KvPut.of(String.format("other/%04d", i), bytes("v")));
        }
        join(store.putAll(ns, puts));
        List<String> names = listAll(store, ns, "item/", 1000);
        assertEquals(1500, names.size());
        assertEquals("item/0000", names.getFirst());
        assertEquals("item/1499", names.getLast());
        assertEquals(1500, listAll(store, ns, "item/", 7).size());
    }
}
