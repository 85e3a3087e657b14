package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A freshly started {@code serve} JVM, with GraalJS's optimizing compiler as {@code ./isoworker serve} runs it and the
 * default 50 ms CPU limit, answers the very first requests of common workers (URL parsing and JSON, a request body,
 * {@code crypto.subtle}, a streamed response). Their first run on a cold JVM interprets the prelude's Web APIs and
 * loads the host classes behind them; without the engine's warm-up touching those paths, a JSON API worker's first
 * request exceeded its 50 ms of CPU and got a 503.
 */
class FirstRequestTest {

    private static final Map<String, String> WORKERS = Map.of(
            "api", """
                    export default { fetch(request) {
                      const url = new URL(request.url);
                      return Response.json({ path: url.pathname, q: url.searchParams.get('q'),
                        agent: request.headers.get('user-agent') });
                    } };
                    """,
            "digest", """
                    const data = new TextEncoder().encode('x'.repeat(1024));
                    export default { async fetch() {
                      const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
                      return new Response(btoa(String.fromCharCode(...hash)));
                    } };
                    """,
            "echo", """
                    export default { async fetch(request) {
                      const body = await request.json();
                      return Response.json({ got: body.items.length });
                    } };
                    """,
            "stream", """
                    export default { fetch() {
                      let n = 0;
                      return new Response(new ReadableStream({ pull(c) {
                        if (n++ < 4) c.enqueue(new TextEncoder().encode('chunk ' + n + '\\n')); else c.close();
                      } }));
                    } };
                    """);

    @Test
    void aFreshJitServerAnswersTheFirstRequestsOfCommonWorkersWithinTheDefaultCpuLimit(@TempDir Path data)
            throws Exception {
        Path jit = Path.of("target", "jit").toAbsolutePath();
        assertTrue(Files.isDirectory(jit), "the build copies the compiler jars to " + jit + " before the tests");
        // The server's own logging configuration (INFO), so that its output names the engine it warmed up.
        List<String> jvm = List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
                "--upgrade-module-path=" + jit, "-Dlogback.configurationFile=logback.xml");
        try (ServerProcess server = ServerProcess.start(data, jvm, "--prewarmed-contexts", "8")) {
            assertTrue(server.output().contains("engine warmed up") && !server.output().contains("(Interpreted"),
                    "the child server must run with the optimizing compiler:\n" + server.output());
            for (var worker : WORKERS.entrySet()) {
                assertEquals(200, server.deploy(worker.getKey(), worker.getValue()).statusCode());
            }
            for (String name : WORKERS.keySet()) {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port
                        + "/items?q=7")).header("host", name + ".localhost").header("user-agent", "first")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"items\":[1,2,3]}")).build();
                HttpResponse<String> first = server.http().send(request, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, first.statusCode(), "first request of worker " + name + ": " + first.body()
                        + "\nserver output:\n" + server.output());
            }
        }
    }
}
