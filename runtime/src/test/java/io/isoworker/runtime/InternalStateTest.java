package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/**
 * Request, Response, Headers, URL and URLSearchParams keep their state in a record under a registered symbol (see
 * the prelude's sandbox.js for why not private fields): invisible to the usual ways of listing an object, and not
 * trusted by the host when a worker tampers with it.
 */
class InternalStateTest {

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    @Test
    void theStateDoesNotShowWhenAnObjectIsListed() throws Exception {
        JsonObject j = WorkerChecks.run(s, "internal-listing", """
                const forIn = (o) => { const k = []; for (const x in o) k.push(x); return k.filter((x) => !(x in Object.getPrototypeOf(o))); };
                const checks = {
                  requestKeys: (r) => Object.keys(r).length,
                  responseKeys: () => Object.keys(new Response('x')).length,
                  headersJson: () => JSON.stringify(new Headers({ a: '1' })),
                  urlJson: () => JSON.stringify({ u: new URL('https://a.example/p?q=1') }),
                  paramsSpreadKeys: () => Object.keys({ ...new URLSearchParams('a=1') }).length,
                  ownForIn: (r) => forIn(r).length + forIn(new Headers()).length + forIn(new URL('https://a.example/')).length,
                  brand: () => Object.getOwnPropertyDescriptor(Response.prototype, 'status').get.call({}),
                  brandOfHeaders: () => Headers.prototype.get.call(new Response('x'), 'a'),
                };
                """);
        assertEquals(0, j.getInteger("requestKeys"));
        assertEquals(0, j.getInteger("responseKeys"));
        assertEquals("{}", j.getString("headersJson"));
        assertEquals("{\"u\":\"https://a.example/p?q=1\"}", j.getString("urlJson"));
        assertEquals(0, j.getInteger("paramsSpreadKeys"));
        assertEquals(0, j.getInteger("ownForIn"));
        assertEquals("threw TypeError: Illegal invocation: this is not a Response.", j.getString("brand"));
        assertEquals("threw TypeError: Illegal invocation: this is not a Headers.", j.getString("brandOfHeaders"));
    }

    @Test
    void consoleLogDoesNotPrintTheState() throws Exception {
        s.deploy("internal-console", """
                export default { fetch(request) {
                  console.log(new Headers({ a: '1' }), new Response('x'), new URL('https://a.example/'));
                  return new Response('done');
                } };
                """);
        try (LogCapture log = new LogCapture("worker.internal-console")) {
            assertEquals("done", s.get("internal-console.localhost", "/").body());
            String text = log.text();
            assertTrue(text.contains("Headers"), text);
            assertTrue(!text.contains("isoworker.") && !text.contains("Symbol("), text);
        }
    }

    @Test
    void stateForgedByTheWorkerIsRefusedByTheHost() throws Exception {
        s.deploy("internal-forger", """
                export default { fetch(request) {
                  const mode = new URL(request.url).pathname.slice(1);
                  const r = new Response('ok');
                  const state = r[Symbol.for('isoworker.Response')];
                  const list = state.headers[Symbol.for('isoworker.Headers')].list;
                  if (mode === 'status') state.status = 1000;
                  if (mode === 'crlf') list.push(['x-a', 'b\\r\\nx-injected: 1']);
                  if (mode === 'name') list.push(['bad name', 'v']);
                  if (mode === 'latin1') list.push(['x-a', '\\u20ac']);
                  if (mode === 'body') state.body = { bytes: 'not bytes', stream: null, used: false };
                  if (mode === 'fetch') {
                    const req = new Request('http://127.0.0.1:1/');
                    req.headers[Symbol.for('isoworker.Headers')].list.push(['x-a', 'b\\nc']);
                    return fetch(req).then(() => new Response('fetched'), (e) => new Response('refused: ' + e));
                  }
                  return r;
                } };
                """);
        for (String mode : List.of("status", "crlf", "name", "latin1", "body")) {
            HttpResponse<String> r = s.get("internal-forger.localhost", "/" + mode);
            assertEquals(500, r.statusCode(), mode + ": " + r.body());
            assertTrue(r.headers().firstValue("x-injected").isEmpty(), mode);
        }
        // refused by the host before any connection is tried (port 1 would refuse one anyway, for another reason)
        HttpResponse<String> fetched = s.get("internal-forger.localhost", "/fetch");
        assertTrue(fetched.statusCode() == 500 || fetched.body().contains("invalid header value"),
                fetched.statusCode() + " " + fetched.body());
        assertEquals("ok", s.get("internal-forger.localhost", "/none").body());
    }
}
