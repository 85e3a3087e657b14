package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.vertx.core.json.JsonObject;

/**
 * Runs named checks inside a worker. {@code checks} is JavaScript defining {@code const checks = { name: async
 * (request) => value, ... }}; the worker answers a JSON object with each check's value, or
 * {@code "threw NAME: MESSAGE"} for a check that threw.
 */
final class WorkerChecks {

    private static final String RUNNER = """
            export default {
              async fetch(request) {
                const out = {};
                for (const [name, check] of Object.entries(checks)) {
                  try {
                    out[name] = await check(request);
                  } catch (e) {
                    out[name] = 'threw ' + (e && e.name) + ': ' + (e && e.message);
                  }
                }
                return Response.json(out);
              },
            };
            """;

    private WorkerChecks() {
    }

    static JsonObject run(TestServer s, String name, String checks) throws Exception {
        s.deploy(name, checks + "\n" + RUNNER);
        HttpResponse<String> r = s.get(name + ".localhost", "/");
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    static JsonObject post(TestServer s, String name, String checks, String contentType, byte[] body)
            throws Exception {
        s.deploy(name, checks + "\n" + RUNNER);
        HttpResponse<String> r = s.send(HttpRequest.newBuilder(URI.create(s.traffic("/")))
                .header("host", name + ".localhost")
                .header("content-type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }
}
