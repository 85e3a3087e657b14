package io.isoworker.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.isoworker.runtime.IsoworkerServer;
import io.isoworker.runtime.config.ServerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** {@code isoworker deploy} and {@code isoworker kv ...} against a real server started here. */
class DeployAndKvCommandsTest {

    private static final String TOKEN = "cli-test-token-0123456789";

    static {
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    @TempDir
    Path data;
    private IsoworkerServer server;

    private record Run(int status, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        Map<String, List<String>> flags = new LinkedHashMap<>();
        flags.put("port", List.of("0"));
        flags.put("admin-port", List.of("0"));
        flags.put("host", List.of("127.0.0.1"));
        flags.put("data-dir", List.of(data.resolve("server").toString()));
        flags.put("admin-token", List.of(TOKEN));
        flags.put("event-loops", List.of("1"));
        flags.put("guest-threads", List.of("1"));
        flags.put("prewarmed-contexts", List.of("1"));
        flags.put("cpu-ms", List.of("1000"));
        flags.put("memory-mb", List.of("0"));
        server = IsoworkerServer.serve(ServerConfig.load(flags, Map.of()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", "http://127.0.0.1:" + server.adminPort(), "--token", TOKEN));
        return raw(all.toArray(String[]::new));
    }

    private static Run raw(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private String get(String script) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                    .header("host", script + ".localhost").build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    @Test
    void kvCommandsAndADeployThatUsesTheNamespace(@TempDir Path project) throws Exception {
        Run created = cli("kv", "namespace", "create", "cli cache");
        assertEquals(0, created.status(), created.err());
        Matcher m = Pattern.compile("with id (\\S+)").matcher(created.out());
        assertTrue(m.find(), created.out());
        String id = m.group(1);

        Run listed = cli("kv", "namespace", "list");
        assertEquals(0, listed.status(), listed.err());
        JsonArray namespaces = new JsonArray(listed.out());
        assertTrue(namespaces.stream().anyMatch(n -> ((JsonObject) n).getString("id").equals(id)
                && ((JsonObject) n).getString("title").equals("cli cache")), listed.out());

        Run put = cli("kv", "key", "put", "greeting/1", "from the cli", "--namespace-id", id, "--metadata",
                "{\"by\":\"test\"}", "--ttl", "3600");
        assertEquals(0, put.status(), put.err());
        Path file = data.resolve("value.bin");
        Files.write(file, new byte[] {0, (byte) 0xff, 10});
        assertEquals(0, cli("kv", "key", "put", "binary", "--path", file.toString(), "--namespace-id", id).status());

        Run got = cli("kv", "key", "get", "greeting/1", "--namespace-id", id);
        assertEquals(0, got.status(), got.err());
        assertEquals("from the cli", got.out());

        Run keys = cli("kv", "key", "list", "--namespace-id", id, "--prefix", "greeting/");
        assertEquals(0, keys.status(), keys.err());
        JsonArray list = new JsonArray(keys.out());
        assertEquals(1, list.size(), keys.out());
        assertEquals("greeting/1", list.getJsonObject(0).getString("name"));
        assertEquals(new JsonObject().put("by", "test"), list.getJsonObject(0).getJsonObject("metadata"));
        assertTrue(list.getJsonObject(0).getLong("expiration") > System.currentTimeMillis() / 1000);

        Files.writeString(project.resolve("wrangler.toml"), """
                name = "deployed"
                main = "src/index.js"
                compatibility_date = "2026-11-01"

                [vars]
                GREETING = "hello"

                [[kv_namespaces]]
                binding = "CACHE"
                id = "%s"

                [limits]
                cpu_ms = 500

                [triggers]
                crons = ["0 * * * *"]
                """.formatted(id));
        Files.writeString(project.resolve(".dev.vars"), "SECRET=only-for-dev\n");
        Files.createDirectories(project.resolve("src"));
        Files.writeString(project.resolve("src/index.js"), """
                import { join } from './join.js';
                export default {
                  async fetch(request, env) {
                    return new Response(join(env.GREETING, await env.CACHE.get('greeting/1'), typeof env.SECRET));
                  },
                };
                """);
        Files.writeString(project.resolve("src/join.js"), "export const join = (...parts) => parts.join(' | ');\n");

        Run dry = cli("deploy", project.toString(), "--dry-run");
        assertEquals(0, dry.status(), dry.err());
        assertTrue(dry.out().contains("\"cpu_ms\":500") && dry.out().contains("kv_namespace"), dry.out());

        Run deployed = cli("deploy", project.toString());
        assertEquals(0, deployed.status(), deployed.err());
        assertTrue(deployed.out().startsWith("Deployed deployed (2 module(s)"), deployed.out());
        assertTrue(deployed.out().contains("Cron triggers: 0 * * * *"), deployed.out());
        assertEquals(1, server.scripts().schedules("deployed").size());
        assertEquals("hello | from the cli | undefined", get("deployed"), ".dev.vars is not deployed");

        Files.writeString(project.resolve("src/join.js"), "export const join = (...parts) => parts.join(' + ');\n");
        assertEquals(0, cli("deploy", project.toString()).status());
        assertEquals("hello + from the cli + undefined", get("deployed"), "the second deploy is served");

        assertEquals(0, cli("kv", "key", "delete", "greeting/1", "--namespace-id", id).status());
        Run gone = cli("kv", "key", "get", "greeting/1", "--namespace-id", id);
        assertEquals(1, gone.status());
        assertTrue(gone.err().contains("HTTP 404"), gone.err());
        assertEquals(0, cli("kv", "namespace", "delete", "--namespace-id", id).status());
        Run noNamespace = cli("kv", "key", "list", "--namespace-id", id);
        assertEquals(1, noNamespace.status());
        assertTrue(noNamespace.err().contains("listing keys failed: HTTP 404"), noNamespace.err());
    }

    private String admin(String method, String path, String body) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.adminPort() + path)).header("authorization", "Bearer " + TOKEN)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        }
    }

    @Test
    void serveRunsTheSchedulesSetThroughTheAdminApiAndKeepsThemAcrossARestart(@TempDir Path project)
            throws Exception {
        Run created = cli("kv", "namespace", "create", "ticks");
        Matcher m = Pattern.compile("with id (\\S+)").matcher(created.out());
        assertTrue(m.find(), created.out());
        Files.writeString(project.resolve("wrangler.toml"), """
                name = "ticker"
                main = "index.js"
                [[kv_namespaces]]
                binding = "TICKS"
                id = "%s"
                """.formatted(m.group(1)));
        Files.writeString(project.resolve("index.js"), """
                export default {
                  async scheduled(controller, env) {
                    await env.TICKS.put('last', controller.cron + ' @ ' + controller.scheduledTime);
                  },
                  async fetch(request, env) { return new Response(await env.TICKS.get('last') ?? 'never'); },
                };
                """);
        assertEquals(0, cli("deploy", project.toString()).status());
        assertEquals("200 {\"schedules\":[]}", admin("GET", "/v1/scripts/ticker/schedules", null));
        assertTrue(admin("PUT", "/v1/scripts/ticker/schedules", "[{\"cron\":\"61 * * * *\"}]")
                .startsWith("400 "), "a bad schedule is refused");
        assertTrue(admin("PUT", "/v1/scripts/ticker/schedules", "{\"cron\":\"* * * * *\"}").startsWith("400 "));
        assertTrue(admin("PUT", "/v1/scripts/nobody/schedules", "[]").startsWith("404 "));
        assertEquals("200 {\"schedules\":[{\"cron\":\"* * * * *\"}]}",
                admin("PUT", "/v1/scripts/ticker/schedules", "[{\"cron\":\"* * * * *\"}]"));

        // the next minute boundary, as the timer would see it
        java.time.Instant next = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                .plusSeconds(60);
        server.cronTriggers().wake(next.plusMillis(5));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        String last = get("ticker");
        while (last.equals("never") && System.nanoTime() < deadline) {
            Thread.sleep(20);
            last = get("ticker");
        }
        assertEquals("* * * * * @ " + next.toEpochMilli(), last);
        assertEquals(1, server.cronTriggers().counts("ticker").runs());

        server.close();
        start();
        assertEquals("200 {\"schedules\":[{\"cron\":\"* * * * *\"}]}",
                admin("GET", "/v1/scripts/ticker/schedules", null), "the schedules were stored");
        assertEquals(1, server.scripts().schedules("ticker").size(), "and run again after a restart");
        assertEquals("200 {\"schedules\":[]}", admin("PUT", "/v1/scripts/ticker/schedules", "[]"));
        assertEquals(0, server.scripts().schedules("ticker").size());
    }

    @Test
    void tailPrintsEachRequestWithItsConsoleLinesUntilTheServerEndsIt(@TempDir Path project) throws Exception {
        Files.writeString(project.resolve("index.js"), """
                export default {
                  fetch(request) {
                    const path = new URL(request.url).pathname;
                    console.log('serving', path);
                    if (path === '/fail') throw new RangeError('out of range');
                    return new Response('tailed');
                  },
                };
                """);
        Run deployed = cli("deploy", project.toString(), "--name", "tailed");
        assertEquals(0, deployed.status(), deployed.err());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int[] status = {-1};
        Thread tail = new Thread(() -> status[0] = Main.run(new String[] {"tail", "tailed", "--url",
                "http://127.0.0.1:" + server.adminPort(), "--token", TOKEN, "--method", "GET"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        tail.start();
        for (int i = 0; i < 200 && !err.toString(StandardCharsets.UTF_8).contains("Connected to tailed"); i++) {
            Thread.sleep(50);
        }
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Connected to tailed"), err.toString());
        assertEquals("tailed", get("tailed"));
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/fail"))
                    .header("host", "tailed.localhost").build(), HttpResponse.BodyHandlers.ofString());
            // --method GET leaves this one out
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/posted"))
                    .header("host", "tailed.localhost").POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/last"))
                    .header("host", "tailed.localhost").build(), HttpResponse.BodyHandlers.ofString());
        }
        for (int i = 0; i < 200 && !out.toString(StandardCharsets.UTF_8).contains("serving /last"); i++) {
            Thread.sleep(50);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.matches("(?s)GET http://tailed\\.localhost/ - Ok @ \\d{4}-\\d\\d-\\d\\d [0-9:]+ UTC\n"
                + "  \\(log\\) serving /\n"
                + "GET http://tailed\\.localhost/fail - Exception Thrown @ [^\n]+\n"
                + "  \\(log\\) serving /fail\n"
                + "  ✘ RangeError: out of range\n"
                + "GET http://tailed\\.localhost/last - Ok @ [^\n]+\n"
                + "  \\(log\\) serving /last\n"), printed);
        // the server ends the tail (here: deleted through the admin API); the command then exits with 0
        JsonObject tails = new JsonObject(admin("GET", "/v1/scripts/tailed/tails"));
        String id = tails.getJsonArray("tails").getJsonObject(0).getString("id");
        admin("DELETE", "/v1/scripts/tailed/tails/" + id);
        tail.join(20_000);
        assertEquals(0, status[0], err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("closed by the server"), err.toString());
    }

    private String admin(String method, String path) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.adminPort() + path)).header("authorization", "Bearer " + TOKEN)
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return r.body();
        }
    }

    @Test
    void aRefusedDeployExitsWith1AndSaysWhy(@TempDir Path project) throws Exception {
        Files.writeString(project.resolve("index.js"), "export default { fetch() { return new Response('x' +); } };");
        Run broken = cli("deploy", project.toString(), "--name", "broken");
        assertEquals(1, broken.status());
        assertTrue(broken.err().contains("the server refused broken: HTTP 400") && broken.err().contains("SyntaxError"),
                broken.err());

        Files.writeString(project.resolve("index.js"), "export default { fetch() { return new Response('x'); } };");
        Run noToken = raw("deploy", project.toString(), "--url", "http://127.0.0.1:" + server.adminPort());
        if (System.getenv("ISOWORKER_ADMIN_TOKEN") == null) {
            assertEquals(1, noToken.status());
            assertTrue(noToken.err().contains("no admin token"), noToken.err());
        }
        Run wrongToken = raw("deploy", project.toString(), "--url", "http://127.0.0.1:" + server.adminPort(),
                "--token", "wrong");
        assertEquals(1, wrongToken.status());
        assertTrue(wrongToken.err().contains("HTTP 401"), wrongToken.err());

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Run unreachable = raw("deploy", project.toString(), "--url", "http://127.0.0.1:" + closed, "--token", TOKEN);
        assertEquals(1, unreachable.status());
        assertTrue(unreachable.err().contains("cannot reach the admin API"), unreachable.err());
    }
}
