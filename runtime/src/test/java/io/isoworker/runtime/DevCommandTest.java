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

    /** A dev process for {@code args}, started and ready; its standard error goes to {@code errFile}. */
    private record Dev(Process process, int port, BufferedReader out) implements AutoCloseable {
        static Dev start(Path errFile, String... args) throws Exception {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                    "--sun-misc-unsafe-memory-access=allow", "-Dpolyglot.engine.WarnInterpreterOnly=false",
                    "-cp", System.getProperty("java.class.path"), "io.isoworker.runtime.cli.Main", "dev"));
            cmd.addAll(List.of(args));
            cmd.addAll(List.of("--port", Integer.toString(port)));
            Process p = new ProcessBuilder(cmd).redirectError(errFile.toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.startsWith("Ready on")) {
                seen.append(line).append('\n');
            }
            if (line == null) {
                p.destroyForcibly();
                throw new AssertionError("dev never said it was ready: " + seen + Files.readString(errFile));
            }
            return new Dev(p, port, out);
        }

        String get(String path) throws Exception {
            try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            }
        }

        /** Polls until the answer starts with {@code prefix}; the last answer if it never does within 60 s. */
        String awaitAnswer(String path, String prefix) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String body = get(path);
            while (!body.startsWith(prefix) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                body = get(path);
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

    @Test
    void devReloadsWhenAFileChangesKeepingKvAndSurvivesABrokenEdit(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("wrangler.toml"), """
                name = "reloading"
                main = "src/index.js"

                [[kv_namespaces]]
                binding = "KV"
                """);
        Files.createDirectories(dir.resolve("src"));
        Path index = dir.resolve("src/index.js");
        String source = """
                import { label } from './label.js';
                export default {
                  async fetch(request, env) {
                    const n = Number(await env.KV.get('n') ?? 0) + 1;
                    await env.KV.put('n', String(n));
                    return new Response(label + ' ' + n);
                  },
                };
                """;
        Files.writeString(index, source);
        Path label = dir.resolve("src/label.js");
        Files.writeString(label, "export const label = 'v1';\n");
        Path err = dir.resolve("dev.err");
        try (Dev dev = Dev.start(err, dir.toString())) {
            assertEquals("v1 1", dev.get("/"));
            Files.writeString(label, "export const label = 'v2';\n");
            String body = dev.awaitAnswer("/", "v2");
            assertTrue(body.startsWith("v2 "), "the change to an imported module was served: " + body);
            int n = Integer.parseInt(body.substring(3));
            assertTrue(n >= 2, "KV data survived the reload: " + body);

            Files.writeString(index, "export default { fetch() { return new Response('x' +); } };\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(err).contains("does not load") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            String errors = Files.readString(err);
            assertTrue(errors.contains("still serving the previous version") && errors.contains("src/index.js"),
                    errors);
            assertTrue(dev.get("/").startsWith("v2 "), "the previous version keeps serving");

            Files.writeString(index, source.replace("label + ' '", "'v3 ' + label + ' '"));
            assertTrue(dev.awaitAnswer("/", "v3").startsWith("v3 v2 "), "a fixed edit is served again");
        }
    }

    @Test
    void devUsesTheChosenEnvironmentAndDevVars(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("wrangler.jsonc"), """
                {
                  "name": "envs",
                  "main": "worker.js",
                  "vars": { "STAGE": "top" },
                  "surprise": true, // unknown: a warning, not a crash
                  "env": { "staging": { "vars": { "STAGE": "staging", "SECRET": "from vars" } } },
                }
                """);
        Files.writeString(dir.resolve("worker.js"), """
                export default {
                  fetch(request, env) { return new Response(env.STAGE + ' ' + env.SECRET); },
                };
                """);
        Files.writeString(dir.resolve(".dev.vars"), "SECRET=top-secret\n");
        Files.writeString(dir.resolve(".dev.vars.staging"), "SECRET=\"staging secret\"\n");
        Path err = dir.resolve("dev.err");
        try (Dev dev = Dev.start(err, dir.toString())) {
            assertEquals("top top-secret", dev.get("/"));
        }
        assertTrue(Files.readString(err).contains("unknown key \"surprise\""), Files.readString(err));
        try (Dev dev = Dev.start(err, dir.toString(), "--env", "staging")) {
            assertEquals("staging staging secret", dev.get("/"));
        }
    }

    @Test
    void devRefusesABrokenConfigWithTheFileAndLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("wrangler.toml"), "name = \"x\"\n[vars\nA = 1\n");
        Files.writeString(dir.resolve("index.js"), "export default { fetch() { return new Response('x'); } };");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Dpolyglot.engine.WarnInterpreterOnly=false", "-cp", System.getProperty("java.class.path"),
                "io.isoworker.runtime.cli.Main", "dev", dir.toString(), "--port", "0")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), err);
        assertTrue(err.contains("wrangler.toml is not valid TOML (line 2"), err);
    }
}
