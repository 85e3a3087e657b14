package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code isoworker dev} as a user runs it: a separate process serving a file on any Host. */
class DevCommandTest {

    @Test
    void devServesAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("worker.js");
        Files.writeString(file, """
                let n = 0;
                export default {
                  fetch(request) {
                    n++;
                    return new Response('dev says hi #' + n + ' to ' + request.headers.get('host'));
                  },
                };
                """);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Dpolyglot.engine.WarnInterpreterOnly=false",
                "-cp", System.getProperty("java.class.path"), "io.isoworker.runtime.cli.Main",
                "dev", file.toString(), "--port", Integer.toString(port)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.startsWith("Ready on")) {
                seen.append(line).append('\n');
            }
            assertTrue(line != null, "dev never said it was ready: " + seen);
            assertEquals("Ready on http://127.0.0.1:" + port + "/", line);
            try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertEquals("dev says hi #1 to 127.0.0.1:" + port, r.body());
                HttpResponse<String> any = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x"))
                        .header("host", "anything.example").build(), HttpResponse.BodyHandlers.ofString());
                assertEquals("dev says hi #2 to anything.example", any.body());
            }
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void devKeepsALocalKvNamespacePerBindingAcrossRestarts(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("wrangler.toml"), """
                name = "counter"
                main = "src/index.js"

                [vars]
                GREETING = "count"

                [[kv_namespaces]]
                binding = "COUNTS"
                id = "0f2ac74b498b48028cb68387c421e279"
                """);
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("src/index.js"), """
                export default {
                  async fetch(request, env) {
                    const n = Number(await env.COUNTS.get('n') ?? 0) + 1;
                    await env.COUNTS.put('n', String(n));
                    return new Response(env.GREETING + ' ' + n);
                  },
                };
                """);
        for (String expected : List.of("count 1", "count 2")) {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            String java = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                    "--sun-misc-unsafe-memory-access=allow", "-Dpolyglot.engine.WarnInterpreterOnly=false",
                    "-cp", System.getProperty("java.class.path"), "io.isoworker.runtime.cli.Main",
                    "dev", dir.toString(), "--port", Integer.toString(port))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                String line;
                while ((line = out.readLine()) != null && !line.startsWith("Ready on")) {
                    // start-up output
                }
                assertTrue(line != null, "dev never said it was ready");
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(expected, r.body());
            } finally {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
        assertTrue(Files.isDirectory(dir.resolve(".isoworker/kv")), "the namespace lives in the project's .isoworker");
    }

    @Test
    void devRefusesABrokenScriptWithAClearMessage(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.js");
        Files.writeString(file, "export default { fetch() { return new Response('x' +); } };");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Dpolyglot.engine.WarnInterpreterOnly=false", "-cp", System.getProperty("java.class.path"),
                "io.isoworker.runtime.cli.Main", "dev", file.toString(), "--port", "0")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), err);
        assertTrue(err.contains("broken.js") && err.contains("SyntaxError"), err);
    }
}
