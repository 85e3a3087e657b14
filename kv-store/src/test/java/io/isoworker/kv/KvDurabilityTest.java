package io.isoworker.kv;

import static io.isoworker.kv.KvTesting.bytes;
import static io.isoworker.kv.KvTesting.get;
import static io.isoworker.kv.KvTesting.join;
import static io.isoworker.kv.KvTesting.listAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acknowledged writes and namespaces survive closing and reopening; many concurrent writes all land. */
class KvDurabilityTest {

    @TempDir
    Path tmp;

    final AtomicLong clock = new AtomicLong(KvTesting.START_MILLIS);

    @Test
    void keysSurviveReopen() {
        Path dir = tmp.resolve("kv");
        String ns;
        try (KvStore store = KvTesting.open(dir, clock)) {
            ns = KvTesting.namespace(store);
            List<CompletableFuture<Void>> puts = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                puts.add(store.put(ns, new KvPut("key-" + i, bytes("value-" + i), i % 2 == 0 ? "{\"i\":" + i + "}" : null,
                        null, i % 3 == 0 ? 3600L : null)));
            }
            puts.forEach(KvTesting::join);
        }
        try (KvStore reopened = KvTesting.open(dir, clock)) {
            assertEquals(ns, reopened.namespace(ns).orElseThrow().id());
            for (int i = 0; i < 300; i++) {
                KvEntry e = join(reopened.get(ns, "key-" + i));
                assertEquals("value-" + i, KvTesting.text(e));
                assertEquals(i % 2 == 0 ? "{\"i\":" + i + "}" : null, e.metadata());
                assertEquals(i % 3 == 0 ? Math.floorDiv(clock.get(), 1000) + 3600 : 0, e.expiration());
            }
            assertEquals(300, listAll(reopened, ns, "key-", 1000).size());
        }
    }

    @Test
    void directoryAndFileAreOwnerOnly() throws Exception {
        Path dir = tmp.resolve("private/kv");
        try (KvStore store = KvTesting.open(dir, clock)) {
            KvTesting.put(store, KvTesting.namespace(store), "k", "v");
        }
        assertTrue(Files.isRegularFile(dir.resolve("kv.sqlite3")));
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE), Files.getPosixFilePermissions(dir));
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(dir.resolve("kv.sqlite3")));
        }
    }

    @Test
    void namespacesSurviveReopen() {
        Path dir = tmp.resolve("kv");
        KvNamespace created;
        KvNamespace dev;
        try (KvStore store = KvTesting.open(dir, clock)) {
            created = join(store.createNamespace("My Namespace"));
            dev = join(store.namespaceOrCreate("DEV_BINDING"));
            KvTesting.refusal(store.createNamespace("My Namespace"));
        }
        try (KvStore reopened = KvTesting.open(dir, clock)) {
            assertEquals(created, reopened.namespace(created.id()).orElseThrow());
            assertEquals(dev, reopened.namespace("DEV_BINDING").orElseThrow());
            assertEquals(2, reopened.namespaces(1, 100).totalCount());
            assertEquals(409, KvTesting.refusal(reopened.createNamespace("My Namespace")).status());
        }
    }

    @Test
    void deleteNamespaceRemovesItsKeys() {
        Path dir = tmp.resolve("kv");
        try (KvStore store = KvTesting.open(dir, clock)) {
            String doomed = join(store.namespaceOrCreate("doomed")).id();
            String kept = join(store.namespaceOrCreate("kept")).id();
            KvTesting.put(store, doomed, "a", "1");
            KvTesting.put(store, doomed, "b", "2");
            KvTesting.put(store, kept, "a", "kept");
            assertEquals("1", get(store, doomed, "a")); // cached
            assertTrue(join(store.deleteNamespace(doomed)));
            assertFalse(join(store.deleteNamespace(doomed)));
            assertEquals(404, KvTesting.refusal(store.get(doomed, "a")).status());
            // Same id again: a new, empty namespace.
            join(store.namespaceOrCreate("doomed"));
            assertNull(get(store, doomed, "a"));
            assertEquals(List.of(), listAll(store, doomed, "", 1000));
            assertEquals("kept", get(store, kept, "a"));
        }
        try (KvStore reopened = KvTesting.open(dir, clock)) {
            assertEquals(List.of(), listAll(reopened, "doomed", "", 1000));
            assertEquals("kept", get(reopened, "kept", "a"));
        }
    }

    @Test
    void manyConcurrentPutsAllCompleteAndAreReadable() throws Exception {
        Path dir = tmp.resolve("kv");
        int threads = 8;
        int perThread = 250;
        try (KvStore store = KvTesting.open(dir, clock)) {
            String ns = KvTesting.namespace(store);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<List<CompletableFuture<Void>>>> submitted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                submitted.add(pool.submit(() -> {
                    List<CompletableFuture<Void>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(store.put(ns, KvPut.of("c/" + thread + "/" + i, bytes(thread + ":" + i))));
                    }
                    return mine;
                }));
            }
            for (Future<List<CompletableFuture<Void>>> f : submitted) {
                f.get().forEach(KvTesting::join);
            }
            pool.shutdown();
            assertEquals(threads * perThread, listAll(store, ns, "c/", 1000).size());
            for (int t = 0; t < threads; t++) {
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    keys.add("c/" + t + "/" + i);
                }
                for (int from = 0; from < perThread; from += 100) {
                    Map<String, KvEntry> got = join(store.getBulk(ns, keys.subList(from, Math.min(perThread, from + 100))));
                    for (var e : got.entrySet()) {
                        String[] parts = e.getKey().split("/");
                        assertEquals(parts[1] + ":" + parts[2], KvTesting.text(e.getValue()));
                    }
                }
            }
        }
    }
}
