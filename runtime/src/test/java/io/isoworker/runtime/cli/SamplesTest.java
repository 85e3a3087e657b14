package io.isoworker.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.isoworker.isolate.IsolateSettings;
import io.isoworker.runtime.IsoworkerServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Each sample in {@code samples/} runs as {@code isoworker dev} runs it (its folder, wrangler.toml and .dev.vars read
 * by the same code), from a copy in a temporary folder, and answers as its README says.
 */
class SamplesTest {

    private static final Path SAMPLES = Path.of("..", "samples").toAbsolutePath().normalize();

    @TempDir
    Path work;

    private record Dev(IsoworkerServer server, HttpClient http) implements AutoCloseable {
        HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpRequest.Builder to(String path) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .timeout(Duration.ofSeconds(30));
        }

        HttpResponse<String> get(String path) throws Exception {
            return send(to(path));
        }

        @Override
        public void close() {
            http.close();
            server.close();
        }
    }

    private Dev dev(String sample) throws Exception {
        Path copy = work.resolve(sample);
        copyTree(SAMPLES.resolve(sample), copy);
        DevProject.Loaded project = DevProject.load(copy, null);
        IsolateSettings settings = IsolateSettings.DEFAULTS.withPrewarmedContexts(1).withGuestThreads(1, 1)
                .withRequestCpuLimit(Duration.ofSeconds(30));
        IsoworkerServer server = IsoworkerServer.dev(project.script(), "127.0.0.1", 0, settings,
                work.resolve(sample + "-kv"), project.config().cronSchedules(), java.time.Clock.systemUTC());
        return new Dev(server, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path rel = from.relativize(f);
                if (rel.toString().startsWith(".isoworker")) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    @Test
    void hello() throws Exception {
        try (Dev dev = dev("hello")) {
            HttpResponse<String> r = dev.get("/some/path");
            assertEquals(200, r.statusCode());
            assertEquals("Hello from isoworker! You asked for GET http://127.0.0.1:" + dev.server().port()
                    + "/some/path\n", r.body());
        }
    }

    @Test
    void jsonApi() throws Exception {
        try (Dev dev = dev("json-api")) {
            JsonObject all = new JsonObject(dev.get("/api/books").body());
            assertEquals(2, all.getInteger("count"));
            JsonObject butler = new JsonObject(dev.get("/api/books?author=butler").body());
            assertEquals("Kindred", butler.getJsonArray("books").getJsonObject(0).getString("title"));

            HttpResponse<String> created = dev.send(dev.to("/api/books").header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"title\":\"Dhalgren\",\"author\":\"Samuel R. Delany\",\"year\":1975}")));
            assertEquals(201, created.statusCode(), created.body());
            String id = new JsonObject(created.body()).getString("id");
            assertEquals("/api/books/" + id, created.headers().firstValue("location").orElse(null));
            assertEquals("Dhalgren", new JsonObject(dev.get("/api/books/" + id).body()).getString("title"));

            assertEquals(415, dev.send(dev.to("/api/books").POST(HttpRequest.BodyPublishers.ofString("x")))
                    .statusCode());
            assertEquals(400, dev.send(dev.to("/api/books").header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{nope"))).statusCode());
            assertEquals(422, dev.send(dev.to("/api/books").header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\":1}"))).statusCode());

            assertEquals(204, dev.send(dev.to("/api/books/" + id).DELETE()).statusCode());
            assertEquals(404, dev.get("/api/books/" + id).statusCode());
            HttpResponse<String> wrongMethod = dev.send(dev.to("/api/books/1").PUT(
                    HttpRequest.BodyPublishers.ofString("{}")));
            assertEquals(405, wrongMethod.statusCode());
            assertEquals("GET, DELETE", wrongMethod.headers().firstValue("allow").orElse(null));
            assertEquals(404, dev.get("/nowhere").statusCode());

            JsonObject info = new JsonObject(dev.send(dev.to("/api/info").header("user-agent", "samples-test"))
                    .body());
            assertEquals("1", info.getString("version"));
            assertEquals("samples-test", info.getString("userAgent"));
        }
    }

    @Test
    void cronKv() throws Exception {
        try (Dev dev = dev("cron-kv")) {
            assertEquals(2, dev.server().scripts().schedules("cron-kv").size(), "both schedules are set");
            assertEquals("{\"lastRun\":null,\"runs\":[],\"summaries\":[]}", dev.get("/").body());
            HttpResponse<String> ran = dev.get("/__scheduled?cron=*/5+*+*+*+*&time=1796356800000");
            assertEquals(200, ran.statusCode(), ran.body());
            assertEquals("Ran scheduled event\n", ran.body());
            JsonObject state = new JsonObject(dev.get("/").body());
            assertEquals(new JsonObject().put("cron", "*/5 * * * *").put("scheduledTime", "2026-12-04T04:00:00.000Z"),
                    state.getJsonObject("lastRun"));
            assertEquals(200, dev.get("/__scheduled?cron=0+3+*+*+*&time=1796353200000").statusCode());
            state = new JsonObject(dev.get("/").body());
            assertEquals(2, state.getJsonArray("runs").size());
            assertEquals(new JsonArray().add("summary/2026-12-04"), state.getJsonArray("summaries"));
        }
    }

    @Test
    void urlShortener() throws Exception {
        Path sample = work.resolve("url-shortener");
        try (Dev dev = devWithDevVars()) {
            HttpResponse<String> made = dev.send(dev.to("/api/links").POST(HttpRequest.BodyPublishers.ofString(
                    "{\"url\":\"https://developers.cloudflare.com/kv/\"}")));
            assertEquals(201, made.statusCode(), made.body());
            JsonObject link = new JsonObject(made.body());
            String code = link.getString("code");
            assertTrue(code.matches("[A-Za-z0-9]{7}"), code);
            assertEquals("http://127.0.0.1:" + dev.server().port() + "/" + code, link.getString("short"));

            for (int i = 0; i < 2; i++) {
                HttpResponse<String> go = dev.get("/" + code);
                assertEquals(302, go.statusCode());
                assertEquals("https://developers.cloudflare.com/kv/", go.headers().firstValue("location").orElse(null));
            }
            // the visit count is written after each redirect (waitUntil): wait for the second one
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            JsonObject stats = new JsonObject(dev.get("/api/links/" + code).body());
            while (stats.getInteger("visits") < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                stats = new JsonObject(dev.get("/api/links/" + code).body());
            }
            assertEquals(2, stats.getInteger("visits"), stats.encode());
            JsonArray links = new JsonObject(dev.get("/api/links").body()).getJsonArray("links");
            assertEquals(code, links.getJsonObject(0).getString("code"));

            assertEquals(400, dev.send(dev.to("/api/links").POST(HttpRequest.BodyPublishers.ofString(
                    "{\"url\":\"javascript:alert(1)\"}"))).statusCode());
            assertEquals(400, dev.send(dev.to("/api/links").POST(HttpRequest.BodyPublishers.ofString("[]")))
                    .statusCode());
            assertEquals(401, dev.send(dev.to("/api/links/" + code).DELETE()).statusCode());
            assertEquals(204, dev.send(dev.to("/api/links/" + code).header("authorization", "Bearer change-me")
                    .DELETE()).statusCode());
            assertEquals(404, dev.get("/" + code).statusCode());
        }
        assertTrue(Files.isRegularFile(sample.resolve(".dev.vars")));
    }

    /** The url-shortener with its .dev.vars made from the example, as its README says. */
    private Dev devWithDevVars() throws Exception {
        Path copy = work.resolve("url-shortener");
        copyTree(SAMPLES.resolve("url-shortener"), copy);
        Files.copy(copy.resolve(".dev.vars.example"), copy.resolve(".dev.vars"));
        DevProject.Loaded project = DevProject.load(copy, null);
        IsolateSettings settings = IsolateSettings.DEFAULTS.withPrewarmedContexts(1).withGuestThreads(1, 1)
                .withRequestCpuLimit(Duration.ofSeconds(30));
        IsoworkerServer server = IsoworkerServer.dev(project.script(), "127.0.0.1", 0, settings,
                work.resolve("url-shortener-kv"), project.config().cronSchedules(), java.time.Clock.systemUTC());
        return new Dev(server, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build());
    }
}
