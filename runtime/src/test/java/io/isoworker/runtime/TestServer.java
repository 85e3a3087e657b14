package io.isoworker.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.isoworker.runtime.config.ServerConfig;
import io.vertx.core.json.JsonObject;

/** A real isoworker server on random ports for a test, with an HTTP client for its traffic and admin listeners. */
final class TestServer implements AutoCloseable {

    static final String TOKEN = "test-token-0123456789";

    static {
        // The JDK's HTTP client refuses to set Host unless told otherwise (the test JVM also gets this flag).
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    final Path dataDir;
    final Map<String, List<String>> flags;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    IsoworkerServer server;
    /** How far the KV store's clock is ahead of the real one (expiry tests move it). */
    final java.util.concurrent.atomic.AtomicLong kvClockOffset = new java.util.concurrent.atomic.AtomicLong();

    private TestServer(Path dataDir, Map<String, List<String>> flags) throws Exception {
        this.dataDir = dataDir;
        this.flags = flags;
        this.server = IsoworkerServer.serve(config(flags));
    }

    private ServerConfig config(Map<String, List<String>> flags) {
        ServerConfig config = ServerConfig.load(flags, Map.of());
        return config.withKv(config.kv().withClock(() -> System.currentTimeMillis() + kvClockOffset.get()));
    }

    /** Moves the KV store's clock (not the workers' Date) forward. */
    void advanceKvClock(Duration by) {
        kvClockOffset.addAndGet(by.toMillis());
    }

    /** Starts a server; {@code extra} are flag pairs (name, value, name, value...). */
    static TestServer start(String... extra) throws Exception {
        Path dir = Files.createTempDirectory("isoworker-test");
        return start(dir, extra);
    }

    static TestServer start(Path dataDir, String... extra) throws Exception {
        Map<String, List<String>> flags = new LinkedHashMap<>();
        put(flags, "port", "0");
        put(flags, "admin-port", "0");
        put(flags, "host", "127.0.0.1");
        put(flags, "data-dir", dataDir.toString());
        put(flags, "admin-token", TOKEN);
        put(flags, "event-loops", "1");
        // One guest thread, so one isolate per script, as under isoworker dev: many tests read module state back in
        // a later request, which several guest threads (each with its own isolate) do not promise, as Workers does
        // not. Tests of the guest threads and of concurrency set their own.
        put(flags, "guest-threads", "1");
        put(flags, "prewarmed-contexts", "2");
        // Tests run JavaScript interpreted (no JIT in the test JVM), which takes far more CPU and allocates far more
        // than compiled code: the production defaults (50 ms, 128 MiB) are too tight for the conformance runners. Tests
        // of the limits set their own.
        put(flags, "cpu-ms", "1000");
        put(flags, "memory-mb", "0");
        for (int i = 0; i + 1 < extra.length; i += 2) {
            if (!extra[i].equals("route")) {
                flags.remove(extra[i]);
            }
        }
        for (int i = 0; i + 1 < extra.length; i += 2) {
            put(flags, extra[i], extra[i + 1]);
        }
        return new TestServer(dataDir, flags);
    }

    private static void put(Map<String, List<String>> flags, String k, String v) {
        flags.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }

    /** Stops and starts the server again on the same data directory. */
    void restart() throws Exception {
        server.close();
        Map<String, List<String>> again = new LinkedHashMap<>(flags);
        server = IsoworkerServer.serve(config(again));
    }

    String admin(String path) {
        return "http://127.0.0.1:" + server.adminPort() + path;
    }

    String traffic(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    HttpResponse<String> upload(String name, String contentType, String script) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(admin("/v1/scripts/" + name)))
                .header("authorization", "Bearer " + TOKEN)
                .header("content-type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(script)));
    }

    /** Uploads a module-syntax script and fails the test unless it is accepted. */
    JsonObject deploy(String name, String script) throws Exception {
        HttpResponse<String> r = upload(name, "application/javascript+module", script);
        if (r.statusCode() != 200) {
            throw new AssertionError("upload of " + name + " failed: " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body());
    }

    HttpResponse<String> uploadMultipart(String name, Multipart body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(admin("/v1/scripts/" + name)))
                .header("authorization", "Bearer " + TOKEN)
                .header("content-type", body.contentType())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body.bytes())));
    }

    /** Any admin request; {@code body} null for none. */
    HttpResponse<String> adminSend(String method, String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(admin(path))).header("authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            r.header("content-type", contentType);
        }
        return send(r);
    }

    /** Creates a KV namespace through the admin API; its id. */
    String createNamespace(String title) throws Exception {
        HttpResponse<String> r = adminSend("POST", "/v1/kv/namespaces", "application/json",
                new JsonObject().put("title", title).encode().getBytes(StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            throw new AssertionError("creating namespace " + title + " failed: " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body()).getJsonObject("result").getString("id");
    }

    /**
     * Uploads a module-syntax script with KV bindings ({@code bindings}: name, namespace id, name, namespace id...)
     * and fails the test unless it is accepted.
     */
    JsonObject deployWithKv(String name, String script, String... bindings) throws Exception {
        io.vertx.core.json.JsonArray list = new io.vertx.core.json.JsonArray();
        for (int i = 0; i + 1 < bindings.length; i += 2) {
            list.add(new JsonObject().put("type", "kv_namespace").put("name", bindings[i])
                    .put("namespace_id", bindings[i + 1]));
        }
        Multipart body = new Multipart()
                .metadata(new JsonObject().put("main_module", "worker.js").put("bindings", list))
                .module("worker.js", "application/javascript+module", script);
        HttpResponse<String> r = uploadMultipart(name, body);
        if (r.statusCode() != 200) {
            throw new AssertionError("upload of " + name + " failed: " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body());
    }

    HttpResponse<String> adminGet(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(admin(path))).header("authorization", "Bearer " + TOKEN).GET());
    }

    HttpResponse<String> adminDelete(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(admin(path))).header("authorization", "Bearer " + TOKEN).DELETE());
    }

    /** GET {@code path} on the traffic listener with the given Host. */
    HttpResponse<String> get(String host, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(traffic(path))).header("host", host).GET());
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
        }
        http.close();
        try (Stream<Path> walk = Files.walk(dataDir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A multipart/form-data body in the shape Cloudflare's script upload uses. */
    static final class Multipart {
        private final String boundary = "----isoworker-test-boundary-7MA4YWxkTrZu0gW";
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Multipart metadata(JsonObject metadata) {
            return part("metadata", null, "application/json", metadata.encode());
        }

        Multipart module(String name, String contentType, String content) {
            return part(name, name, contentType, content);
        }

        Multipart part(String name, String filename, String contentType, String content) {
            StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(name).append('"');
            if (filename != null) {
                head.append("; filename=\"").append(filename).append('"');
            }
            head.append("\r\n");
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(content.getBytes(StandardCharsets.UTF_8));
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            return this;
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        byte[] bytes() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(out.toByteArray());
            all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return all.toByteArray();
        }
    }
}
