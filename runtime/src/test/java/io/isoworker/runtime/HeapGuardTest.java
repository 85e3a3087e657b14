package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow leak in module state, each request under every per-request limit, in a server with a small heap: the heap
 * guard recycles the leaking isolate before the heap runs out, the server stays up, and another tenant is served
 * throughout.
 */
@Timeout(240)
class HeapGuardTest {

    private static final String LEAKY = """
            const kept = [];
            export default {
              fetch() {
                kept.push(new Uint8Array(4 << 20).fill(7)); // 4 MiB more, for good, on every request
                // and some garbage, as every real request makes: the guard sees the heap at collections, and a
                // server that makes no other garbage collects (and so looks) too seldom for this leak's pace
                for (let i = 0; i < 64; i++) new Uint8Array(64 << 10);
                return new Response('kept ' + kept.length);
              },
            };
            """;

    @Test
    void aSlowLeakInModuleStateIsRecycledBeforeTheHeapRunsOut(@TempDir Path data) throws Exception {
        try (ServerProcess server = ServerProcess.start(data, List.of("-Xmx256m", "-XX:+UseG1GC"),
                "--cpu-ms", "10000", "--guest-threads", "1", "--heap-guard-percent", "70")) {
            assertEquals(200, server.deploy("leaky", LEAKY).statusCode());
            assertEquals(200, server.deploy("calm", "export default { fetch() { return new Response('calm'); } };")
                    .statusCode());
            List<String> calmErrors = new ArrayList<>();
            int restarts = 0;
            int previous = 0;
            // 150 x 4 MiB is more than twice the heap: without the guard the server runs out of memory.
            for (int i = 0; i < 150; i++) {
                HttpResponse<String> r = server.get("leaky.localhost", "/");
                if (r.statusCode() != 200) {
                    String out = server.output();
                    assertEquals(200, r.statusCode(), "request " + i + ": " + r.body() + "\nserver output (end):\n"
                            + out.substring(Math.max(0, out.length() - 4000)));
                }
                int kept = Integer.parseInt(r.body().substring("kept ".length()));
                if (kept <= previous) {
                    restarts++; // a fresh isolate: its module state starts again
                }
                previous = kept;
                HttpResponse<String> calm = server.get("calm.localhost", "/");
                if (calm.statusCode() != 200 || !calm.body().equals("calm")) {
                    calmErrors.add(calm.statusCode() + " " + calm.body());
                }
            }
            assertEquals(List.of(), calmErrors, "the other tenant saw errors");
            assertTrue(restarts > 0, "the leaking isolate was never recycled");
            assertTrue(server.process.isAlive(), "the server is still up");
            assertTrue(server.output().contains("recycling the isolate of script leaky"), server.output());
            assertTrue(!server.output().contains("OutOfMemoryError"), server.output());
        }
    }
}
