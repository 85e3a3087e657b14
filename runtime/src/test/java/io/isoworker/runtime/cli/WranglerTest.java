package io.isoworker.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.isoworker.runtime.IsoworkerServer;
import io.isoworker.runtime.bundle.Esbuild;
import io.isoworker.runtime.config.ServerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The real {@code wrangler} (4.86.0, the newest that runs on Node 20, installed from the npm registry into the
 * isoworker cache folder) against a server started here, through {@code /client/v4}: {@code whoami}, the KV commands
 * and {@code tail}. Skipped loudly without Node and npm.
 */
class WranglerTest {

    private static final String VERSION = "4.86.0";
    private static final String TOKEN = "wrangler-test-token-0123456789";

    static {
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    @TempDir
    static Path data;
    private static IsoworkerServer server;
    private static Path wrangler;

    private record Run(int status, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        NodeTools.assumeNodeAndNpm();
        wrangler = install();
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

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** wrangler in {@code CACHE/wrangler-VERSION}, installed with npm on first use. */
    private static Path install() throws Exception {
        Path dir = Esbuild.cacheRoot().resolve("wrangler-" + VERSION);
        Path cli = dir.resolve("node_modules/wrangler/bin/wrangler.js");
        if (Files.isRegularFile(cli)) {
            return cli;
        }
        Files.createDirectories(dir);
        Process p = new ProcessBuilder("npm", "install", "--prefix", dir.toString(), "--no-audit", "--no-fund",
                "--cache", Esbuild.cacheRoot().resolve("npm-cache").toString(), "wrangler@" + VERSION)
                .redirectErrorStream(true).redirectOutput(data.resolve("npm-install.log").toFile()).start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "npm install wrangler took over 10 minutes");
        assertEquals(0, p.exitValue(), "npm install wrangler@" + VERSION + " failed: "
                + Files.readString(data.resolve("npm-install.log")));
        assertTrue(Files.isRegularFile(cli), "no " + cli + " after npm install");
        return cli;
    }

    private static ProcessBuilder wranglerProcess(Path cwd, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("node", wrangler.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.toUpperCase().contains("PROXY") || k.startsWith("CLOUDFLARE_")
                || k.startsWith("CF_"));
        env.put("CLOUDFLARE_API_BASE_URL", "http://127.0.0.1:" + server.adminPort() + "/client/v4");
        env.put("CLOUDFLARE_API_TOKEN", TOKEN);
        env.put("CLOUDFLARE_ACCOUNT_ID", "isoworker");
        env.put("WRANGLER_SEND_METRICS", "false");
        env.put("WRANGLER_SEND_ERROR_REPORTS", "false");
        env.put("WRANGLER_HIDE_BANNER", "true");
        env.put("CI", "true");
        Path home = data.resolve("home");
        Files.createDirectories(home);
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        return pb;
    }

    private static Run wrangler(Path cwd, String... args) throws Exception {
        Path out = Files.createTempFile(data, "out", ".txt");
        Path err = Files.createTempFile(data, "err", ".txt");
        Process p = wranglerProcess(cwd, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("wrangler " + String.join(" ", args) + " did not finish in 120 s: "
                    + Files.readString(out) + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void whoamiAndTheKvCommands(@TempDir Path project) throws Exception {
        Run whoami = wrangler(project, "whoami");
        assertEquals(0, whoami.status(), whoami.out() + whoami.err());
        assertTrue(whoami.out().contains("isoworker"), "the account is listed: " + whoami.out());

        Run created = wrangler(project, "kv", "namespace", "create", "wrangler-made");
        assertEquals(0, created.status(), created.out() + created.err());
        Matcher id = Pattern.compile("[0-9a-f]{32}").matcher(created.out());
        assertTrue(id.find(), "the new namespace's id is printed: " + created.out());
        String ns = id.group();
        assertTrue(server.kv().namespace(ns).isPresent(), "the namespace exists on the server");

        Run listed = wrangler(project, "kv", "namespace", "list");
        assertEquals(0, listed.status(), listed.out() + listed.err());
        JsonArray namespaces = new JsonArray(listed.out().substring(listed.out().indexOf('[')));
        assertTrue(namespaces.stream().anyMatch(o -> ((JsonObject) o).getString("title").equals("wrangler-made")
                && ((JsonObject) o).getString("id").equals(ns)), listed.out());

        Run put = wrangler(project, "kv", "key", "put", "greeting/en", "hello world", "--namespace-id", ns,
                "--remote", "--ttl", "3600", "--metadata", "{\"lang\":\"en\"}");
        assertEquals(0, put.status(), put.out() + put.err());
        Run put2 = wrangler(project, "kv", "key", "put", "other", "x", "--namespace-id", ns, "--remote");
        assertEquals(0, put2.status(), put2.out() + put2.err());

        Run get = wrangler(project, "kv", "key", "get", "greeting/en", "--namespace-id", ns, "--remote");
        assertEquals(0, get.status(), get.out() + get.err());
        assertTrue(get.out().contains("hello world"), get.out());

        Run keys = wrangler(project, "kv", "key", "list", "--namespace-id", ns, "--remote", "--prefix", "greeting/");
        assertEquals(0, keys.status(), keys.out() + keys.err());
        JsonArray list = new JsonArray(keys.out().substring(keys.out().indexOf('[')));
        assertEquals(1, list.size(), keys.out());
        JsonObject key = list.getJsonObject(0);
        assertEquals("greeting/en", key.getString("name"));
        assertEquals("en", key.getJsonObject("metadata").getString("lang"));
        assertTrue(key.getLong("expiration") > System.currentTimeMillis() / 1000, keys.out());

        Run deleted = wrangler(project, "kv", "key", "delete", "greeting/en", "--namespace-id", ns, "--remote");
        assertEquals(0, deleted.status(), deleted.out() + deleted.err());
        Run gone = wrangler(project, "kv", "key", "get", "greeting/en", "--namespace-id", ns, "--remote");
        assertTrue(gone.status() != 0 || gone.out().contains("Value not found"), gone.out() + gone.err());
    }

    @Test
    void aBadTokenIsAnAuthenticationError(@TempDir Path project) throws Exception {
        ProcessBuilder pb = wranglerProcess(project, "kv", "namespace", "list");
        pb.environment().put("CLOUDFLARE_API_TOKEN", "wrong");
        Path out = data.resolve("bad-token.txt");
        Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String text = Files.readString(out);
        assertTrue(p.exitValue() != 0, text);
        assertTrue(text.contains("Authentication error") || text.contains("10000"), text);
    }

    @Test
    void wranglerTailReceivesAConsoleLine(@TempDir Path project) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.adminPort() + "/v1/scripts/tailed-by-wrangler"))
                    .header("authorization", "Bearer " + TOKEN)
                    .header("content-type", "application/javascript+module")
                    .PUT(HttpRequest.BodyPublishers.ofString("""
                            export default {
                              fetch(request) {
                                console.log('wrangler sees this', new URL(request.url).pathname);
                                return new Response('ok');
                              },
                            };
                            """)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, up.statusCode(), up.body());
            Path out = data.resolve("tail-out.txt");
            Process tail = wranglerProcess(project, "tail", "tailed-by-wrangler", "--format", "json")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                // --format json prints nothing until the first event: ask until one arrives (the tail is made and
                // its socket connected a moment after the start)
                String text = "";
                for (int i = 0; i < 300 && !text.contains("wrangler sees this /ping"); i++) {
                    assertTrue(tail.isAlive(), "wrangler tail ended: " + text);
                    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ping"))
                            .header("host", "tailed-by-wrangler.localhost").build(),
                            HttpResponse.BodyHandlers.ofString());
                    Thread.sleep(200);
                    text = Files.readString(out);
                }
                assertTrue(text.contains("wrangler sees this /ping"), "the console line reaches wrangler: " + text);
                assertTrue(text.contains("\"outcome\": \"ok\"") || text.contains("\"outcome\":\"ok\""), text);
            } finally {
                tail.destroy();
                tail.waitFor(10, TimeUnit.SECONDS);
                tail.destroyForcibly();
            }
        }
    }
}
