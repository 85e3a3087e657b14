package io.isoworker.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Helpers for the KV tests: a store on a real SQLite backend with an injected clock. */
final class KvTesting {

    /** 2023-11-14T22:13:20.250Z: a quarter second past a whole second, so that flooring to seconds shows. */
    static final long START_MILLIS = 1_700_000_000_250L;

    private KvTesting() {
    }

    static KvStore open(Path dir, AtomicLong clock) {
        return KvStore.open(KvSettings.defaults(dir).withClock(clock::get));
    }

    static KvStore open(Path dir, AtomicLong clock, long cacheBytes) {
        return KvStore.open(KvSettings.defaults(dir).withClock(clock::get).withCacheMaxBytes(cacheBytes));
    }

    static String namespace(KvStore store) {
        return join(store.namespaceOrCreate("test-ns")).id();
    }

    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the future failed: " + KvStore.unwrap(e), KvStore.unwrap(e));
        }
    }

    /** The KvException the future fails with. */
    static KvException refusal(CompletableFuture<?> future) {
        CompletionException e = assertThrows(CompletionException.class, future::join);
        Throwable cause = KvStore.unwrap(e);
        assertTrue(cause instanceof KvException, () -> "not a KvException: " + cause);
        return (KvException) cause;
    }

    static void assertRefused(int status, String message, CompletableFuture<?> future) {
        KvException e = refusal(future);
        assertEquals(status, e.status(), () -> "status of: " + e.getMessage());
        assertEquals(message, e.getMessage());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(KvEntry e) {
        return e == null ? null : new String(e.value(), StandardCharsets.UTF_8);
    }

    static void put(KvStore store, String ns, String key, String value) {
        join(store.put(ns, KvPut.of(key, bytes(value))));
    }

    static String get(KvStore store, String ns, String key) {
        return text(join(store.get(ns, key)));
    }

    /** Every key name of a full listing, page by page with {@code limit}. */
    static List<String> listAll(KvStore store, String ns, String prefix, int limit) {
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            KvListPage page = join(store.list(ns, prefix, limit, cursor));
            page.keys().forEach(k -> names.add(k.name()));
            cursor = page.cursor();
            assertEquals(page.complete(), cursor == null);
        } while (cursor != null);
        return names;
    }
}
