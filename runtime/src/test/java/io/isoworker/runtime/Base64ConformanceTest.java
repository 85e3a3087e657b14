package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** {@code atob} against the Web Platform Tests' forgiving-base64 cases, inside a worker. */
class Base64ConformanceTest {

    private static final Logger LOG = LoggerFactory.getLogger(Base64ConformanceTest.class);
    private static final String FILE = "wpt/fetch/data-urls/resources/base64.json";

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start("cpu-ms", "120000");
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    /** A case [input, bytes] passes when atob gives the string of those bytes; [input, null] when it throws. */
    static final String RUNNER = """
            export default {
              async fetch(request) {
                const cases = await request.json();
                const r = { cases: cases.length, passed: 0, failures: [] };
                for (const [input, bytes] of cases) {
                  let got;
                  try { got = atob(input); } catch (e) {
                    got = e instanceof DOMException && e.name === 'InvalidCharacterError' && e.code === 5 ? null : 'threw ' + e;
                  }
                  const want = bytes === null ? null : String.fromCharCode(...bytes);
                  if (got === want) {
                    r.passed++;
                  } else if (r.failures.length < 20) {
                    r.failures.push(JSON.stringify(input) + ': got ' + JSON.stringify(got) + ', want ' + JSON.stringify(want));
                  }
                }
                return Response.json(r);
              },
            };
            """;

    @Test
    void everyCaseThroughAtob() throws Exception {
        byte[] data = Conformance.read(FILE);
        JsonObject r = new JsonObject(Conformance.runInWorker(s, "base64-runner", RUNNER, data));
        int cases = r.getInteger("cases");
        int passed = r.getInteger("passed");
        if (passed < cases) {
            LOG.warn("{}: {} of {} passed; first failures: {}", FILE, passed, cases, r.getJsonArray("failures"));
        }
        assertEquals(new JsonArray(new String(data, java.nio.charset.StandardCharsets.UTF_8)).size(), cases);
        Conformance.record(FILE, cases, passed, "100%");
    }
}
