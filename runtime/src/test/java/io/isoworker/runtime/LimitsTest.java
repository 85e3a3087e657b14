package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.vertx.core.json.JsonObject;

/** Per-script limits that protect the other tenants (issue 6). */
@Timeout(120)
class LimitsTest {

    private static final String SLOW = """
            export default {
              async fetch(request) {
                await new Promise((resolve) => setTimeout(resolve, 1500));
                return new Response('slow done');
              },
            };
            """;

    @Test
    void requestsOverAScriptsConcurrencyLimitGetA503WithRetryAfterNotAQueue() throws Exception {
        try (TestServer s = TestServer.start("max-concurrent-requests", "2", "event-loops", "2");
                LogCapture log = new LogCapture("io.isoworker.runtime.traffic.TrafficHandler")) {
            s.deploy("slow", SLOW);
            s.deploy("other", "export default { fetch() { return new Response('other ok'); } };");
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(s.http.sendAsync(HttpRequest.newBuilder(URI.create(s.traffic("/" + i)))
                        .header("host", "slow.localhost").timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
                Thread.sleep(200); // let each one reach the worker before the next
            }
            HttpResponse<String> refusedEarly = calls.get(2).get();
            assertEquals(503, refusedEarly.statusCode(), refusedEarly.body());
            assertEquals("1", refusedEarly.headers().firstValue("retry-after").orElse(null));
            assertTrue(refusedEarly.body().contains("Too many concurrent requests"), refusedEarly.body());
            assertTrue(!calls.get(0).isDone() || calls.get(0).get().statusCode() == 200,
                    "the third was refused at once, while the first two still ran");
            assertEquals("other ok", s.get("other.localhost", "/").body(), "other scripts are not affected");
            assertEquals("slow done", calls.get(0).get().body());
            assertEquals("slow done", calls.get(1).get().body());
            assertEquals("slow done", s.get("slow.localhost", "/again").body(), "the slots are given back");
            assertTrue(log.text().contains("script slow") && log.text().contains("limit of 2 concurrent requests"),
                    log.text());
        }
    }

    private static TestServer.Multipart withLimits(JsonObject limits, String script) {
        return new TestServer.Multipart()
                .metadata(new JsonObject().put("main_module", "worker.js").put("limits", limits))
                .module("worker.js", "application/javascript+module", script);
    }

    @Test
    void aScriptsOwnCpuLimitFromItsUploadApplies() throws Exception {
        // The server's default is generous; the script asks for 50 ms, as wrangler sends [limits] cpu_ms = 50.
        try (TestServer s = TestServer.start("cpu-ms", "60000", "max-cpu-ms", "60000")) {
            String spin = "export default { fetch(request) { if (new URL(request.url).pathname === '/spin') { for (;;) {} }"
                    + " return new Response('fine'); } };";
            HttpResponse<String> up = s.uploadMultipart("tight", withLimits(new JsonObject().put("cpu_ms", 50), spin));
            assertEquals(200, up.statusCode(), up.body());
            HttpResponse<String> spun = s.send(HttpRequest.newBuilder(URI.create(s.traffic("/spin")))
                    .header("host", "tight.localhost").timeout(Duration.ofSeconds(20)));
            assertEquals(503, spun.statusCode(), spun.body());
            assertTrue(spun.body().contains("Exceeded CPU time limit"), spun.body());
            assertEquals("fine", s.get("tight.localhost", "/").body(), "the next request gets a fresh isolate");
            JsonObject shown = new JsonObject(s.adminGet("/v1/scripts/tight").body());
            assertEquals(50, shown.getJsonObject("limits").getInteger("cpu_ms"));
            s.restart();
            assertEquals(50, new JsonObject(s.adminGet("/v1/scripts/tight").body()).getJsonObject("limits")
                    .getInteger("cpu_ms"), "kept with the version");
        }
    }

    @Test
    void badLimitsAreRefusedAtUpload() throws Exception {
        try (TestServer s = TestServer.start("cpu-ms", "100", "max-cpu-ms", "5000")) {
            String ok = "export default { fetch() { return new Response('x'); } };";
            HttpResponse<String> tooHigh = s.uploadMultipart("a", withLimits(new JsonObject().put("cpu_ms", 5001), ok));
            assertEquals(400, tooHigh.statusCode(), tooHigh.body());
            assertTrue(tooHigh.body().contains("maximum of 5000 ms"), tooHigh.body());
            assertEquals(400, s.uploadMultipart("a", withLimits(new JsonObject().put("cpu_ms", "fast"), ok)).statusCode());
            assertEquals(400, s.uploadMultipart("a", withLimits(new JsonObject().put("cpu_ms", 0), ok)).statusCode());
            HttpResponse<String> unknown = s.uploadMultipart("a", withLimits(new JsonObject().put("memory_mb", 1), ok));
            assertEquals(400, unknown.statusCode());
            assertTrue(unknown.body().contains("memory_mb"), unknown.body());
            assertEquals(200, s.uploadMultipart("a", withLimits(new JsonObject().put("cpu_ms", 5000), ok)).statusCode());
            s.deploy("b", ok);
            assertEquals(100, new JsonObject(s.adminGet("/v1/scripts/b").body()).getJsonObject("limits")
                    .getInteger("cpu_ms"), "a script without limits gets the server's default");
        }
    }

    @Test
    void anAllocationBombGetsA503AndItsIsolateIsDiscarded() throws Exception {
        try (TestServer s = TestServer.start("memory-mb", "32", "cpu-ms", "60000");
                LogCapture log = new LogCapture("io.isoworker.isolate.Isolate")) {
            s.deploy("bomb", """
                    const kept = [];
                    export default {
                      fetch(request) {
                        const path = new URL(request.url).pathname;
                        if (path === '/grow') {
                          for (;;) kept.push(new Array(100000).fill(kept.length));
                        }
                        if (path === '/double') {
                          let s = 'x';
                          for (;;) s = s + s;
                        }
                        kept.push(new Array(1000).fill(0)); // a few KiB per request: fine
                        return new Response('kept ' + kept.length);
                      },
                    };
                    """);
            s.deploy("bystander", "export default { fetch() { return new Response('unaffected'); } };");
            assertEquals("kept 1", s.get("bomb.localhost", "/").body());
            assertEquals("kept 2", s.get("bomb.localhost", "/").body());
            HttpResponse<String> grown = s.get("bomb.localhost", "/grow");
            assertEquals(503, grown.statusCode(), grown.body());
            assertTrue(grown.body().contains("Exceeded memory limit"), grown.body());
            assertEquals("kept 1", s.get("bomb.localhost", "/").body(), "a fresh isolate: the module state is gone");
            // GraalJS concatenates lazily (ropes): doubling a string allocates little and ends in the engine's own
            // catchable RangeError (Invalid string length), an uncaught exception: a 500, as on Workers.
            HttpResponse<String> doubled = s.get("bomb.localhost", "/double");
            assertEquals(500, doubled.statusCode(), doubled.body());
            assertEquals("unaffected", s.get("bystander.localhost", "/").body());
            assertTrue(log.text().contains("script bomb") && log.text().contains("exceeded its memory limit")
                    && log.text().matches("(?s).*\\(allocated \\d+ MiB\\).*"),
                    log.text());
        }
    }

    @Test
    void requestHeadersOver128KiBGet431() throws Exception {
        try (TestServer s = TestServer.start()) {
            s.deploy("headers", "export default { fetch(r) { return new Response(String(r.headers.get('x-big').length)); } };");
            HttpResponse<String> fits = s.send(HttpRequest.newBuilder(URI.create(s.traffic("/")))
                    .header("host", "headers.localhost").header("x-big", "a".repeat(100_000)));
            assertEquals("100000", fits.body());
            HttpResponse<String> tooBig = s.send(HttpRequest.newBuilder(URI.create(s.traffic("/")))
                    .header("host", "headers.localhost").header("x-big", "a".repeat(140_000)));
            assertEquals(431, tooBig.statusCode());
            assertEquals("100000", s.send(HttpRequest.newBuilder(URI.create(s.traffic("/")))
                    .header("host", "headers.localhost").header("x-big", "a".repeat(100_000))).body(), "still serving");
        }
    }

    @Test
    void aWorkerThatNeverAnswersGetsA503AtItsWallClockLimit() throws Exception {
        try (TestServer s = TestServer.start("response-timeout-ms", "1500")) {
            s.deploy("never", """
                    let calls = 0;
                    export default {
                      fetch(request) {
                        calls++;
                        if (new URL(request.url).pathname === '/hang') {
                          return new Promise(() => {}); // never settles
                        }
                        return new Response('calls ' + calls);
                      },
                    };
                    """);
            CompletableFuture<HttpResponse<String>> hang = s.http.sendAsync(HttpRequest.newBuilder(
                    URI.create(s.traffic("/hang"))).header("host", "never.localhost").timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(300);
            assertEquals("calls 2", s.get("never.localhost", "/").body(), "other requests go on meanwhile");
            HttpResponse<String> r = hang.get();
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(r.body().contains("Exceeded wall-clock time limit"), r.body());
            assertEquals("calls 3", s.get("never.localhost", "/").body(), "the isolate was kept: only the request ended");
        }
    }

    @Test
    void aScriptBurningCpuLeavesTheOtherTenantsThreadsFree() throws Exception {
        // One event loop and two guest threads, at most one of them per script: while the busy script spins for
        // seconds, the other tenant is served on the other thread and by the same event loop.
        try (TestServer s = TestServer.start("cpu-ms", "2000", "event-loops", "1", "guest-threads", "2",
                "guest-threads-per-script", "1")) {
            s.deploy("busy", "export default { fetch() { for (;;) {} } };");
            s.deploy("calm", "export default { fetch() { return new Response('calm ok'); } };");
            assertEquals("calm ok", s.get("calm.localhost", "/warm").body());
            List<CompletableFuture<HttpResponse<String>>> busy = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                busy.add(s.http.sendAsync(HttpRequest.newBuilder(URI.create(s.traffic("/spin" + i)))
                        .header("host", "busy.localhost").timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
            }
            Thread.sleep(300); // both spinning requests have reached the busy script's one thread
            for (int i = 0; i < 10; i++) {
                assertEquals("calm ok", s.get("calm.localhost", "/" + i).body());
            }
            assertTrue(!busy.get(0).isDone() && !busy.get(1).isDone(),
                    "the calm tenant was served while the busy script still spun");
            assertEquals(503, busy.get(0).get().statusCode());
            assertEquals(503, busy.get(1).get().statusCode());
        }
    }

    /** Spins a little in every turn of an endless chain of timers: no single run of guest code is long. */
    private static final String SPIN_IN_TURNS = """
            let turns = 0;
            const spin = () => { let x = 0; for (let i = 0; i < 20000; i++) x += i; return x; };
            const turn = () => new Promise((resolve) => setTimeout(resolve, 0)).then(spin);
            export default {
              async fetch(request, env, ctx) {
                const path = new URL(request.url).pathname;
                if (path === '/turns') return new Response(String(turns));
                if (path === '/background') {
                  ctx.waitUntil((async () => { for (;;) { await turn(); turns++; } })());
                  return new Response('answered');
                }
                for (;;) { await turn(); turns++; }
              },
            };
            """;

    @Test
    void cpuTimeIsChargedToTheRequestAcrossItsAwaitsAndItsWaitUntilWork() throws Exception {
        try (TestServer s = TestServer.start("cpu-ms", "300", "response-timeout-ms", "60000", "guest-threads", "1")) {
            s.deploy("turns", SPIN_IN_TURNS);
            HttpResponse<String> r = s.get("turns.localhost", "/");
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(r.body().contains("Exceeded CPU time limit"), r.body());
            assertEquals("0", s.get("turns.localhost", "/turns").body(), "a fresh isolate");

            assertEquals("answered", s.get("turns.localhost", "/background").body());
            String turns = "";
            for (int i = 0; i < 200 && !turns.equals("0"); i++) {
                Thread.sleep(50);
                turns = s.get("turns.localhost", "/turns").body(); // once the work is stopped, a fresh isolate
            }
            assertEquals("0", turns, "the background work was stopped at the request's CPU limit");
        }
    }

    @Test
    void waitUntilWorkIsCancelledAtItsLimit() throws Exception {
        try (TestServer s = TestServer.start("wait-until-timeout-ms", "400", "guest-threads", "1");
                LogCapture log = new LogCapture("io.isoworker.isolate.Isolate")) {
            s.deploy("ticker", """
                    let ticks = 0;
                    export default {
                      fetch(request, env, ctx) {
                        if (new URL(request.url).pathname === '/ticks') return new Response(String(ticks));
                        ctx.waitUntil(new Promise(() => { setInterval(() => { ticks++; }, 10); }));
                        return new Response('started');
                      },
                    };
                    """);
            assertEquals("started", s.get("ticker.localhost", "/").body());
            Thread.sleep(1000);
            long first = Long.parseLong(s.get("ticker.localhost", "/ticks").body());
            Thread.sleep(300);
            long second = Long.parseLong(s.get("ticker.localhost", "/ticks").body());
            assertTrue(first > 0, "the interval ran before its limit");
            assertEquals(first, second, "the interval no longer runs once its waitUntil work was cancelled");
            assertTrue(log.text().contains("script ticker") && log.text().contains("ran past its limit of 400 ms"),
                    log.text());
        }
    }

    @Test
    void aConfiguredResponseSizeCapAbortsTheStream() throws Exception {
        try (TestServer s = TestServer.start("max-response-body", "1000000");
                LogCapture log = new LogCapture("io.isoworker.runtime.traffic.VertxResponseSink")) {
            s.deploy("big", """
                    export default {
                      fetch(request) {
                        const size = Number(new URL(request.url).searchParams.get('size'));
                        const chunk = new Uint8Array(10000).fill(97);
                        let sent = 0;
                        return new Response(new ReadableStream({
                          pull(c) { if (sent >= size) { c.close(); return; } c.enqueue(chunk); sent += chunk.length; },
                        }));
                      },
                    };
                    """);
            HttpResponse<String> small = s.get("big.localhost", "/?size=1000000");
            assertEquals(200, small.statusCode());
            assertEquals(1000000, small.body().length(), "a body at the cap is whole");
            java.io.IOException cut = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> s.get("big.localhost", "/?size=5000000"));
            assertTrue(log.text().contains("script big") && log.text().contains("limit of 1000000 bytes"),
                    log.text() + " / " + cut);
            assertEquals(200, s.get("big.localhost", "/?size=10").statusCode(), "the worker goes on serving");
        }
    }

    @Test
    void aVersionThatKeepsRunningOverItsLimitsIsRefusedForACoolOff() throws Exception {
        try (TestServer s = TestServer.start("cpu-ms", "200");
                LogCapture log = new LogCapture("io.isoworker.runtime.traffic.LimitCooloff")) {
            String spinner = """
                    export default {
                      fetch(request) {
                        if (new URL(request.url).pathname === '/ok') return new Response('ok');
                        for (;;) {}
                      },
                    };
                    """;
            s.deploy("spinner", spinner);
            for (int i = 0; i < 2; i++) {
                assertTrue(s.get("spinner.localhost", "/spin").body().contains("Exceeded CPU time limit"));
            }
            assertEquals("ok", s.get("spinner.localhost", "/ok").body(), "a normal answer ends the strikes");
            for (int i = 0; i < 3; i++) {
                assertTrue(s.get("spinner.localhost", "/spin").body().contains("Exceeded CPU time limit"));
            }
            HttpResponse<String> refused = s.get("spinner.localhost", "/ok");
            assertEquals(503, refused.statusCode());
            assertTrue(refused.body().contains("Worker exceeded resource limits"), refused.body());
            assertEquals("1", refused.headers().firstValue("retry-after").orElse(null));
            assertTrue(log.text().contains("script spinner: 3 requests in a row ran over"), log.text());
            s.deploy("spinner", spinner); // a new version starts afresh
            assertEquals("ok", s.get("spinner.localhost", "/ok").body());
        }
    }
}
