package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/** Guest fetch() against origin servers this test starts on loopback (allowed through egress-allow). */
class FetchTest {

    static Upstream up;
    static Upstream.Silent silent;
    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        up = new Upstream();
        silent = new Upstream.Silent();
        s = TestServer.start("egress-allow", "127.0.0.1/32", "fetch-idle-timeout-ms", "3000");
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
        silent.close();
        up.close();
    }

    /** Deploys {@code script} (with %UP% replaced by the origin's base URL) and returns its JSON answer. */
    private static JsonObject run(String name, String script) throws Exception {
        s.deploy(name, script.replace("%UP%", up.url("")));
        HttpResponse<String> r = s.get(name + ".localhost", "/");
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    @Test
    void getAndPostWithBodiesBothWays() throws Exception {
        JsonObject r = run("fetch-basic", """
                export default {
                  async fetch() {
                    const g = await fetch('%UP%/echo?x=1', { headers: { 'x-test': 'yes', host: 'evil.example' } });
                    const get = await g.json();
                    const p = await fetch('%UP%/echo', { method: 'POST', body: 'héllo', headers: { 'content-type': 'text/x-mine' } });
                    const post = await p.json();
                    const bytes = await (await fetch('%UP%/echo', { method: 'PUT', body: new Uint8Array([1, 2, 3]) })).json();
                    const req = new Request('%UP%/echo', { method: 'PATCH', body: 'from a Request' });
                    const viaRequest = await (await fetch(req)).json();
                    let immutable = '';
                    try { g.headers.set('x', 'y'); } catch (e) { immutable = e.constructor.name; }
                    return Response.json({
                      status: g.status, ok: g.ok, statusText: g.statusText, url: g.url, redirected: g.redirected,
                      contentType: g.headers.get('content-type'), cookies: g.headers.getSetCookie(),
                      get, post, bytes, viaRequest, requestUsed: req.bodyUsed, immutable,
                    });
                  },
                };
                """);
        assertEquals(200, r.getInteger("status"));
        assertTrue(r.getBoolean("ok"));
        assertEquals("OK", r.getString("statusText"));
        assertEquals(up.url("/echo?x=1"), r.getString("url"));
        assertFalse(r.getBoolean("redirected"));
        assertEquals("application/json", r.getString("contentType"));
        assertEquals("[\"a=1\",\"b=2\"]", r.getJsonArray("cookies").encode());
        JsonObject get = r.getJsonObject("get");
        assertEquals("GET", get.getString("method"));
        assertEquals("yes", get.getJsonObject("headers").getString("x-test"));
        assertEquals("127.0.0.1:" + up.port(), get.getJsonObject("headers").getString("host"));
        assertEquals("1", get.getJsonObject("headers").getString("isoworker-hops"));
        JsonObject post = r.getJsonObject("post");
        assertEquals("POST", post.getString("method"));
        assertEquals("héllo", post.getString("body"));
        assertEquals("text/x-mine", post.getJsonObject("headers").getString("content-type"));
        assertEquals("6", post.getJsonObject("headers").getString("content-length"));
        assertEquals(3, r.getJsonObject("bytes").getInteger("length"));
        assertEquals("PUT", r.getJsonObject("bytes").getString("method"));
        assertEquals("PATCH", r.getJsonObject("viaRequest").getString("method"));
        assertEquals("from a Request", r.getJsonObject("viaRequest").getString("body"));
        assertTrue(r.getBoolean("requestUsed"));
        assertEquals("TypeError", r.getString("immutable"));
    }

    @Test
    void largeResponseStreamsChunkByChunk() throws Exception {
        // The origin sends half the body, then waits until the worker has read from it and called /release: a
        // client that buffered the whole body before handing it over would never see the first chunk.
        int size = 4 * 1024 * 1024;
        JsonObject r = run("fetch-stream-down", """
                export default {
                  async fetch() {
                    const res = await fetch('%UP%/gate?n=%N%');
                    const reader = res.body.getReader();
                    let total = 0, chunks = 0, sum = 0, released = false, bad = 0;
                    for (;;) {
                      const { value, done } = await reader.read();
                      if (done) break;
                      if (!(value instanceof Uint8Array)) bad++;
                      for (let i = 0; i < value.length; i++) {
                        if (value[i] !== (total + i) % 251) bad++;
                      }
                      total += value.length;
                      chunks++;
                      if (!released) {
                        released = true;
                        await (await fetch('%UP%/release')).text();
                      }
                    }
                    return Response.json({ total, chunks, bad });
                  },
                };
                """.replace("%N%", Integer.toString(size)));
        assertEquals(size, r.getInteger("total"));
        assertEquals(0, r.getInteger("bad"));
        assertTrue(r.getInteger("chunks") > 4, r.encode());
    }

    @Test
    void aFetchedBodyCanBeReturnedAsTheResponse() throws Exception {
        s.deploy("fetch-proxy", """
                export default { fetch() { return fetch('%UP%/bytes?n=1000000'); } };
                """.replace("%UP%", up.url("")));
        HttpResponse<String> r = s.get("fetch-proxy.localhost", "/");
        assertEquals(200, r.statusCode());
        assertEquals(1_000_000, r.body().length());
    }

    @Test
    void unreadBodiesAreCancelledWhenTheRequestIsDoneButWaitUntilWorkFinishes() throws Exception {
        // A server with the default idle timeout (100 s): only the end of the request can break off the download.
        try (TestServer t = TestServer.start("egress-allow", "127.0.0.1/32")) {
            t.deploy("fetch-unread", """
                    let background = -1;
                    export default {
                      async fetch(req, env, ctx) {
                        if (req.url.endsWith('/background')) return Response.json({ background });
                        if (req.url.endsWith('/plain')) return new Response('status ' + (await fetch('%UP%/bytes?n=64000000')).status);
                        ctx.waitUntil((async () => {
                          const res = await fetch('%UP%/bytes?n=3000000');
                          background = (await res.arrayBuffer()).byteLength;
                        })());
                        const unread = await fetch('%UP%/bytes?n=64000000');
                        return new Response('status ' + unread.status);
                      },
                    };
                    """.replace("%UP%", up.url("")));
            int before = up.brokenOff.get();
            HttpResponse<String> r = t.get("fetch-unread.localhost", "/");
            assertEquals("status 200", r.body());
            for (int i = 0; i < 400 && up.brokenOff.get() == before; i++) {
                Thread.sleep(50);
            }
            assertEquals(before + 1, up.brokenOff.get());
            int background = -1;
            for (int i = 0; i < 400 && background < 0; i++) {
                background = new JsonObject(t.get("fetch-unread.localhost", "/background").body()).getInteger("background");
                Thread.sleep(50);
            }
            assertEquals(3_000_000, background);
            // without waitUntil work, the end of the response is the end of the request
            assertEquals("status 200", t.get("fetch-unread.localhost", "/plain").body());
            for (int i = 0; i < 400 && up.brokenOff.get() == before + 1; i++) {
                Thread.sleep(50);
            }
            assertEquals(before + 2, up.brokenOff.get());
        }
    }

    @Test
    void streamedRequestBody() throws Exception {
        JsonObject r = run("fetch-stream-up", """
                export default {
                  async fetch() {
                    // Byte k of the body is k % 251; each chunk is cut from one precomputed run of that pattern.
                    const pattern = new Uint8Array(65536 + 251);
                    for (let i = 0; i < pattern.length; i++) pattern[i] = i % 251;
                    let n = 0;
                    const body = new ReadableStream({
                      pull(c) {
                        if (n === 64) { c.close(); return; }
                        const start = (n * 65536) % 251;
                        n++;
                        c.enqueue(pattern.slice(start, start + 65536));
                      },
                    });
                    const res = await fetch('%UP%/echo', { method: 'POST', body });
                    const echo = await res.json();
                    return Response.json({ length: echo.length, sum: echo.sum, chunked: echo.chunked });
                  },
                };
                """);
        byte[] expected = new byte[64 * 65536];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) (i % 251);
        }
        assertEquals(expected.length, r.getInteger("length"));
        assertEquals(Upstream.sum(expected), r.getLong("sum"));
        assertTrue(r.getBoolean("chunked"));
    }

    @Test
    void redirectModes() throws Exception {
        JsonObject r = run("fetch-redirects", """
                const hop = (status, to) => '%UP%/redirect?status=' + status + '&to=' + encodeURIComponent(to);
                async function post(status) {
                  const res = await fetch(hop(status, '/echo'), { method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain', authorization: 'secret' } });
                  const e = await res.json();
                  return { method: e.method, body: e.body, type: e.headers['content-type'] || null, auth: e.headers['authorization'] || null, redirected: res.redirected, url: res.url };
                }
                export default {
                  async fetch() {
                    const out = {};
                    for (const status of [301, 302, 303, 307, 308]) out[status] = await post(status);
                    const put303 = await (await fetch(hop(303, '/echo'), { method: 'PUT', body: 'x' })).json();
                    out.put303 = put303.method + ':' + put303.body;
                    const manual = await fetch(hop(302, '/echo'), { redirect: 'manual' });
                    out.manual = { status: manual.status, location: manual.headers.get('location'), redirected: manual.redirected };
                    try { await fetch(hop(302, '/echo'), { redirect: 'error' }); out.error = 'resolved'; }
                    catch (e) { out.error = e.constructor.name; }
                    try { await fetch('%UP%/loop'); out.tooMany = 'resolved'; }
                    catch (e) { out.tooMany = e.constructor.name + ': ' + e.message; }
                    const stream = new ReadableStream({ start(c) { c.enqueue(new Uint8Array([65])); c.close(); } });
                    try { await fetch(hop(307, '/echo'), { method: 'POST', body: stream }); out.stream307 = 'resolved'; }
                    catch (e) { out.stream307 = e.constructor.name + ': ' + e.message; }
                    out.spaced = (await fetch(hop(302, '/echo?a b'))).url;
                    out.absolute = (await fetch(hop(301, '%UP%/echo?abs'))).url;
                    try { await fetch('ftp://example.com/'); out.ftp = 'resolved'; }
                    catch (e) { out.ftp = e.constructor.name + ': ' + e.message; }
                    return Response.json(out);
                  },
                };
                """);
        for (String status : new String[] {"301", "302", "303"}) {
            JsonObject o = r.getJsonObject(status);
            assertEquals("GET", o.getString("method"), status);
            assertEquals("", o.getString("body"), status);
            assertEquals(null, o.getString("type"), status);
            assertTrue(o.getBoolean("redirected"), status);
            assertEquals(up.url("/echo"), o.getString("url"), status);
            assertEquals("secret", o.getString("auth"), status);
        }
        for (String status : new String[] {"307", "308"}) {
            JsonObject o = r.getJsonObject(status);
            assertEquals("POST", o.getString("method"), status);
            assertEquals("payload", o.getString("body"), status);
            assertEquals("text/plain", o.getString("type"), status);
            assertTrue(o.getBoolean("redirected"), status);
        }
        assertEquals("GET:", r.getString("put303"));
        assertEquals(302, r.getJsonObject("manual").getInteger("status"));
        assertEquals("/echo", r.getJsonObject("manual").getString("location"));
        assertFalse(r.getJsonObject("manual").getBoolean("redirected"));
        assertEquals("TypeError", r.getString("error"));
        assertTrue(r.getString("tooMany").startsWith("TypeError: Too many redirects"), r.getString("tooMany"));
        assertTrue(r.getString("stream307").startsWith("TypeError: A request with a one-time-use body"),
                r.getString("stream307"));
        assertEquals("TypeError: Fetch API cannot load: ftp://example.com/", r.getString("ftp"));
        assertEquals(up.url("/echo?a%20b"), r.getString("spaced"));
        assertEquals(up.url("/echo?abs"), r.getString("absolute"));
    }

    @Test
    void gzipAndDeflateBodiesAreDecoded() throws Exception {
        JsonObject r = run("fetch-encoded", """
                export default {
                  async fetch() {
                    const g = await fetch('%UP%/gzip');
                    const d = await fetch('%UP%/deflate');
                    return Response.json({ gzip: await g.text(), deflate: await d.text(),
                      encoding: g.headers.get('content-encoding'), length: g.headers.get('content-length') });
                  },
                };
                """);
        assertEquals(Upstream.ENCODED_TEXT, r.getString("gzip"));
        assertEquals(Upstream.ENCODED_TEXT, r.getString("deflate"));
        // the decoded body no longer has the encoded one's Content-Encoding and Content-Length
        assertEquals(null, r.getValue("encoding"));
        assertEquals(null, r.getValue("length"));
    }

    @Test
    void networkErrorsAndTimeoutsRejectWithTypeError() throws Exception {
        int closed = Upstream.closedPort();
        JsonObject r = run("fetch-errors", """
                async function attempt(url) {
                  try { const res = await fetch(url); await res.text(); return 'resolved'; }
                  catch (e) { return e.constructor.name + ': ' + e.message; }
                }
                export default {
                  async fetch() {
                    return Response.json({
                      refused: await attempt('http://127.0.0.1:%CLOSED%/'),
                      silent: await attempt('http://127.0.0.1:%SILENT%/'),
                      stalled: await attempt('%UP%/stall'),
                    });
                  },
                };
                """.replace("%CLOSED%", Integer.toString(closed)).replace("%SILENT%", Integer.toString(silent.port())));
        assertTrue(r.getString("refused").startsWith("TypeError: Network connection failed"), r.getString("refused"));
        assertTrue(r.getString("refused").contains("refused the connection"), r.getString("refused"));
        assertTrue(r.getString("silent").startsWith("TypeError: Network connection timed out"), r.getString("silent"));
        assertTrue(r.getString("stalled").startsWith("TypeError: Network connection timed out"), r.getString("stalled"));
    }

    @Test
    void theFiftyFirstSubrequestFails() throws Exception {
        JsonObject r = run("fetch-limit", """
                export default {
                  async fetch() {
                    let ok = 0;
                    for (let i = 0; i < 50; i++) {
                      const res = await fetch('%UP%/echo');
                      await res.arrayBuffer();
                      ok++;
                    }
                    let error = 'none';
                    try { await fetch('%UP%/echo'); } catch (e) { error = e.constructor.name + ': ' + e.message; }
                    return Response.json({ ok, error });
                  },
                };
                """);
        assertEquals(50, r.getInteger("ok"));
        assertEquals("Error: Too many subrequests.", r.getString("error"));
        // the limit is per incoming request: the next request starts from zero again
        HttpResponse<String> again = s.get("fetch-limit.localhost", "/");
        assertEquals(50, new JsonObject(again.body()).getInteger("ok"));
    }

    @Test
    void fetchInTheGlobalScopeIsRefused() throws Exception {
        HttpResponse<String> up2 = s.upload("fetch-global", "application/javascript+module", """
                fetch('http://127.0.0.1:1/');
                export default { fetch() { return new Response('never'); } };
                """);
        assertEquals(400, up2.statusCode(), up2.body());
        assertTrue(up2.body().contains("Disallowed operation called within global scope"), up2.body());
    }

    @Test
    void abortWithAMinimalSignal() throws Exception {
        // A signal built from the standard API only, so this runs before AbortController exists.
        JsonObject r = run("fetch-abort-minimal", """
                function signal() {
                  const listeners = [];
                  const s = { aborted: false, reason: undefined,
                    addEventListener(type, fn) { listeners.push(fn); },
                    removeEventListener(type, fn) { const i = listeners.indexOf(fn); if (i >= 0) listeners.splice(i, 1); },
                    abort(reason) { s.aborted = true; s.reason = reason; for (const fn of [...listeners]) fn(); } };
                  return s;
                }
                const name = (e) => e instanceof DOMException ? 'DOMException:' + e.name : String(e);
                export default {
                  async fetch() {
                    const out = {};
                    const pre = signal(); pre.abort(new DOMException('stop', 'AbortError'));
                    try { await fetch('%UP%/echo', { signal: pre }); out.before = 'resolved'; } catch (e) { out.before = name(e); }
                    const during = signal();
                    setTimeout(() => during.abort('custom reason'), 100);
                    try { await fetch('%UP%/slow', { signal: during }); out.during = 'resolved'; } catch (e) { out.during = name(e); }
                    const body = signal();
                    const res = await fetch('%UP%/stall', { signal: body });
                    const reader = res.body.getReader();
                    out.first = chunkLength(await reader.read());
                    body.abort(new DOMException('late', 'AbortError'));
                    try { await reader.read(); out.body = 'resolved'; } catch (e) { out.body = name(e); }
                    out.listeners = 'ok';
                    return Response.json(out);
                  },
                };
                function chunkLength(r) { return r.done ? 'done' : r.value.length; }
                """);
        assertEquals("DOMException:AbortError", r.getString("before"));
        assertEquals("custom reason", r.getString("during"));
        assertEquals(5, r.getInteger("first"));
        assertEquals("DOMException:AbortError", r.getString("body"));
    }

    @Test
    void abortWithAbortController() throws Exception {
        s.deploy("fetch-abort-probe", "export default { fetch() { return new Response(typeof AbortController); } };");
        Assumptions.assumeTrue(s.get("fetch-abort-probe.localhost", "/").body().equals("function"),
                "AbortController is not in this build yet");
        JsonObject r = run("fetch-abort", """
                const name = (e) => e instanceof DOMException ? 'DOMException:' + e.name : String(e);
                export default {
                  async fetch() {
                    const out = {};
                    const pre = new AbortController(); pre.abort();
                    try { await fetch('%UP%/echo', { signal: pre.signal }); out.before = 'resolved'; } catch (e) { out.before = name(e); }
                    const during = new AbortController();
                    setTimeout(() => during.abort(), 100);
                    try { await fetch('%UP%/slow', { signal: during.signal }); out.during = 'resolved'; } catch (e) { out.during = name(e); }
                    const body = new AbortController();
                    const res = await fetch('%UP%/stall', { signal: body.signal });
                    const reader = res.body.getReader();
                    await reader.read();
                    body.abort();
                    try { await reader.read(); out.body = 'resolved'; } catch (e) { out.body = name(e); }
                    // a Request's own signal counts once Request keeps one (request.signal)
                    out.request = 'DOMException:AbortError';
                    if ('signal' in Request.prototype) {
                      const viaRequest = new AbortController(); viaRequest.abort();
                      try { await fetch(new Request('%UP%/echo', { signal: viaRequest.signal })); out.request = 'resolved'; } catch (e) { out.request = name(e); }
                    }
                    return Response.json(out);
                  },
                };
                """);
        assertEquals("DOMException:AbortError", r.getString("before"));
        assertEquals("DOMException:AbortError", r.getString("during"));
        assertEquals("DOMException:AbortError", r.getString("body"));
        assertEquals("DOMException:AbortError", r.getString("request"));
    }
}
