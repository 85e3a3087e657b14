package io.isoworker.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.isoworker.runtime.IsoworkerServer;
import io.isoworker.runtime.bundle.Bundler;
import io.isoworker.runtime.bundle.Esbuild;
import io.isoworker.runtime.config.ServerConfig;
import io.vertx.core.json.JsonObject;

/**
 * Bundling with esbuild: a TypeScript project importing an npm package (a tiny one made in the test's own
 * {@code node_modules}, so no registry package is involved beyond esbuild itself) under {@code dev} (served,
 * reloaded on an edit to any .ts file, a broken edit reported with esbuild's file:line:column while the old version
 * serves) and {@code deploy} (the source map uploaded, stored and used after a restart); stacks logged by the host
 * point at the .ts lines. Plain JavaScript is not bundled and needs no Node.js.
 */
class BundlingTest {

    static {
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    /** {@code src/lib.ts}: the throw is on line 5, its {@code new} at column 9. */
    static final String LIB_TS = """
            export const LABEL: string = 'lib v1';

            export function explode(what: string): never {
              const detail: string = `it went ${what}`;
              throw new Error(detail);
            }
            """;

    /** {@code src/index.ts}: the call to explode is on line 14. */
    static final String INDEX_TS = """
            import { greet } from 'tiny-greet';
            import { explode, LABEL } from './lib';

            interface Reply {
              message: string;
              lib: string;
            }

            let n: number = 0;

            export default {
              async fetch(request: Request): Promise<Response> {
                if (new URL(request.url).pathname === '/boom') {
                  explode('kaboom');
                }
                n++;
                const reply: Reply & { n: number } = { message: greet('TypeScript'), lib: LABEL, n };
                return Response.json(reply);
              },
            };
            """;

    static void writeTsProject(Path dir, String name) throws IOException {
        Files.writeString(dir.resolve("wrangler.toml"), """
                name = "%s"
                main = "src/index.ts"
                compatibility_date = "2026-11-01"
                """.formatted(name));
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("src/index.ts"), INDEX_TS);
        Files.writeString(dir.resolve("src/lib.ts"), LIB_TS);
        Path pkg = dir.resolve("node_modules/tiny-greet");
        Files.createDirectories(pkg);
        Files.writeString(pkg.resolve("package.json"),
                "{\"name\":\"tiny-greet\",\"version\":\"1.0.0\",\"type\":\"module\",\"main\":\"index.js\"}\n");
        Files.writeString(pkg.resolve("index.js"), "export function greet(name) {\n  return `Hello, ${name}!`;\n}\n");
    }

    // ---- what needs bundling: no Node.js involved ----

    @Test
    void onlyTypeScriptPackageImportsOrNoBundleFalseAreBundled(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("src/deep"));
        Files.createDirectories(dir.resolve("test"));
        Files.writeString(dir.resolve("src/index.js"), """
                // import nope from 'commented-out';
                /* import alsoNot from "in-a-comment"; */
                import { a } from './a.js';
                import text from './page.html';
                export { b } from "./deep/b.mjs";
                import { env } from 'cloudflare:workers';
                import { Buffer } from 'node:buffer';
                export default { fetch() { return new Response(a); } };
                """);
        Files.writeString(dir.resolve("src/a.js"), "export const a = 'a';\n");
        Files.writeString(dir.resolve("src/page.html"), "<p>import x from 'html-is-not-scanned'</p>\n");
        Files.writeString(dir.resolve("src/deep/b.mjs"), "export const b = await import('../a.js');\n");
        Files.writeString(dir.resolve("test/index.spec.js"), "import { describe } from 'vitest';\n");
        assertNull(Bundler.reason(dir, "src/index.js", null), "relative, cloudflare: and node: imports need no bundle");

        Files.writeString(dir.resolve("src/deep/b.mjs"), "export * as b from '@scope/pkg/sub';\n");
        assertEquals("src/deep/b.mjs imports the package '@scope/pkg/sub'", Bundler.reason(dir, "src/index.js", null));
        Files.writeString(dir.resolve("src/deep/b.mjs"), "export const b = 1;\nconst lazy = () => import('lazy-pkg');\n");
        assertEquals("src/deep/b.mjs imports the package 'lazy-pkg'", Bundler.reason(dir, "src/index.js", null));
        assertNull(Bundler.reason(dir, "src/index.js", true), "no_bundle = true");
        Files.writeString(dir.resolve("src/deep/b.mjs"), "export const b = 1;\n");
        assertEquals("the configuration says no_bundle = false", Bundler.reason(dir, "src/index.js", false));

        assertEquals("the entry point src/index.ts is TypeScript", Bundler.reason(dir, "src/index.ts", null));
        assertEquals("the entry point app.jsx is JSX", Bundler.reason(dir, "app.jsx", null));
        IOException refused = assertThrows(IOException.class, () -> Bundler.reason(dir, "src/index.ts", true));
        assertTrue(refused.getMessage().contains("no_bundle = true"), refused.getMessage());

        List<String> warnings = new ArrayList<>();
        WranglerConfig config = WranglerConfig.parse(dir.resolve("wrangler.toml"), "no_bundle = true\n[env.x]\n",
                "x", warnings);
        assertEquals(Boolean.TRUE, config.noBundle(), "read, and inherited by an environment");
        assertTrue(warnings.stream().noneMatch(w -> w.contains("no_bundle")), warnings.toString());
        assertNull(WranglerConfig.parse(dir.resolve("wrangler.toml"), "name = \"x\"\n", null, new ArrayList<>())
                .noBundle());
        IOException wrongType = assertThrows(IOException.class, () -> WranglerConfig.parse(
                dir.resolve("wrangler.toml"), "no_bundle = \"yes\"\n", null, new ArrayList<>()));
        assertTrue(wrongType.getMessage().contains("no_bundle must be true or false"), wrongType.getMessage());
    }

    @Test
    void plainJavaScriptIsReadAsItIsWithoutEsbuild(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("index.js"), "import { x } from './lib/x.js';\n"
                + "export default { fetch() { return new Response(x); } };\n");
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/x.js"), "export const x = 'plain';\n");
        Files.writeString(dir.resolve("lib/notes.ts"), "export const ignored: number = 1;\n");
        Files.createDirectories(dir.resolve("node_modules/big"));
        Files.writeString(dir.resolve("node_modules/big/index.js"), "export const big = 1;\n");
        DevProject.Loaded project = DevProject.load(dir, null);
        assertNull(project.bundle());
        assertEquals(List.of("index.js", "lib/x.js"), project.script().modules().stream().map(m -> m.name()).sorted()
                .toList(), "a .ts file is no module of an unbundled upload, node_modules is not read");
        assertTrue(project.script().sourceMaps().isEmpty());
        assertTrue(!Files.exists(dir.resolve(".isoworker/bundle")), "nothing was bundled");
        assertTrue(DevProject.watchedFiles(dir).contains(dir.resolve("lib/notes.ts")), "but a .ts change reloads");
    }

    @Test
    void withoutNodeABundleNeedsSaysWhatToInstall(@TempDir Path dir) throws Exception {
        writeTsProject(dir, "no-node");
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Dpolyglot.engine.WarnInterpreterOnly=false", "-cp",
                System.getProperty("java.class.path"), "io.isoworker.runtime.cli.Main", "dev", dir.toString(),
                "--port", "0").redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PATH", dir.resolve("no-such-bin").toString());
        pb.environment().put("ISOWORKER_CACHE", dir.resolve("empty-cache").toString());
        pb.environment().remove("ISOWORKER_ESBUILD");
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), err);
        assertTrue(err.contains("the entry point src/index.ts is TypeScript") && err.contains("install Node.js 18+ and npm"),
                err);
    }

    // ---- with esbuild ----

    /** A dev process for {@code dir}, ready; its standard error goes to {@code errFile}. */
    private record Dev(Process process, int port, List<String> startup) implements AutoCloseable {
        static Dev start(Path dir, Path errFile) throws Exception {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            String java = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                    "--sun-misc-unsafe-memory-access=allow", "-Dpolyglot.engine.WarnInterpreterOnly=false",
                    "-cp", System.getProperty("java.class.path"), "io.isoworker.runtime.cli.Main", "dev",
                    dir.toString(), "--port", Integer.toString(port)).redirectError(errFile.toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            List<String> seen = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("Ready on")) {
                seen.add(line);
            }
            if (line == null) {
                p.destroyForcibly();
                throw new AssertionError("dev never said it was ready: " + seen + "\n" + Files.readString(errFile));
            }
            Thread.ofVirtual().start(() -> {
                try {
                    while (out.readLine() != null) {
                        // drain the reload messages
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            return new Dev(p, port, seen);
        }

        HttpResponse<String> get(String path) throws Exception {
            try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
        }

        /** Polls until the answer contains {@code text}; the last answer if it never does within 60 s. */
        String awaitAnswer(String path, String text) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String body = get(path).body();
            while (!body.contains(text) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                body = get(path).body();
            }
            return body;
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void devBundlesTypeScriptWithAPackageReloadsItAndMapsStacksToTheTsLines(@TempDir Path dir) throws Exception {
        NodeTools.assumeNodeAndNpm();
        writeTsProject(dir, "ts-app");
        Path err = dir.resolve("dev.err");
        try (Dev dev = Dev.start(dir, err)) {
            assertTrue(dev.startup().stream().anyMatch(l -> l.contains("bundled") && l.contains("esbuild "
                    + Esbuild.VERSION) && l.contains("the entry point src/index.ts is TypeScript")), dev.startup()
                    .toString());
            HttpResponse<String> first = dev.get("/");
            assertEquals(200, first.statusCode(), first.body());
            assertEquals(new JsonObject().put("message", "Hello, TypeScript!").put("lib", "lib v1").put("n", 1),
                    new JsonObject(first.body()), "the TypeScript ran, with the package it imports");
            assertTrue(Files.isRegularFile(dir.resolve(".isoworker/bundle/index.js")));
            JsonObject map = new JsonObject(Files.readString(dir.resolve(".isoworker/bundle/index.js.map")));
            assertTrue(map.getJsonArray("sources").contains("../../src/lib.ts")
                    && map.getJsonArray("sources").contains("../../node_modules/tiny-greet/index.js"), map.encode());

            assertEquals(500, dev.get("/boom").statusCode());
            await(() -> read(err).contains("it went kaboom"));
            String log = read(err);
            assertTrue(log.contains("at explode (src/lib.ts:5:9)"), "the frame points at the throw in lib.ts: " + log);
            assertTrue(log.contains("src/index.ts:14:"), "and the caller's frame at index.ts line 14: " + log);

            Files.writeString(dir.resolve("src/index.ts"), INDEX_TS.replace("greet('TypeScript')",
                    "greet('TypeScript v2')"));
            assertTrue(dev.awaitAnswer("/", "TypeScript v2").contains("\"message\":\"Hello, TypeScript v2!\""),
                    "an edit of the .ts entry point is bundled and served");
            Files.writeString(dir.resolve("src/lib.ts"), LIB_TS.replace("lib v1", "lib v2"));
            assertTrue(dev.awaitAnswer("/", "lib v2").contains("\"lib\":\"lib v2\""),
                    "an edit of an imported .ts file too");

            Files.writeString(dir.resolve("src/index.ts"), INDEX_TS.replace("let n: number = 0;", "let n: number = ;"));
            await(() -> read(err).contains("does not load"));
            String errors = read(err);
            assertTrue(errors.contains("still serving the previous version") && errors.contains("src/index.ts:9:")
                    && errors.contains("[ERROR]"), "esbuild's error, with its file, line and column: " + errors);
            assertTrue(dev.get("/").body().contains("lib v2"), "the previous version keeps serving");

            Files.writeString(dir.resolve("src/index.ts"), INDEX_TS.replace("greet('TypeScript')",
                    "greet('TypeScript v3')"));
            assertTrue(dev.awaitAnswer("/", "TypeScript v3").contains("TypeScript v3"), "a fixed edit is served");
        }
    }

    @Test
    void devReportsATopLevelThrowOfABundleAtItsTsLine(@TempDir Path dir) throws Exception {
        NodeTools.assumeNodeAndNpm();
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("src/index.ts"), """
                const config: { ready: boolean } = { ready: false };
                if (!config.ready) {
                  throw new Error('not configured');
                }
                export default { fetch: (): Response => new Response('never') };
                """);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Dpolyglot.engine.WarnInterpreterOnly=false", "-cp", System.getProperty("java.class.path"),
                "io.isoworker.runtime.cli.Main", "dev", dir.toString(), "--port", "0")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), err);
        assertTrue(err.contains("isoworker dev: src/index.ts:3: Error: not configured"), err);
    }

    // ---- deploy ----

    private static final String TOKEN = "bundling-test-token-0123456789";

    private static IsoworkerServer serve(Path data) throws Exception {
        Map<String, List<String>> flags = new LinkedHashMap<>();
        flags.put("port", List.of("0"));
        flags.put("admin-port", List.of("0"));
        flags.put("host", List.of("127.0.0.1"));
        flags.put("data-dir", List.of(data.toString()));
        flags.put("admin-token", List.of(TOKEN));
        flags.put("event-loops", List.of("1"));
        flags.put("guest-threads", List.of("1"));
        flags.put("prewarmed-contexts", List.of("1"));
        flags.put("cpu-ms", List.of("1000"));
        flags.put("memory-mb", List.of("0"));
        return IsoworkerServer.serve(ServerConfig.load(flags, Map.of()));
    }

    private static HttpResponse<String> get(IsoworkerServer server, String script, String path) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .header("host", script + ".localhost").build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** What the traffic side logs about uncaught exceptions, while open. */
    private static final class ErrorLog implements AutoCloseable {
        private final Logger logger = (Logger) LoggerFactory.getLogger(
                "io.isoworker.runtime.traffic.VertxResponseSink");
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                lines.add(event.getFormattedMessage());
            }
        };

        ErrorLog() {
            appender.start();
            logger.addAppender(appender);
        }

        String text() {
            return String.join("\n", lines);
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
        }
    }

    @Test
    void deployUploadsTheBundleWithItsSourceMapAndTheServerMapsStacksAlsoAfterARestart(@TempDir Path dir)
            throws Exception {
        NodeTools.assumeNodeAndNpm();
        Path project = dir.resolve("project");
        Files.createDirectories(project);
        writeTsProject(project, "ts-deployed");
        Path data = dir.resolve("server");
        IsoworkerServer server = serve(data);
        try (ErrorLog log = new ErrorLog()) {
            String[] admin = {"--url", "http://127.0.0.1:" + server.adminPort(), "--token", TOKEN};
            String[] dry = cli("deploy", project.toString(), "--dry-run", admin[0], admin[1], admin[2], admin[3]);
            assertEquals("0", dry[0], dry[2]);
            assertTrue(dry[1].contains("1 module(s), 1 source map(s)"), dry[1]);

            String[] deployed = cli("deploy", project.toString(), admin[0], admin[1], admin[2], admin[3]);
            assertEquals("0", deployed[0], deployed[2]);
            assertTrue(deployed[1].contains("bundled") && deployed[1].contains("Deployed ts-deployed (1 module(s)"),
                    deployed[1]);
            HttpResponse<String> ok = get(server, "ts-deployed", "/");
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals("Hello, TypeScript!", new JsonObject(ok.body()).getString("message"));

            assertEquals(500, get(server, "ts-deployed", "/boom").statusCode());
            await(() -> log.text().contains("it went kaboom"));
            assertTrue(log.text().contains("at explode (src/lib.ts:5:9)"), log.text());
            assertTrue(Files.isDirectory(data.resolve("scripts/ts-deployed")), "stored");

            server.close();
            server = serve(data);
            log.lines.clear();
            assertEquals(500, get(server, "ts-deployed", "/boom").statusCode());
            await(() -> log.text().contains("it went kaboom"));
            assertTrue(log.text().contains("at explode (src/lib.ts:5:9)"),
                    "the stored source map is used after a restart: " + log.text());
        } finally {
            server.close();
        }
    }

    /** A multipart upload body: the metadata, then (name, content type, content) triples. */
    private static byte[] multipart(String boundary, String metadata, String... parts) {
        StringBuilder sb = new StringBuilder();
        sb.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"metadata\"\r\n")
                .append("Content-Type: application/json\r\n\r\n").append(metadata).append("\r\n");
        for (int i = 0; i < parts.length; i += 3) {
            sb.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(parts[i])
                    .append("\"; filename=\"").append(parts[i]).append("\"\r\nContent-Type: ").append(parts[i + 1])
                    .append("\r\n\r\n").append(parts[i + 2]).append("\r\n");
        }
        return sb.append("--").append(boundary).append("--\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> upload(IsoworkerServer server, String script, byte[] body) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort()
                    + "/v1/scripts/" + script)).header("authorization", "Bearer " + TOKEN)
                    .header("content-type", "multipart/form-data; boundary=b0undary")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Source map parts as wrangler sends them, without esbuild or Node.js: a hand-made map. */
    @Test
    void theAdminApiTakesSourceMapPartsAndTheServerMapsStacksWithThem(@TempDir Path dir) throws Exception {
        String js = "function boom() {\n  throw new Error('mapped');\n}\nexport default { fetch() { boom(); } };\n";
        // line 2, from column 1 on: src/app.ts line 10 (S = 9 lines on), column 3 (E = 2 columns on)
        String map = "{\"version\":3,\"file\":\"index.js\",\"sources\":[\"../src/app.ts\"],\"names\":[],"
                + "\"mappings\":\";AASE\"}";
        String metadata = "{\"main_module\":\"index.js\"}";
        IsoworkerServer server = serve(dir.resolve("server"));
        try (ErrorLog log = new ErrorLog()) {
            HttpResponse<String> noModule = upload(server, "maps", multipart("b0undary", metadata,
                    "index.js", "application/javascript+module", js, "other.js.map", "application/source-map",
                    map.replace("\"file\":\"index.js\",", "")));
            assertEquals(400, noModule.statusCode(), noModule.body());
            assertTrue(noModule.body().contains("maps no JavaScript module"), noModule.body());
            HttpResponse<String> notAMap = upload(server, "maps", multipart("b0undary", metadata,
                    "index.js", "application/javascript+module", js, "index.js.map", "application/source-map",
                    "{\"version\":3,\"sources\":[],\"mappings\":\"AAAA\"}"));
            assertEquals(400, notAMap.statusCode(), notAMap.body());
            assertTrue(notAMap.body().contains("is not a valid source map"), notAMap.body());

            HttpResponse<String> ok = upload(server, "maps", multipart("b0undary", metadata,
                    "index.js", "application/javascript+module", js, "index.js.map", "application/source-map", map));
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals(500, get(server, "maps", "/").statusCode());
            await(() -> log.text().contains("Error: mapped"));
            assertTrue(log.text().contains("at boom (src/app.ts:10:3)"), log.text());
            assertTrue(log.text().contains("(index.js:4:"), "a line the map does not cover names the bundle: "
                    + log.text());
        } finally {
            server.close();
        }
    }

    private static String[] cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(status), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8)};
    }
}
