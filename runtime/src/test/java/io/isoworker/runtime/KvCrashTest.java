package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * KV durability as a user would test it: {@code isoworker serve} runs as a child process, workers write keys, the
 * process is killed with SIGKILL while writes are in flight, and after a restart on the same data directory every
 * write that was acknowledged (its worker's {@code await put} resolved and the client got the 200) is there with its
 * value. Writes that were in flight may be there or not, but never with a value that was not written.
 */
@Timeout(180)
class KvCrashTest {

    private final List<ServerProcess> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws Exception {
        for (ServerProcess p : children) {
            p.close();
        }
    }

    private ServerProcess start(Path data) throws Exception {
        ServerProcess p = ServerProcess.start(data, List.of(), "--event-loops", "2", "--cpu-ms", "60000");
        children.add(p);
        return p;
    }

    @Test
    void everyAcknowledgedWriteSurvivesSigkill(@TempDir Path data) throws Exception {
        ServerProcess first = start(data);
        HttpResponse<String> created = first.admin("POST", "/v1/kv/namespaces", "application/json",
                "{\"title\":\"crash\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, created.statusCode(), created.body());
        String ns = new JsonObject(created.body()).getJsonObject("result").getString("id");
        TestServer.Multipart upload = new TestServer.Multipart()
                .metadata(new JsonObject().put("main_module", "worker.js").put("bindings", new JsonArray()
                        .add(new JsonObject().put("type", "kv_namespace").put("name", "KV").put("namespace_id", ns))))
                .module("worker.js", "application/javascript+module", """
                        export default {
                          async fetch(request, env) {
                            const url = new URL(request.url);
                            await env.KV.put(url.searchParams.get('k'), url.searchParams.get('v'));
                            return new Response('stored');
                          },
                        };
                        """);
        HttpResponse<String> deployed = first.admin("PUT", "/v1/scripts/writer", upload.contentType(), upload.bytes());
        assertEquals(200, deployed.statusCode(), deployed.body());

        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        Map<String, String> attempted = new ConcurrentHashMap<>();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger acks = new AtomicInteger();
        int clients = 6;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int t = 0; t < clients; t++) {
            int thread = t;
            pool.execute(() -> {
                for (int i = 0; !killed.get() && i < 100_000; i++) {
                    // Each thread rewrites its own keys with growing values, so a key's last acknowledged value is
                    // known, and any value read back must be one this thread wrote.
                    String key = "t" + thread + "-k" + (i % 50);
                    String value = "t" + thread + "-v" + i;
                    attempted.merge(key, value, (a, b) -> a + "," + b);
                    try {
                        HttpResponse<String> r = first.http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + first.port + "/?k=" + key + "&v=" + value))
                                .header("host", "writer.localhost").timeout(Duration.ofSeconds(10)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200 && r.body().equals("stored")) {
                            acknowledged.put(key, value);
                            acks.incrementAndGet();
                        }
                    } catch (Exception e) {
                        return; // the server is gone
                    }
                }
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acks.get() < 400 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(acks.get() >= 400, "only " + acks.get() + " writes were acknowledged in 60 s");
        killed.set(true);
        first.process.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close of the database
        assertTrue(first.process.waitFor(20, TimeUnit.SECONDS));
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        Map<String, String> acked = Map.copyOf(acknowledged);

        ServerProcess second = start(data);
        Map<String, String> stored = new java.util.HashMap<>();
        String cursor = "";
        do {
            HttpResponse<String> page = second.admin("GET", "/v1/kv/namespaces/" + ns + "/keys?limit=1000&cursor="
                    + cursor, null, null);
            assertEquals(200, page.statusCode(), page.body());
            JsonObject body = new JsonObject(page.body());
            for (Object o : body.getJsonArray("result")) {
                String key = ((JsonObject) o).getString("name");
                HttpResponse<String> value = second.admin("GET", "/v1/kv/namespaces/" + ns + "/values/" + key, null, null);
                assertEquals(200, value.statusCode(), value.body());
                stored.put(key, value.body());
            }
            cursor = body.getJsonObject("result_info").getString("cursor");
        } while (!cursor.isEmpty());

        for (Map.Entry<String, String> e : acked.entrySet()) {
            String value = stored.get(e.getKey());
            assertTrue(value != null, "acknowledged key " + e.getKey() + " is lost");
            // The stored value is the last acknowledged one, or a later write of the same key that was in flight.
            int ackedN = Integer.parseInt(e.getValue().substring(e.getValue().indexOf("-v") + 2));
            int storedN = Integer.parseInt(value.substring(value.indexOf("-v") + 2));
            assertTrue(storedN >= ackedN, e.getKey() + ": acknowledged " + e.getValue() + " but found " + value);
        }
        for (Map.Entry<String, String> e : stored.entrySet()) {
            List<String> written = List.of(attempted.getOrDefault(e.getKey(), "").split(","));
            assertTrue(written.contains(e.getValue()), e.getKey() + " holds " + e.getValue() + ", never written");
        }
    }
}
