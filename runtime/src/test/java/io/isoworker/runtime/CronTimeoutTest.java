package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.isoworker.runtime.cron.CronTriggers;

/** A cron run's wall-clock limit is cron-timeout-ms, not the requests' response timeout. */
class CronTimeoutTest {

    @Test
    void aCronRunMayOutlastTheResponseTimeoutButNotItsOwn() throws Exception {
        try (TestServer s = TestServer.start("response-timeout-ms", "200", "cron-timeout-ms", "3000")) {
            s.deploy("slow-cron", """
                    export default {
                      fetch() { return new Response('x'); },
                      async scheduled(controller) {
                        if (controller.cron === 'forever') {
                          await new Promise(() => {});
                        }
                        await new Promise((resolve) => setTimeout(resolve, 1000));
                      },
                    };
                    """);
            CronTriggers triggers = s.server.cronTriggers();
            assertEquals(CronTriggers.Outcome.OK, triggers.fire("slow-cron", "*/5 * * * *", Instant.now())
                    .get(20, TimeUnit.SECONDS), "a 1 s run is within cron-timeout-ms, past response-timeout-ms");
            long start = System.nanoTime();
            assertEquals(CronTriggers.Outcome.FAILED, triggers.fire("slow-cron", "forever", Instant.now())
                    .get(20, TimeUnit.SECONDS), "a run that never settles fails at cron-timeout-ms");
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(true, tookMillis >= 2900, "failed after " + tookMillis + " ms, not before its limit");
            assertEquals(1, triggers.counts("slow-cron").failures());
        }
    }
}
