package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import io.isoworker.isolate.ColdStartPhases;
import io.isoworker.isolate.ColdStartPhases.Phase;
import io.isoworker.isolate.IsolatePool;

/** The pool's record of the parts of each cold start, with and without pre-warmed contexts. */
class ColdStartPhasesTest {

    private static final String HELLO = "export default { fetch() { return new Response('hi'); } };";

    /**
     * The phases once the cold start after {@code before} is recorded: the lane records them right after the first
     * call returns, which may be a moment after the client has its answer.
     */
    private static ColdStartPhases.Snapshot recorded(IsolatePool pool, ColdStartPhases.Snapshot before)
            throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        ColdStartPhases.Snapshot now = pool.coldStartPhases();
        while (now.stats(Phase.PREWARMED_PRELUDE, before).count() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(5);
            now = pool.coldStartPhases();
        }
        return now;
    }

    @Test
    void withoutPrewarmedContextsTheContextIsBuiltOnTheRequestPath() throws Exception {
        try (TestServer s = TestServer.start("prewarmed-contexts", "0")) {
            IsolatePool pool = s.server.isolates();
            s.deploy("cold", HELLO);
            ColdStartPhases.Snapshot before = pool.coldStartPhases();
            long misses = pool.prewarmMisses();
            long coldStarts = pool.coldStarts();

            HttpResponse<String> r = s.get("cold.localhost", "/");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("hi", r.body());
            assertEquals(coldStarts + 1, pool.coldStarts());
            assertEquals(misses + 1, pool.prewarmMisses(), "the cold start built its context");

            ColdStartPhases.Snapshot after = recorded(pool, before);
            for (Phase phase : Phase.values()) {
                assertEquals(1, after.stats(phase, before).count(), phase.label());
            }
            long creation = after.stats(Phase.CONTEXT_CREATION, before).meanNanos();
            long prelude = after.stats(Phase.PRELUDE, before).meanNanos();
            assertTrue(creation > 0 && prelude > 0, "creation " + creation + " ns, prelude " + prelude + " ns");
            assertTrue(after.stats(Phase.WAIT_FOR_CONTEXT, before).meanNanos() >= creation + prelude);
            assertTrue(after.stats(Phase.MODULE_EVALUATION, before).meanNanos() > 0);
            assertTrue(after.stats(Phase.FIRST_CALL, before).meanNanos() > 0);
            assertEquals(0, after.stats(Phase.PREWARMED_CONTEXT_CREATION, before).meanNanos());
            assertEquals(0, after.stats(Phase.PREWARMED_PRELUDE, before).meanNanos());

            // A warm request records nothing.
            assertEquals("hi", s.get("cold.localhost", "/").body());
            assertEquals(1, pool.coldStartPhases().stats(Phase.TOTAL, before).count());
        }
    }

    @Test
    void aPrewarmedContextCountsZeroOnTheRequestPathAndItsCostApart() throws Exception {
        try (TestServer s = TestServer.start("prewarmed-contexts", "2")) {
            IsolatePool pool = s.server.isolates();
            s.deploy("warm", HELLO);
            assertTrue(pool.awaitPrewarmed(30, java.util.concurrent.TimeUnit.SECONDS));
            ColdStartPhases.Snapshot before = pool.coldStartPhases();
            long misses = pool.prewarmMisses();

            assertEquals("hi", s.get("warm.localhost", "/").body());
            assertEquals(misses, pool.prewarmMisses());
            ColdStartPhases.Snapshot after = recorded(pool, before);
            assertEquals(1, after.stats(Phase.TOTAL, before).count());
            assertEquals(0, after.stats(Phase.CONTEXT_CREATION, before).meanNanos());
            assertEquals(0, after.stats(Phase.PRELUDE, before).meanNanos());
            assertTrue(after.stats(Phase.PREWARMED_CONTEXT_CREATION, before).meanNanos() > 0);
            assertTrue(after.stats(Phase.PREWARMED_PRELUDE, before).meanNanos() > 0);
        }
    }
}
