package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The Fetch Standard's data: URL processing, through {@code fetch()} in a worker, against WPT's
 * {@code data-urls.json} and the data: URL half of {@code base64.json} (the data's README says how).
 */
class DataUrlConformanceTest {

    static TestServer s;

    /** Runs every case of the posted file: `[url, null]` must reject, `[url, mimeType, bytes]` must answer. */
    static final String RUNNER = """
            function sameBytes(a, b) {
              if (a.length !== b.length) return false;
              for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
              return true;
            }
            async function runCase(url, mimeType, bytes) {
              let response;
              try {
                response = await fetch(url);
              } catch (e) {
                return mimeType === null && e instanceof TypeError;
              }
              if (mimeType === null) return false;
              const body = new Uint8Array(await response.arrayBuffer());
              return response.status === 200 && response.statusText === 'OK'
                && response.headers.get('content-type') === mimeType && sameBytes(body, bytes);
            }
            export default {
              async fetch(request) {
                const { kind, cases } = await request.json();
                const failed = [];
                let passed = 0;
                for (const c of cases) {
                  const [url, mimeType, bytes] = kind === 'base64'
                    ? ['data:;base64,' + c[0], c[1] === null ? null : 'text/plain;charset=US-ASCII', c[1]]
                    : c;
                  let ok;
                  try { ok = await runCase(url, mimeType, bytes); } catch (e) { ok = false; }
                  if (ok) passed++; else failed.push(url);
                }
                return Response.json({ cases: cases.length, passed, failed });
              },
            };
            """;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start("cpu-ms", "120000");
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    private static JsonObject run(String kind, String file, String label) throws Exception {
        JsonArray cases = new JsonArray(new String(Conformance.read(file), java.nio.charset.StandardCharsets.UTF_8));
        String answer = Conformance.runInWorker(s, "data-url-" + kind, RUNNER,
                new JsonObject().put("kind", kind).put("cases", cases).encode()
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        JsonObject r = new JsonObject(answer);
        assertEquals(cases.size(), r.getInteger("cases"), "every case was run");
        Conformance.record(label, r.getInteger("cases"), r.getInteger("passed"), "100%");
        return r;
    }

    @Test
    void dataUrls() throws Exception {
        JsonObject r = run("data-urls", "wpt/fetch/data-urls/resources/data-urls.json",
                "wpt/fetch/data-urls/resources/data-urls.json");
        System.err.println("data-urls.json failures: " + r.getJsonArray("failed").encode());
    }

    @Test
    void base64DataUrls() throws Exception {
        JsonObject r = run("base64", "wpt/fetch/data-urls/resources/base64.json",
                "wpt/fetch/data-urls/resources/base64.json (data: URLs)");
        System.err.println("base64.json (data: URL) failures: " + r.getJsonArray("failed").encode());
    }
}
