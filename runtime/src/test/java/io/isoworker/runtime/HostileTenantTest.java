package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile scripts run while an innocent tenant is served under steady load: each hostile request fails the way it
 * should, the server stays up, and the innocent tenant sees no error at all. (The latency the innocent tenant sees
 * belongs in a benchmark, not here.)
 */
@Timeout(180)
class HostileTenantTest {

    private static TestServer server;

    private static final String HOSTILE = """
            let state = 'fresh';
            export default {
              async fetch(request, env, ctx) {
                const attack = new URL(request.url).pathname.slice(1);
                const before = state;
                state = 'used';
                switch (attack) {
                  case 'loop': for (;;) {}
                  case 'microtasks': { const spin = async () => { await null; return spin(); }; await spin(); break; }
                  case 'timer': setTimeout(() => { for (;;) {} }, 0); return new Response('answered before the timer');
                  case 'waituntil': // after a timer, so that the response is out first
                    ctx.waitUntil(new Promise((r) => setTimeout(r, 10)).then(() => { for (;;) {} }));
                    return new Response('answered before the background work');
                  case 'arrays': { const kept = []; for (;;) kept.push(new Array(100000).fill(1)); }
                  case 'typed': { const kept = []; for (;;) kept.push(new Uint8Array(1 << 20)); }
                  case 'map': { const m = new Map(); for (let i = 0; ; i++) m.set(i, { i }); }
                  case 'recursion': {
                    const r = (n) => r(n + 1) + 1;
                    try { r(0); } catch (e) { return new Response('caught ' + e.name); }
                    return new Response('no error?');
                  }
                  case 'regex': return new Response(String(/^(a+)+$/.test('a'.repeat(40) + 'b')));
                  case 'endless': { // a body that never ends: a chunk on every pull, for ever
                    const chunk = new Uint8Array(65536).fill(120);
                    return new Response(new ReadableStream({ pull(c) { c.enqueue(chunk); } }));
                  }
                  case 'gigantic': { // 64 GiB, each chunk made afresh
                    let left = 1 << 20;
                    return new Response(new ReadableStream({ pull(c) {
                      if (left-- === 0) { c.close(); return; }
                      c.enqueue(new Uint8Array(65536).fill(left & 255));
                    } }));
                  }
                  case 'state': return new Response(before);
                }
                return new Response('unknown attack ' + attack);
              },
            };
            """;

    @BeforeAll
    static void start() throws Exception {
        // One guest thread: every hostile request meets the same isolate, so "the isolate is really gone" can be
        // checked through its module state. (LanesTest shows that, with more guest threads, a busy script leaves
        // the others' threads free.)
        server = TestServer.start("cpu-ms", "300", "memory-mb", "64", "event-loops", "1", "guest-threads", "1");
        server.deploy("hostile", HOSTILE);
        server.deploy("innocent", "export default { fetch(r) { return new Response('innocent ok'); } };");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** Runs {@code attack} while a client thread keeps calling the innocent tenant; returns the attack's answer. */
    private static HttpResponse<String> underLoad(String attack) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger served = new AtomicInteger();
        CompletableFuture<Void> load = innocentLoad(stop, errors, served);
        Thread.sleep(100);
        HttpResponse<String> answer = server.get("hostile.localhost", "/" + attack);
        Thread.sleep(700); // whatever the attack left running (a timer, waitUntil work) is stopped meanwhile
        stop.set(true);
        load.get();
        assertEquals(List.of(), errors, attack + ": the innocent tenant saw errors");
        assertTrue(served.get() > 0, attack + ": the innocent tenant was never served");
        return answer;
    }

    private static CompletableFuture<Void> innocentLoad(AtomicBoolean stop, List<String> errors) {
        return innocentLoad(stop, errors, new AtomicInteger());
    }

    /** A client thread that calls the innocent tenant until {@code stop}; what went wrong goes to {@code errors}. */
    private static CompletableFuture<Void> innocentLoad(AtomicBoolean stop, List<String> errors, AtomicInteger served) {
        return CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
                try {
                    HttpResponse<String> r = server.get("innocent.localhost", "/");
                    if (r.statusCode() == 200 && r.body().equals("innocent ok")) {
                        served.incrementAndGet();
                    } else {
                        errors.add(r.statusCode() + " " + r.body());
                    }
                } catch (Exception e) {
                    errors.add(e.toString());
                }
            }
        });
    }

    private static void assertLimit(String attack, String message) throws Exception {
        HttpResponse<String> r = underLoad(attack);
        assertEquals(503, r.statusCode(), attack + ": " + r.body());
        assertTrue(r.body().contains(message), attack + ": " + r.body());
        assertEquals("fresh", server.get("hostile.localhost", "/state").body(), attack + ": the isolate is really gone");
    }

    @Test
    void infiniteLoops() throws Exception {
        assertLimit("loop", "Exceeded CPU time limit");
        // Each turn makes a promise: the memory budget or the CPU budget, whichever comes first.
        assertLimit("microtasks", "Exceeded");
    }

    @Test
    void loopsAfterTheResponse() throws Exception {
        for (String attack : List.of("timer", "waituntil")) {
            HttpResponse<String> r = underLoad(attack);
            assertEquals(200, r.statusCode(), attack + ": " + r.body());
            assertEquals("fresh", server.get("hostile.localhost", "/state").body(),
                    attack + ": the spinning isolate was discarded");
        }
    }

    @Test
    void allocationBombs() throws Exception {
        assertLimit("arrays", "Exceeded");
        assertLimit("typed", "Exceeded");
        assertLimit("map", "Exceeded");
    }

    @Test
    void recursionIsACatchableRangeError() throws Exception {
        HttpResponse<String> r = underLoad("recursion");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("caught RangeError", r.body());
    }

    @Test
    void theClassicCatastrophicRegexRunsInLinearTime() throws Exception {
        // GraalJS's TRegex matches /^(a+)+$/ with an automaton, not by backtracking: no blow-up to stop.
        HttpResponse<String> r = underLoad("regex");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("false", r.body());
    }

    /** Reads up to {@code limit} bytes of the attack's body, then hangs up; returns what was read (-1 on a reset). */
    private static long readSome(String attack, long limit) throws Exception {
        HttpResponse<java.io.InputStream> r = server.http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(server.traffic("/" + attack))).header("host", "hostile.localhost").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        long read = 0;
        byte[] buffer = new byte[65536];
        try (java.io.InputStream in = r.body()) {
            int n;
            while (read < limit && (n = in.read(buffer)) > 0) {
                read += n;
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return read;
    }

    @Test
    void aBodyThatNeverEndsGoesOnWhileTheClientReadsAndStopsWhenItHangsUp() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> load = innocentLoad(stop, errors);
        assertEquals(8L << 20, readSome("endless", 8L << 20), "the client read what it wanted");
        Thread.sleep(1000); // a pump still running would pass the 300 ms CPU limit meanwhile
        assertEquals("used", server.get("hostile.localhost", "/state").body(),
                "the isolate lives on: the stream stopped when the client hung up");
        stop.set(true);
        load.get();
        assertEquals(List.of(), errors, "the innocent tenant saw errors");
    }

    @Test
    void aGiganticResponseStreamsAsLongAsTheClientReads() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> load = innocentLoad(stop, errors);
        // Moving a body along is not charged to the request's CPU budget (on Workers it is the runtime's work): each
        // run of the stream's pull stays far under the limit, so 32 MiB of a 64 GiB body go through, chunk by chunk.
        assertEquals(32L << 20, readSome("gigantic", 32L << 20));
        Thread.sleep(1000);
        assertEquals("used", server.get("hostile.localhost", "/state").body(), "the stream stopped at the hang-up");
        stop.set(true);
        load.get();
        assertEquals(List.of(), errors, "the innocent tenant saw errors");
    }
}
