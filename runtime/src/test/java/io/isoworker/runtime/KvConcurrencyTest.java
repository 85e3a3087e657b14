package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many requests at once, on two event loops, writing the same key and different keys through a worker: no request
 * fails, every distinct key keeps its value, a reader only ever sees values some writer wrote, and the last write
 * wins.
 */
@Timeout(180)
class KvConcurrencyTest {

    private static final String WORKER = """
            export default {
              async fetch(request, env) {
                const url = new URL(request.url);
                const k = url.searchParams.get('k');
                if (url.pathname === '/put') {
                  await env.KV.put(k, url.searchParams.get('v'));
                  return new Response('ok');
                }
                return new Response(await env.KV.get(k) ?? '<null>');
              },
            };
            """;

    /** One client thread's work: how many of its requests failed. */
    private interface Client {
        int failures(int thread) throws Exception;
    }

    /** Runs {@code client} on {@code threads} threads at once; returns their failures added up. */
    private static int failuresOfConcurrent(int threads, Client client) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit((Callable<Integer>) () -> client.failures(thread)));
        }
        int failures = 0;
        for (Future<Integer> f : done) {
            failures += f.get();
        }
        pool.shutdown();
        return failures;
    }

    private static HttpResponse<String> call(TestServer s, String pathAndQuery) throws Exception {
        return s.send(HttpRequest.newBuilder(URI.create(s.traffic(pathAndQuery))).header("host", "kv-race.localhost"));
    }

    @Test
    void concurrentWritersAndReaders() throws Exception {
        try (TestServer s = TestServer.start("event-loops", "2", "guest-threads", "4", "cpu-ms", "60000")) {
            String ns = s.createNamespace("race");
            s.deployWithKv("kv-race", WORKER, "KV", ns);
            int threads = 8;
            int perThread = 40;
            Set<String> sharedWrites = ConcurrentHashMap.newKeySet();
            Set<String> sharedReads = ConcurrentHashMap.newKeySet();
            int failures = failuresOfConcurrent(threads, thread -> {
                int failed = 0;
                for (int i = 0; i < perThread; i++) {
                    String own = "own-" + thread + "-" + i;
                    String shared = "t" + thread + "-" + i;
                    sharedWrites.add(shared);
                    for (HttpResponse<String> r : List.of(
                            call(s, "/put?k=" + own + "&v=value-of-" + own),
                            call(s, "/put?k=shared&v=" + shared),
                            call(s, "/get?k=shared"))) {
                        if (r.statusCode() != 200) {
                            failed++;
                        } else if (!r.body().equals("ok")) {
                            sharedReads.add(r.body());
                        }
                    }
                }
                return failed;
            });
            assertEquals(0, failures, "requests that failed");
            assertTrue(sharedWrites.containsAll(sharedReads), "a read saw a value nobody wrote: " + sharedReads);
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < perThread; i++) {
                    String own = "own-" + t + "-" + i;
                    assertEquals("value-of-" + own, call(s, "/get?k=" + own).body());
                }
            }
            assertTrue(sharedWrites.contains(call(s, "/get?k=shared").body()));
            assertEquals("ok", call(s, "/put?k=shared&v=the-last-write").body());
            for (int i = 0; i < 4; i++) {
                assertEquals("the-last-write", call(s, "/get?k=shared").body(), "last write wins, on either loop");
            }
        }
    }

    /**
     * Writers put 64 KiB values (a writer's tag repeated) while readers get the same key and writer-readers put then
     * get it in one request: every value read is whole and is one some writer wrote, or null before the first write.
     */
    @Test
    void concurrentReadsOfOneKeyNeverSeeATornOrForeignValue() throws Exception {
        String worker = """
                export default {
                  async fetch(request, env) {
                    const url = new URL(request.url);
                    const tag = url.searchParams.get('tag');
                    if (url.pathname === '/put' || url.pathname === '/putget') {
                      await env.KV.put('big', tag.repeat(65536 / tag.length));
                      if (url.pathname === '/put') return new Response('ok');
                    }
                    const v = await env.KV.get('big');
                    return new Response(v === null ? '<null>' : v);
                  },
                };
                """;
        try (TestServer s = TestServer.start("event-loops", "2", "guest-threads", "4", "cpu-ms", "60000")) {
            String ns = s.createNamespace("torn");
            s.deployWithKv("kv-torn", worker, "KV", ns);
            int threads = 8;
            int perThread = 15;
            Set<String> tags = ConcurrentHashMap.newKeySet();
            List<String> reads = java.util.Collections.synchronizedList(new ArrayList<>());
            int failures = failuresOfConcurrent(threads, thread -> {
                int failed = 0;
                for (int i = 0; i < perThread; i++) {
                    // 8-character tags, so that 65536 / 8 copies make exactly 64 KiB
                    String tag = String.format("w%d-%04d.", thread, i);
                    String op = switch (thread % 3) {
                        case 0 -> "/put";
                        case 1 -> "/putget";
                        default -> "/get";
                    };
                    if (!op.equals("/get")) {
                        tags.add(tag);
                    }
                    HttpResponse<String> r = s.send(HttpRequest.newBuilder(URI.create(s.traffic(op + "?tag=" + tag)))
                            .header("host", "kv-torn.localhost"));
                    if (r.statusCode() != 200) {
                        failed++;
                    } else if (op.equals("/putget") && r.body().equals("<null>")) {
                        failed++; // this request wrote the key before reading it
                    } else if (!r.body().equals("ok")) {
                        reads.add(r.body()); // checked below, once every tag written is known
                    }
                }
                return failed;
            });
            assertEquals(0, failures, "requests that failed");
            for (String read : reads) {
                if (read.equals("<null>")) {
                    continue; // a read before the first write
                }
                String tag = read.substring(0, Math.min(8, read.length()));
                assertTrue(tags.contains(tag), "a read saw a value nobody wrote, starting " + tag);
                assertEquals(tag.repeat(65536 / 8), read, "a torn value (it starts with " + tag + ")");
            }
        }
    }
}
