package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Requests through the traffic listener: routing, both script syntaxes, bindings, bodies, errors, state. */
class ServingTest {

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start("route", "example.com/api/*=api-worker", "route", "*shop.test/*=shop",
                "max-request-body", "65536");
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    @Test
    void singleFileUploadIsServedByHostName() throws Exception {
        JsonObject answer = s.deploy("hello", """
                export default {
                  fetch(request) {
                    return new Response('hello ' + request.method + ' ' + request.url, {
                      headers: { 'content-type': 'text/plain', 'x-worker': 'hello' },
                    });
                  },
                };
                """);
        assertEquals("hello", answer.getString("name"));
        assertTrue(answer.getString("version_id").matches("[0-9a-f-]{36}"), answer.encode());
        assertTrue(answer.getString("hash").matches("[0-9a-f]{64}"), answer.encode());
        assertTrue(answer.getLong("size") > 50, answer.encode());
        assertTrue(answer.getString("created_on").startsWith("20"), answer.encode());

        HttpResponse<String> r = s.get("hello.localhost", "/some/path?q=1");
        assertEquals(200, r.statusCode());
        assertEquals("hello GET http://hello.localhost/some/path?q=1", r.body());
        assertEquals("hello", r.headers().firstValue("x-worker").orElseThrow());
        assertEquals("text/plain", r.headers().firstValue("content-type").orElseThrow());

        // A port in the Host header does not change the routing.
        HttpResponse<String> withPort = s.get("hello.localhost:8787", "/");
        assertEquals(200, withPort.statusCode());
        assertEquals("hello GET http://hello.localhost:8787/", withPort.body());
    }

    @Test
    void unknownHostAndUnknownScriptGet404Json() throws Exception {
        HttpResponse<String> none = s.get("nothing.example.org", "/");
        assertEquals(404, none.statusCode());
        assertTrue(new JsonObject(none.body()).getString("error").contains("No worker"), none.body());
        HttpResponse<String> missing = s.get("not-deployed.localhost", "/");
        assertEquals(404, missing.statusCode());
        assertTrue(new JsonObject(missing.body()).getString("error").contains("not-deployed"), missing.body());
    }

    @Test
    void routePatternsWinOverHostNames() throws Exception {
        s.deploy("api-worker", "export default { fetch(req) { return new Response('api ' + req.url); } };");
        s.deploy("shop", "export default { fetch(req) { return new Response('shop ' + req.url); } };");
        s.deploy("other", "export default { fetch(req) { return new Response('other'); } };");

        assertEquals("api http://example.com/api/users", s.get("example.com", "/api/users").body());
        // The path part of the pattern matters: /web is not under /api/.
        assertEquals(404, s.get("example.com", "/web").statusCode());
        // *shop.test matches the bare domain and subdomains.
        assertEquals("shop http://shop.test/cart", s.get("shop.test", "/cart").body());
        assertEquals("shop http://www.shop.test/", s.get("www.shop.test", "/").body());
        // A route beats the NAME.localhost rule... and the rule still works for hosts no route matches.
        assertEquals("other", s.get("other.localhost", "/").body());
    }

    @Test
    void serviceWorkerSyntaxWithAddEventListener() throws Exception {
        HttpResponse<String> up = s.upload("sw", "application/javascript", """
                addEventListener('fetch', (event) => {
                  event.respondWith(handle(event.request));
                });
                async function handle(request) {
                  return new Response('service worker says ' + request.method, { status: 201 });
                }
                """);
        assertEquals(200, up.statusCode(), up.body());
        assertEquals("service-worker", new JsonObject(up.body()).getString("format"));
        HttpResponse<String> r = s.get("sw.localhost", "/");
        assertEquals(201, r.statusCode());
        assertEquals("service worker says GET", r.body());
    }

    @Test
    void asyncHandlerAndStreamedBody() throws Exception {
        s.deploy("async", """
                async function slowly(x) { await null; await Promise.resolve(); return x; }
                export default {
                  async fetch(request) {
                    const word = await slowly('streamed');
                    let i = 0;
                    const body = new ReadableStream({
                      async pull(controller) {
                        await slowly();
                        if (i < 5) {
                          controller.enqueue(new Uint8Array([48 + i]));
                          i++;
                        } else {
                          controller.enqueue(new Uint8Array([32]));
                          controller.enqueue(new Uint8Array([...word].map((c) => c.charCodeAt(0))));
                          controller.close();
                        }
                      },
                    });
                    return new Response(body, { headers: { 'content-type': 'text/plain' } });
                  },
                };
                """);
        HttpResponse<String> r = s.get("async.localhost", "/");
        assertEquals(200, r.statusCode());
        assertEquals("01234 streamed", r.body());
        assertEquals("chunked", r.headers().firstValue("transfer-encoding").orElse(""));
    }

    @Test
    void requestBodyAndHeadersReachTheWorker() throws Exception {
        s.deploy("echo", """
                export default {
                  async fetch(request) {
                    const body = await request.json();
                    return Response.json({
                      method: request.method,
                      type: request.headers.get('content-type'),
                      custom: request.headers.get('X-Custom'),
                      body,
                      used: request.bodyUsed,
                    });
                  },
                };
                """);
        HttpResponse<String> r = s.send(HttpRequest.newBuilder(URI.create(s.traffic("/")))
                .header("host", "echo.localhost")
                .header("content-type", "application/json")
                .header("x-custom", "yes")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":[1,2,\"ü\"]}")));
        assertEquals(200, r.statusCode(), r.body());
        JsonObject j = new JsonObject(r.body());
        assertEquals("POST", j.getString("method"));
        assertEquals("application/json", j.getString("type"));
        assertEquals("yes", j.getString("custom"));
        assertEquals(new JsonArray(List.of(1, 2, "ü")), j.getJsonObject("body").getJsonArray("a"));
        assertEquals(true, j.getBoolean("used"));
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
    }

    @Test
    void oversizeRequestBodyGets413() throws Exception {
        s.deploy("big-body", "export default { async fetch(r) { return new Response(String((await r.arrayBuffer()).byteLength)); } };");
        HttpResponse<String> ok = s.send(HttpRequest.newBuilder(URI.create(s.traffic("/")))
                .header("host", "big-body.localhost")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[60_000])));
        assertEquals("60000", ok.body());
        HttpResponse<String> tooBig = s.send(HttpRequest.newBuilder(URI.create(s.traffic("/")))
                .header("host", "big-body.localhost")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[70_000])));
        assertEquals(413, tooBig.statusCode());
    }

    @Test
    void aMainModuleInAFolderImportsRelativeToItsFolder() throws Exception {
        TestServer.Multipart body = new TestServer.Multipart()
                .metadata(new JsonObject().put("main_module", "src/index.js"))
                .module("src/index.js", "application/javascript+module", """
                        import { label } from './label.js';
                        import { root } from '../root.js';
                        export default { fetch() { return new Response(label + ' ' + root); } };
                        """)
                .module("src/label.js", "application/javascript+module", "export const label = 'beside';")
                .module("root.js", "application/javascript+module", "export const root = 'above';");
        HttpResponse<String> up = s.uploadMultipart("nested-main", body);
        assertEquals(200, up.statusCode(), up.body());
        assertEquals("beside above", s.get("nested-main.localhost", "/").body());
    }

    @Test
    void bindingsFromMultipartMetadataAreInEnv() throws Exception {
        TestServer.Multipart body = new TestServer.Multipart()
                .metadata(new JsonObject()
                        .put("main_module", "index.js")
                        .put("compatibility_date", "2025-01-01")
                        .put("bindings", new JsonArray()
                                .add(new JsonObject().put("type", "plain_text").put("name", "GREETING").put("text", "hi"))
                                .add(new JsonObject().put("type", "secret_text").put("name", "API_KEY").put("text", "s3cr3t"))
                                .add(new JsonObject().put("type", "json").put("name", "CONFIG")
                                        .put("json", new JsonObject().put("limit", 3).put("tags", new JsonArray().add("a"))))))
                .module("index.js", "application/javascript+module", """
                        import { shout } from './lib/util.js';
                        import banner from './banner.txt';
                        export default {
                          fetch(request, env) {
                            return Response.json({
                              greeting: shout(env.GREETING),
                              key: env.API_KEY,
                              limit: env.CONFIG.limit,
                              tags: env.CONFIG.tags,
                              banner,
                            });
                          },
                        };
                        """)
                .module("lib/util.js", "application/javascript+module", """
                        import { suffix } from '../lib/suffix.js';
                        export function shout(s) { return s.toUpperCase() + suffix; }
                        """)
                .module("lib/suffix.js", "application/javascript+module", "export const suffix = '!';")
                .module("banner.txt", "text/plain", "plain \"text\"\nmodule");
        HttpResponse<String> up = s.uploadMultipart("bound", body);
        assertEquals(200, up.statusCode(), up.body());
        assertEquals("index.js", new JsonObject(up.body()).getString("main_module"));

        JsonObject j = new JsonObject(s.get("bound.localhost", "/").body());
        assertEquals("HI!", j.getString("greeting"));
        assertEquals("s3cr3t", j.getString("key"));
        assertEquals(3, j.getInteger("limit"));
        assertEquals(new JsonArray().add("a"), j.getJsonArray("tags"));
        assertEquals("plain \"text\"\nmodule", j.getString("banner"));

        // The admin API shows the bindings, but never a secret's value.
        HttpResponse<String> shown = s.adminGet("/v1/scripts/bound");
        assertEquals(200, shown.statusCode());
        assertTrue(shown.body().contains("GREETING") && shown.body().contains("API_KEY"), shown.body());
        assertTrue(!shown.body().contains("s3cr3t"), shown.body());
        assertEquals("2025-01-01", new JsonObject(shown.body()).getJsonObject("active_version").getString("compatibility_date"));
    }

    @Test
    void serviceWorkerBindingsAreGlobals() throws Exception {
        TestServer.Multipart body = new TestServer.Multipart()
                .metadata(new JsonObject()
                        .put("body_part", "script")
                        .put("bindings", new JsonArray()
                                .add(new JsonObject().put("type", "plain_text").put("name", "GREETING").put("text", "hello sw"))))
                .module("script", "application/javascript",
                        "addEventListener('fetch', (e) => e.respondWith(new Response(GREETING)));");
        HttpResponse<String> up = s.uploadMultipart("sw-bound", body);
        assertEquals(200, up.statusCode(), up.body());
        assertEquals("hello sw", s.get("sw-bound.localhost", "/").body());
    }

    @Test
    void throwingHandlerGives500AndTheServerCarriesOn() throws Exception {
        s.deploy("thrower", """
                let calls = 0;
                export default {
                  async fetch(request) {
                    calls++;
                    if (new URLSearchless(request.url).boom) {
                      throw new TypeError('kaboom in handler');
                    }
                    return new Response('calls ' + calls);
                  },
                };
                function URLSearchless(url) { return { boom: url.endsWith('/boom') }; }
                """);
        s.deploy("not-a-response", "export default { fetch() { return { status: 200 }; } };");
        s.deploy("bystander", "export default { fetch() { return new Response('still here'); } };");
        try (LogCapture log = new LogCapture("io.isoworker.runtime.traffic.VertxResponseSink")) {
            HttpResponse<String> boom = s.get("thrower.localhost", "/boom");
            assertEquals(500, boom.statusCode());
            assertTrue(!boom.body().contains("kaboom"), "the error must not leak to the client: " + boom.body());
            assertTrue(log.await("kaboom in handler"), log.text());
            assertTrue(log.text().contains("script thrower"), log.text());
            assertTrue(log.text().contains("worker.js"), "the JS stack names the module: " + log.text());

            HttpResponse<String> wrong = s.get("not-a-response.localhost", "/");
            assertEquals(500, wrong.statusCode());
            assertTrue(log.await("did not resolve to 'Response'"), log.text());
        }
        // The same isolate keeps serving, with its state.
        assertEquals("calls 2", s.get("thrower.localhost", "/fine").body());
        assertEquals("still here", s.get("bystander.localhost", "/").body());
    }

    @Test
    void handlerThatNeverStopsIsCancelledAndItsIsolateReplaced() throws Exception {
        s.deploy("spinner", """
                let calls = 0;
                export default {
                  fetch(request) {
                    calls++;
                    if (request.url.endsWith('/spin')) { while (true) {} }
                    return new Response('calls ' + calls);
                  },
                };
                """);
        assertEquals("calls 1", s.get("spinner.localhost", "/").body());
        try (LogCapture log = new LogCapture("io.isoworker.isolate.Isolate")) {
            HttpResponse<String> spun = s.get("spinner.localhost", "/spin");
            assertEquals(503, spun.statusCode(), spun.body());
            assertTrue(spun.body().startsWith("Exceeded CPU time limit"), spun.body());
            assertTrue(log.await("script spinner"), log.text());
        }
        // The cancelled isolate is gone: the next request gets a fresh one, with fresh module state.
        assertEquals("calls 1", s.get("spinner.localhost", "/").body());
    }

    @Test
    void moduleStateIsKeptAcrossRequests() throws Exception {
        s.deploy("counter", """
                let count = 0;
                const started = Date.now();
                export default { fetch() { count++; return new Response(String(count)); } };
                """);
        for (int i = 1; i <= 5; i++) {
            assertEquals(String.valueOf(i), s.get("counter.localhost", "/").body());
        }
    }

    @Test
    void consoleOutputGoesToTheLogTaggedWithTheScript() throws Exception {
        s.deploy("chatty", """
                console.log('loading', { ready: true });
                export default {
                  fetch(request) {
                    console.log('handling %s', request.method, [1, 2]);
                    console.error(new Error('logged error'));
                    return new Response('ok');
                  },
                };
                """);
        try (LogCapture log = new LogCapture("worker.chatty")) {
            assertEquals("ok", s.get("chatty.localhost", "/").body());
            assertTrue(log.await("handling GET [ 1, 2 ]"), log.text());
            assertTrue(log.text().contains("INFO worker.chatty handling GET"), log.text());
            assertTrue(log.text().contains("ERROR worker.chatty Error: logged error"), log.text());
        }
    }
}
