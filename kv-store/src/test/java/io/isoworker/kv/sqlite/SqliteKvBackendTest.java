package io.isoworker.kv.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.isoworker.kv.KvBackend;
import io.isoworker.kv.KvEntry;
import io.isoworker.kv.KvException;
import io.isoworker.kv.KvNamespace;
import io.isoworker.kv.KvWrite;

/** The backend's own contract: failures stay within their operation, cursors, closing. */
class SqliteKvBackendTest {

    @TempDir
    Path dir;

    private static <T> T join(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    private static KvWrite write(String key, String value) {
        return new KvWrite(key, new KvEntry(value.getBytes(StandardCharsets.UTF_8), null, 0));
    }

    private static Throwable failure(CompletableFuture<?> f) {
        CompletionException e = assertThrows(CompletionException.class, f::join);
        return e.getCause();
    }

    @Test
    void aFailingOperationDoesNotFailItsBatch() throws Exception {
        try (KvBackend backend = SqliteKvBackend.open(dir, true)) {
            join(backend.createNamespace(new KvNamespace("ns", "title")));
            List<CompletableFuture<?>> ok = new ArrayList<>();
            List<CompletableFuture<?>> bad = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ok.add(backend.write("ns", List.of(write("k" + i, "v" + i))));
                if (i % 50 == 0) {
                    bad.add(backend.createNamespace(new KvNamespace("dup" + i, "title"))); // title taken
                    bad.add(backend.write("no-such-ns", List.of(write("k", "v"))));
                }
            }
            for (CompletableFuture<?> f : ok) {
                join(f);
            }
            for (CompletableFuture<?> f : bad) {
                assertTrue(f.isCompletedExceptionally() || failure(f) != null);
            }
            Throwable missing = failure(bad.get(1));
            assertInstanceOf(KvException.class, missing);
            assertEquals(404, ((KvException) missing).status());
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                keys.add("k" + i);
            }
            Map<String, KvEntry> got = join(backend.read("ns", keys));
            assertEquals(200, got.size());
            assertEquals(List.of(new KvNamespace("ns", "title")), join(backend.namespaces()));
        }
    }

    @Test
    void aMultiKeyWriteIsAllOrNothing() throws Exception {
        try (KvBackend backend = SqliteKvBackend.open(dir, false)) {
            join(backend.createNamespace(new KvNamespace("ns", "t")));
            join(backend.write("ns", List.of(write("a", "1"), new KvWrite("b", null), write("c", "3"))));
            Map<String, KvEntry> got = join(backend.read("ns", List.of("a", "b", "c")));
            assertEquals(2, got.size());
            assertArrayEquals("3".getBytes(StandardCharsets.UTF_8), got.get("c").value());
        }
    }

    @Test
    void cursorsRoundTripAndRefuseGarbage() throws Exception {
        byte[] key = "key/😀".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(key, SqliteKvBackend.decodeCursor(SqliteKvBackend.encodeCursor(key)));
        for (String bad : List.of("", "1", "0abc", "1!!", "1a")) {
            KvException e = assertThrows(KvException.class, () -> SqliteKvBackend.decodeCursor(bad), bad);
            assertEquals(400, e.status());
        }
    }

    @Test
    void afterCloseEveryCallFailsWithIllegalState() throws Exception {
        KvBackend backend = SqliteKvBackend.open(dir, true);
        join(backend.createNamespace(new KvNamespace("ns", "t")));
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            queued.add(backend.write("ns", List.of(write("q" + i, "v"))));
        }
        backend.close();
        for (CompletableFuture<Void> f : queued) {
            assertTrue(f.isDone() && !f.isCompletedExceptionally(), "queued writes finish before close returns");
        }
        assertInstanceOf(IllegalStateException.class, failure(backend.read("ns", List.of("q1"))));
        assertInstanceOf(IllegalStateException.class, failure(backend.write("ns", List.of(write("x", "v")))));
        assertInstanceOf(IllegalStateException.class, failure(backend.list("ns", "", 10, null, 0)));
        assertInstanceOf(IllegalStateException.class, failure(backend.namespaces()));
        assertInstanceOf(IllegalStateException.class, failure(backend.removeExpired(0)));
        backend.close(); // twice is fine
        try (KvBackend reopened = SqliteKvBackend.open(dir, true)) {
            assertEquals(100, join(reopened.list("ns", "q", 1000, null, 0)).keys().size());
        }
    }
}
