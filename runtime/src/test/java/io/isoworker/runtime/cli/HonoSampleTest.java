package io.isoworker.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.isoworker.isolate.IsolateSettings;
import io.isoworker.runtime.IsoworkerServer;
import io.isoworker.runtime.bundle.Esbuild;
import io.vertx.core.json.JsonObject;

/**
 * {@code samples/hono}, a Hono app in TypeScript, as its README says to run it: {@code npm install} (into a copy of
 * the sample in a temporary folder, with npm's cache in isoworker's cache folder, so that the repository's sample
 * stays clean), then {@code dev}, which bundles it with esbuild. Needs Node.js and npm (skipped, loudly, without).
 */
class HonoSampleTest {

    private static final Path SAMPLE = Path.of("..", "samples", "hono").toAbsolutePath().normalize();

    @TempDir
    Path work;

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                String rel = from.relativize(f).toString();
                if (rel.startsWith("node_modules") || rel.startsWith(".isoworker")) {
                    continue;
                }
                Path target = to.resolve(rel);
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static void npmInstall(Path dir) throws Exception {
        Path cache = Esbuild.cacheRoot().resolve("npm-cache");
        Process p = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--cache", cache.toString())
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "npm install did not finish: " + out);
        assertEquals(0, p.exitValue(), "npm install failed: " + out);
    }

    @Test
    void honoInTypeScript() throws Exception {
        NodeTools.assumeNodeAndNpm();
        Path copy = work.resolve("hono");
        copyTree(SAMPLE, copy);
        npmInstall(copy);
        assertTrue(Files.isRegularFile(copy.resolve("node_modules/hono/package.json")));

        DevProject.Loaded project = DevProject.load(copy, null);
        assertNotNull(project.bundle(), "the TypeScript entry point is bundled");
        assertEquals("index.js", project.script().mainModule());
        IsolateSettings settings = IsolateSettings.DEFAULTS.withPrewarmedContexts(1).withGuestThreads(1, 1)
                .withRequestCpuLimit(Duration.ofSeconds(30));
        Logger sinkLog = (Logger) LoggerFactory.getLogger("io.isoworker.runtime.traffic.VertxResponseSink");
        List<String> logged = new CopyOnWriteArrayList<>();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                logged.add(event.getFormattedMessage());
            }
        };
        appender.start();
        sinkLog.addAppender(appender);
        IsoworkerServer server = IsoworkerServer.dev(project.script(), "127.0.0.1", 0, settings,
                work.resolve("hono-kv"), project.config().cronSchedules(), java.time.Clock.systemUTC());
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            java.util.function.Function<String, HttpResponse<String>> get = path -> {
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            HttpResponse<String> home = get.apply("/");
            assertEquals(200, home.statusCode(), home.body());
            assertEquals("Hello from Hono on isoworker", new JsonObject(home.body()).getString("message"));
            assertTrue(home.headers().firstValue("content-type").orElse("").startsWith("application/json"));

            HttpResponse<String> book = get.apply("/books/1");
            assertEquals(200, book.statusCode(), book.body());
            assertEquals("Kindred", new JsonObject(book.body()).getString("title"));
            HttpResponse<String> noBook = get.apply("/books/9");
            assertEquals(404, noBook.statusCode());
            assertEquals(new JsonObject().put("error", "no book 9"), new JsonObject(noBook.body()));

            HttpResponse<String> hello = get.apply("/hello/isoworker");
            assertEquals(200, hello.statusCode());
            assertEquals("Hello, isoworker!", hello.body());

            HttpResponse<String> nowhere = get.apply("/nowhere");
            assertEquals(404, nowhere.statusCode());
            assertEquals(new JsonObject().put("error", "not found").put("path", "/nowhere"),
                    new JsonObject(nowhere.body()));

            assertEquals(500, get.apply("/boom").statusCode());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (logged.stream().noneMatch(l -> l.contains("Error: boom")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            String log = String.join("\n", logged);
            assertTrue(log.contains("src/index.ts:26:9"), "the stack points at the throw in src/index.ts: " + log);
        } finally {
            sinkLog.detachAppender(appender);
            server.close();
        }
    }
}
