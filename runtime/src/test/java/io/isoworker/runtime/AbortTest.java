package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/** AbortController and AbortSignal: abort, timeout, any, onabort and the abort event. */
class AbortTest {

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    static JsonObject json(String script) throws Exception {
        HttpResponse<String> r = s.get(script + ".localhost", "/");
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    @Test
    void abortSetsTheReasonRunsOnabortAndFiresOnce() throws Exception {
        s.deploy("ab-basic", """
                export default {
                  fetch() {
                    const log = [];
                    const c = new AbortController();
                    const signal = c.signal;
                    const before = [signal.aborted, signal.reason];
                    signal.onabort = (e) => log.push('onabort:' + e.type + ':' + e.isTrusted + ':' + (e.target === signal));
                    signal.addEventListener('abort', () => log.push('listener'));
                    c.abort();
                    c.abort('again');
                    const reason = signal.reason;
                    let thrown = null;
                    try { signal.throwIfAborted(); } catch (e) { thrown = e === reason; }
                    const custom = new AbortController();
                    custom.abort('my reason');
                    const pre = AbortSignal.abort();
                    const preCustom = AbortSignal.abort(42);
                    let ctor = '';
                    try { new AbortSignal(); } catch (e) { ctor = e.constructor.name; }
                    new AbortController().signal.throwIfAborted();
                    return Response.json({
                      log, before, aborted: signal.aborted, name: reason.name, message: reason.message,
                      isDomException: reason instanceof DOMException, code: reason.code, thrown,
                      custom: custom.signal.reason, pre: [pre.aborted, pre.reason.name], preCustom: preCustom.reason,
                      ctor, onabort: typeof signal.onabort, sameSignal: c.signal === signal,
                      tags: [String(c), String(signal)], isTarget: signal instanceof EventTarget,
                    });
                  },
                };
                """);
        JsonObject r = json("ab-basic");
        assertEquals("[\"onabort:abort:true:true\",\"listener\"]", r.getJsonArray("log").encode());
        assertEquals("[false,null]", r.getJsonArray("before").encode());
        assertTrue(r.getBoolean("aborted"));
        assertEquals("AbortError", r.getString("name"));
        assertEquals("The operation was aborted", r.getString("message"));
        assertTrue(r.getBoolean("isDomException"));
        assertEquals(20, r.getInteger("code"));
        assertTrue(r.getBoolean("thrown"));
        assertEquals("my reason", r.getString("custom"));
        assertEquals("[true,\"AbortError\"]", r.getJsonArray("pre").encode());
        assertEquals(42, r.getInteger("preCustom"));
        assertEquals("TypeError", r.getString("ctor"));
        assertEquals("function", r.getString("onabort"));
        assertTrue(r.getBoolean("sameSignal"));
        assertEquals("[\"[object AbortController]\",\"[object AbortSignal]\"]", r.getJsonArray("tags").encode());
        assertTrue(r.getBoolean("isTarget"));
    }

    @Test
    void timeoutAbortsWithATimeoutError() throws Exception {
        s.deploy("ab-timeout", """
                export default {
                  async fetch() {
                    const signal = AbortSignal.timeout(10);
                    const early = signal.aborted;
                    const event = await new Promise((resolve) => signal.addEventListener('abort', resolve));
                    let badMs = '';
                    try { AbortSignal.timeout(-1); } catch (e) { badMs = e.constructor.name; }
                    return Response.json({ early, aborted: signal.aborted, name: signal.reason.name,
                      message: signal.reason.message, code: signal.reason.code, trusted: event.isTrusted, badMs });
                  },
                };
                """);
        JsonObject r = json("ab-timeout");
        assertEquals(false, r.getBoolean("early"));
        assertTrue(r.getBoolean("aborted"));
        assertEquals("TimeoutError", r.getString("name"));
        assertEquals("The operation was aborted due to timeout", r.getString("message"));
        assertEquals(23, r.getInteger("code"));
        assertTrue(r.getBoolean("trusted"));
        assertEquals("TypeError", r.getString("badMs"));
    }

    @Test
    void overriddenSetTimeoutDoesNotBreakTimeout() throws Exception {
        s.deploy("ab-timeout-global", """
                export default {
                  async fetch() {
                    globalThis.setTimeout = () => { throw new Error('user setTimeout'); };
                    const signal = AbortSignal.timeout(1);
                    await new Promise((resolve) => { signal.onabort = resolve; });
                    return new Response(signal.reason.name);
                  },
                };
                """);
        assertEquals("TimeoutError", s.get("ab-timeout-global.localhost", "/").body());
    }

    @Test
    void anyFollowsAlreadyAbortedAndLaterAbortedSignals() throws Exception {
        s.deploy("ab-any", """
                export default {
                  async fetch() {
                    const log = [];
                    const a = new AbortController(), b = new AbortController();
                    const any = AbortSignal.any([a.signal, b.signal]);
                    const nested = AbortSignal.any([any]);
                    any.addEventListener('abort', () => log.push('any:' + nested.aborted));
                    nested.addEventListener('abort', () => log.push('nested'));
                    a.signal.addEventListener('abort', () => log.push('a:' + any.aborted));
                    const before = any.aborted;
                    b.abort('from b');
                    a.abort('from a');
                    const already = AbortSignal.any([new AbortController().signal, AbortSignal.abort('first'), AbortSignal.abort('second')]);
                    const empty = AbortSignal.any([]);
                    const timed = AbortSignal.any([new AbortController().signal, AbortSignal.timeout(5)]);
                    await new Promise((resolve) => timed.addEventListener('abort', resolve));
                    let notSignal = '';
                    try { AbortSignal.any([{}]); } catch (e) { notSignal = e.constructor.name; }
                    return Response.json({
                      log, before, reason: any.reason, nestedReason: nested.reason, already: [already.aborted, already.reason],
                      empty: empty.aborted, timed: timed.reason.name, notSignal,
                    });
                  },
                };
                """);
        JsonObject r = json("ab-any");
        // the dependents are marked aborted before any abort event fires; b's own event ran first
        assertEquals("[\"any:true\",\"nested\",\"a:true\"]", r.getJsonArray("log").encode());
        assertEquals(false, r.getBoolean("before"));
        assertEquals("from b", r.getString("reason"));
        assertEquals("from b", r.getString("nestedReason"));
        assertEquals("[true,\"first\"]", r.getJsonArray("already").encode());
        assertEquals(false, r.getBoolean("empty"));
        assertEquals("TimeoutError", r.getString("timed"));
        assertEquals("TypeError", r.getString("notSignal"));
    }
}
