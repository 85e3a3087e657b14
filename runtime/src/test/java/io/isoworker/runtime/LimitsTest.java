package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Per-script limits that protect the other tenants (issue 6). */
@Timeout(120)
class LimitsTest {

    private static final String SLOW = """
            export default {
              async fetch(request) {
                await new Promise((resolve) => setTimeout(resolve, 1500));
                return new Response('slow done');
              },
            };
            """;

    @Test
    void requestsOverAScriptsConcurrencyLimitGetA503WithRetryAfterNotAQueue() throws Exception {
        try (TestServer s = TestServer.start("max-concurrent-requests", "2", "event-loops", "2");
                LogCapture log = new LogCapture("io.isoworker.runtime.traffic.TrafficHandler")) {
            s.deploy("slow", SLOW);
            s.deploy("other", "export default { fetch() { return new Response('other ok'); } };");
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(s.http.sendAsync(HttpRequest.newBuilder(URI.create(s.traffic("/" + i)))
                        .header("host", "slow.localhost").timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
                Thread.sleep(200); // let each one reach the worker before the next
            }
            HttpResponse<String> refusedEarly = calls.get(2).get();
            assertEquals(503, refusedEarly.statusCode(), refusedEarly.body());
            assertEquals("1", refusedEarly.headers().firstValue("retry-after").orElse(null));
            assertTrue(refusedEarly.body().contains("Too many concurrent requests"), refusedEarly.body());
            assertTrue(!calls.get(0).isDone() || calls.get(0).get().statusCode() == 200,
                    "the third was refused at once, while the first two still ran");
            assertEquals("other ok", s.get("other.localhost", "/").body(), "other scripts are not affected");
            assertEquals("slow done", calls.get(0).get().body());
            assertEquals("slow done", calls.get(1).get().body());
            assertEquals("slow done", s.get("slow.localhost", "/again").body(), "the slots are given back");
            assertTrue(log.text().contains("script slow") && log.text().contains("limit of 2 concurrent requests"),
                    log.text());
        }
    }
}
