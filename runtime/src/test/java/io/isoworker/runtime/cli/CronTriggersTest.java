package io.isoworker.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.isoworker.isolate.IsolateSettings;
import io.isoworker.runtime.IsoworkerServer;
import io.isoworker.runtime.cron.CronTriggers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Cron triggers as {@code isoworker dev} runs them: the schedules from wrangler.toml fire on the minutes of a clock
 * the test moves, {@code /__scheduled} fires one by hand, runs of one script do not overlap, failures are counted.
 */
class CronTriggersTest {

    /** A clock that stays where the test puts it. */
    private static final class TestClock extends Clock {
        volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TempDir
    Path dir;

    private IsoworkerServer start(String worker, TestClock clock) throws Exception {
        Files.writeString(dir.resolve("wrangler.toml"), """
                name = "cron"
                main = "worker.js"
                [[kv_namespaces]]
                binding = "KV"
                [triggers]
                crons = ["*/5 * * * *"]
                """);
        Files.writeString(dir.resolve("worker.js"), worker);
        DevProject.Loaded project = DevProject.load(dir, null);
        IsolateSettings settings = IsolateSettings.DEFAULTS.withPrewarmedContexts(1).withGuestThreads(1, 1)
                .withRequestCpuLimit(Duration.ofSeconds(30));
        return IsoworkerServer.dev(project.script(), "127.0.0.1", 0, settings, dir.resolve(".isoworker/kv"),
                project.config().cronSchedules(), clock);
    }

    private static String get(IsoworkerServer server, String path) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + path)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        }
    }

    private static JsonArray runs(IsoworkerServer server, int atLeast) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonArray runs = new JsonArray(get(server, "/").substring(4));
        while (runs.size() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(20);
            runs = new JsonArray(get(server, "/").substring(4));
        }
        return runs;
    }

    private static final String MODULE_WORKER = """
            export default {
              async scheduled(controller, env, ctx) {
                if (controller.cron === 'slow') {
                  await new Promise((resolve) => setTimeout(resolve, 1500));
                }
                const runs = JSON.parse(await env.KV.get('runs') ?? '[]');
                runs.push({ cron: controller.cron, time: controller.scheduledTime,
                            controller: controller instanceof ScheduledController, ctx: typeof ctx.waitUntil });
                await env.KV.put('runs', JSON.stringify(runs));
                if (controller.cron === 'fail') {
                  throw new Error('this run fails');
                }
              },
              async fetch(request, env) {
                return new Response(await env.KV.get('runs') ?? '[]');
              },
            };
            """;

    @Test
    void schedulesFireOnTheClocksMinutesAndByHand() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-12-04T10:12:30Z"));
        IsoworkerServer server = start(MODULE_WORKER, clock);
        try {
            CronTriggers triggers = server.cronTriggers();
            triggers.wake(Instant.parse("2026-12-04T10:14:59Z"));
            assertEquals(0, triggers.counts("cron").runs(), "nothing was due before 10:15");

            triggers.wake(Instant.parse("2026-12-04T10:15:00.005Z"));
            JsonArray runs = runs(server, 1);
            assertEquals(1, runs.size(), runs.encode());
            JsonObject first = runs.getJsonObject(0);
            assertEquals("*/5 * * * *", first.getString("cron"));
            assertEquals(Instant.parse("2026-12-04T10:15:00Z").toEpochMilli(), first.getLong("time"));
            assertTrue(first.getBoolean("controller"));
            assertEquals("function", first.getString("ctx"));

            // two due times passed (10:20, 10:25) since the last wake: one run, for the latest
            triggers.wake(Instant.parse("2026-12-04T10:27:00Z"));
            runs = runs(server, 2);
            assertEquals(2, runs.size(), runs.encode());
            assertEquals(Instant.parse("2026-12-04T10:25:00Z").toEpochMilli(), runs.getJsonObject(1).getLong("time"));

            clock.now = Instant.parse("2026-12-04T10:28:00Z");
            assertEquals("200 Ran scheduled event\n", get(server, "/__scheduled?cron=*+*+*+*+*"));
            runs = runs(server, 3);
            assertEquals("* * * * *", runs.getJsonObject(2).getString("cron"));
            assertEquals(clock.now.toEpochMilli(), runs.getJsonObject(2).getLong("time"));
            assertEquals("200 Ran scheduled event\n", get(server, "/__scheduled?cron=0+0+*+*+*&time=1000"));
            assertEquals(1000, runs(server, 4).getJsonObject(3).getLong("time"));

            assertTrue(get(server, "/__scheduled?cron=fail").startsWith("500 "));
            assertEquals(1, triggers.counts("cron").failures());
            assertEquals("400 time must be milliseconds since the epoch, got: soon\n",
                    get(server, "/__scheduled?time=soon"));

            // runs of one script do not overlap: a second one while the first is going is skipped
            var slow = triggers.fire("cron", "slow", clock.now);
            assertEquals(CronTriggers.Outcome.SKIPPED, triggers.fire("cron", "* * * * *", clock.now)
                    .get(30, TimeUnit.SECONDS));
            assertEquals(CronTriggers.Outcome.OK, slow.get(30, TimeUnit.SECONDS));
            assertEquals(1, triggers.counts("cron").skipped());
            assertEquals(CronTriggers.Outcome.OK, triggers.fire("cron", "* * * * *", clock.now)
                    .get(30, TimeUnit.SECONDS), "after the slow run ended, the next one runs");
        } finally {
            server.close();
        }
    }

    @Test
    void serviceWorkerSyntaxGetsAScheduledEvent() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-12-04T10:12:30Z"));
        IsoworkerServer server = start("""
                let seen = [];
                addEventListener('scheduled', (event) => {
                  event.waitUntil(KV.put('seen', JSON.stringify({ cron: event.cron, time: event.scheduledTime,
                    type: event.type, isEvent: event instanceof ScheduledEvent })));
                });
                addEventListener('fetch', (event) => event.respondWith(
                  KV.get('seen').then((v) => new Response('[' + (v ?? '') + ']'))));
                """, clock);
        try {
            assertEquals("200 Ran scheduled event\n", get(server, "/__scheduled?cron=*/5+*+*+*+*&time=42"));
            JsonObject seen = runs(server, 1).getJsonObject(0);
            assertEquals("*/5 * * * *", seen.getString("cron"));
            assertEquals(42, seen.getLong("time"));
            assertEquals("scheduled", seen.getString("type"));
            assertTrue(seen.getBoolean("isEvent"));
        } finally {
            server.close();
        }
    }

    @Test
    void aWorkerWithoutAScheduledHandlerFailsItsRunsClearly() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-12-04T10:12:30Z"));
        IsoworkerServer server = start("export default { fetch() { return new Response('[]'); } };", clock);
        try {
            assertTrue(get(server, "/__scheduled").startsWith("500 "));
            assertEquals(1, server.cronTriggers().counts("cron").failures());
            assertEquals("200 []", get(server, "/"), "the worker still serves requests");
        } finally {
            server.close();
        }
    }
}
