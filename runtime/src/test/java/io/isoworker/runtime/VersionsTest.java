package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Versions: a new upload takes over atomically, old versions are listed, delete removes, a restart keeps all. */
class VersionsTest {

    private static String versioned(String tag) {
        return "export default { fetch() { return new Response('" + tag + "'); } };";
    }

    /** v1 streams 16 MiB of its tag, so a client that does not read keeps the request in flight. */
    private static final String STREAMING_V1 = """
            const chunk = new Uint8Array(64 * 1024).fill(0x31); // '1'
            export default {
              fetch(request) {
                if (!request.url.endsWith('/stream')) return new Response('v1');
                let sent = 0;
                return new Response(new ReadableStream({
                  pull(controller) {
                    if (sent === 256) { controller.close(); return; }
                    controller.enqueue(chunk);
                    sent++;
                  },
                }));
              },
            };
            """;

    @Test
    void newVersionTakesOverWhileRequestsRun() throws Exception {
        try (TestServer s = TestServer.start("event-loops", "2")) {
            s.deploy("live", STREAMING_V1);
            assertEquals("v1", s.get("live.localhost", "/").body());

            // A long response on v1 stays in flight: we read only its first bytes for now.
            HttpResponse<InputStream> inFlight = s.http.send(HttpRequest.newBuilder(URI.create(s.traffic("/stream")))
                    .header("host", "live.localhost").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            InputStream stream = inFlight.body();
            byte[] first = stream.readNBytes(1024);
            assertEquals('1', first[0]);

            // Steady traffic from other threads while v2 is uploaded: every answer is v1 or v2, never an error.
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<String> answers = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> load = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                load.add(pool.submit(() -> {
                    while (!stop.get()) {
                        HttpResponse<String> r = s.get("live.localhost", "/");
                        answers.add(r.statusCode() + " " + r.body());
                    }
                    return null;
                }));
            }
            Thread.sleep(300);
            JsonObject v2 = s.deploy("live", versioned("v2"));
            // After the upload answered, new requests get v2.
            for (int i = 0; i < 10; i++) {
                assertEquals("v2", s.get("live.localhost", "/").body());
            }
            Thread.sleep(200);
            stop.set(true);
            for (Future<?> f : load) {
                f.get();
            }
            pool.shutdown();
            assertTrue(answers.size() > 10, "load ran: " + answers.size());
            for (String a : answers) {
                assertTrue(a.equals("200 v1") || a.equals("200 v2"), "unexpected answer during the switch: " + a);
            }
            assertTrue(answers.contains("200 v2"));

            // The in-flight v1 response finishes on v1, complete.
            byte[] rest = stream.readAllBytes();
            assertEquals(16 * 1024 * 1024, first.length + rest.length);
            for (byte b : rest) {
                if (b != '1') {
                    throw new AssertionError("the in-flight response changed mid-way");
                }
            }

            JsonArray versions = new JsonObject(s.adminGet("/v1/scripts/live/versions").body()).getJsonArray("versions");
            assertEquals(2, versions.size());
            assertEquals(v2.getString("version_id"), versions.getJsonObject(0).getString("id"), "newest first");
            assertTrue(versions.getJsonObject(0).getBoolean("active"));
            assertTrue(!versions.getJsonObject(1).getBoolean("active"));
        }
    }

    @Test
    void listShowDeleteAndRestart() throws Exception {
        try (TestServer s = TestServer.start()) {
            JsonObject a1 = s.deploy("alpha", versioned("alpha-1"));
            JsonObject a2 = s.deploy("alpha", versioned("alpha-2"));
            s.deploy("beta", versioned("beta-1"));
            assertTrue(!a1.getString("hash").equals(a2.getString("hash")));

            JsonArray scripts = new JsonObject(s.adminGet("/v1/scripts").body()).getJsonArray("scripts");
            assertEquals(2, scripts.size());
            assertEquals("alpha", scripts.getJsonObject(0).getString("name"));
            assertEquals(a2.getString("version_id"), scripts.getJsonObject(0).getString("active_version_id"));
            assertEquals(2, scripts.getJsonObject(0).getInteger("versions"));

            JsonObject shown = new JsonObject(s.adminGet("/v1/scripts/alpha").body());
            assertEquals(a2.getString("version_id"), shown.getJsonObject("active_version").getString("id"));
            assertEquals(a2.getString("hash"), shown.getJsonObject("active_version").getString("hash"));

            // A restart keeps scripts, versions and the active one.
            s.restart();
            assertEquals("alpha-2", s.get("alpha.localhost", "/").body());
            assertEquals("beta-1", s.get("beta.localhost", "/").body());
            JsonArray versions = new JsonObject(s.adminGet("/v1/scripts/alpha/versions").body()).getJsonArray("versions");
            assertEquals(2, versions.size());
            assertEquals(a1.getString("version_id"), versions.getJsonObject(1).getString("id"));
            assertEquals(a1.getString("created_on"), versions.getJsonObject(1).getString("created_on"));

            // Delete removes the script and its traffic; a second delete is a 404.
            HttpResponse<String> del = s.adminDelete("/v1/scripts/alpha");
            assertEquals(200, del.statusCode(), del.body());
            assertEquals(404, s.get("alpha.localhost", "/").statusCode());
            assertEquals(404, s.adminGet("/v1/scripts/alpha").statusCode());
            assertEquals(404, s.adminDelete("/v1/scripts/alpha").statusCode());
            assertEquals("beta-1", s.get("beta.localhost", "/").body());

            // ...and stays deleted after a restart.
            s.restart();
            assertEquals(404, s.get("alpha.localhost", "/").statusCode());
            assertEquals("beta-1", s.get("beta.localhost", "/").body());
            // A re-upload under the deleted name starts a fresh history.
            s.deploy("alpha", versioned("alpha-3"));
            assertEquals("alpha-3", s.get("alpha.localhost", "/").body());
            assertEquals(1, new JsonObject(s.adminGet("/v1/scripts/alpha/versions").body()).getJsonArray("versions").size());
        }
    }

    @Test
    void idleIsolatesAreClosedAndReloadedOnDemand() throws Exception {
        try (TestServer s = TestServer.start("idle-timeout-seconds", "1")) {
            s.deploy("sleepy", "let n = 0; export default { fetch() { return new Response(String(++n)); } };");
            assertEquals("1", s.get("sleepy.localhost", "/").body());
            assertEquals("2", s.get("sleepy.localhost", "/").body());
            long deadline = System.currentTimeMillis() + 10_000;
            while (s.server.isolates().liveIsolates() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(0, s.server.isolates().liveIsolates(), "the idle isolate was evicted");
            // Scale from zero: a fresh isolate, fresh module state.
            assertEquals("1", s.get("sleepy.localhost", "/").body());
        }
    }

    @Test
    void generatedTokenIsStoredOwnerOnlyAndReused() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("isoworker-token");
        try (TestServer s = TestServer.start(dir, "admin-token", "")) {
            var token = s.server.adminToken();
            assertTrue(token.generated());
            assertTrue(token.value().matches("[0-9a-f]{64}"), token.value());
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(token.file())));
            HttpResponse<String> r = s.send(HttpRequest.newBuilder(URI.create(s.admin("/v1/scripts")))
                    .header("authorization", "Bearer " + token.value()).GET());
            assertEquals(200, r.statusCode());
            s.restart();
            assertTrue(!s.server.adminToken().generated());
            assertEquals(token.value(), s.server.adminToken().value());
            assertEquals(token.value() + "\n", java.nio.file.Files.readString(token.file(), StandardCharsets.UTF_8));
        }
    }
}
