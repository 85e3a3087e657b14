package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/** Event, CustomEvent and EventTarget, and the global scope as the fetch event's target. */
class EventsTest {

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    static JsonObject json(String script, String path) throws Exception {
        HttpResponse<String> r = s.get(script + ".localhost", path);
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    @Test
    void listenersRunInOrderWithCaptureFirstAndDuplicatesIgnored() throws Exception {
        s.deploy("ev-order", """
                export default {
                  fetch() {
                    const log = [];
                    const t = new EventTarget();
                    const f = (e) => log.push('f');
                    t.addEventListener('x', f);
                    t.addEventListener('x', f);
                    t.addEventListener('x', f, { capture: false });
                    t.addEventListener('x', () => log.push('capture'), true);
                    t.addEventListener('x', { handleEvent(e) { log.push('object:' + (this !== t) + ':' + (e.currentTarget === t)); } });
                    t.addEventListener('x', function (e) { log.push('this:' + (this === t)); });
                    t.addEventListener('x', () => log.push('added during dispatch ran'));
                    t.addEventListener('x', () => t.addEventListener('x', () => log.push('late')));
                    t.dispatchEvent(new Event('x'));
                    const first = log.splice(0);
                    t.removeEventListener('x', f, true);  // different capture: not removed
                    t.removeEventListener('x', f);
                    t.dispatchEvent(new Event('x'));
                    return Response.json({ first, second: log });
                  },
                };
                """);
        JsonObject r = json("ev-order", "/");
        assertEquals("[\"capture\",\"f\",\"object:true:true\",\"this:true\",\"added during dispatch ran\"]",
                r.getJsonArray("first").encode());
        assertEquals("[\"capture\",\"object:true:true\",\"this:true\",\"added during dispatch ran\",\"late\"]",
                r.getJsonArray("second").encode());
    }

    @Test
    void onceSignalAndStopImmediatePropagation() throws Exception {
        s.deploy("ev-options", """
                export default {
                  fetch() {
                    const log = [];
                    const t = new EventTarget();
                    t.addEventListener('x', () => log.push('once'), { once: true });
                    const c = new AbortController();
                    t.addEventListener('x', () => log.push('signal'), { signal: c.signal });
                    t.addEventListener('x', () => log.push('pre-aborted'), { signal: AbortSignal.abort() });
                    t.dispatchEvent(new Event('x'));
                    c.abort();
                    t.dispatchEvent(new Event('x'));
                    const stop = new EventTarget();
                    stop.addEventListener('y', (e) => { log.push('a'); e.stopImmediatePropagation(); });
                    stop.addEventListener('y', () => log.push('b'));
                    stop.dispatchEvent(new Event('y'));
                    const prop = new EventTarget();
                    prop.addEventListener('z', (e) => { log.push('capture'); e.stopPropagation(); }, { capture: true });
                    prop.addEventListener('z', () => log.push('bubble'));
                    prop.dispatchEvent(new Event('z'));
                    let badSignal = '';
                    try { t.addEventListener('x', () => {}, { signal: {} }); } catch (e) { badSignal = e.constructor.name; }
                    let badCallback = '';
                    try { t.addEventListener('x', 5); } catch (e) { badCallback = e.constructor.name; }
                    t.addEventListener('x', null);
                    return Response.json({ log, badSignal, badCallback });
                  },
                };
                """);
        JsonObject r = json("ev-options", "/");
        assertEquals("[\"once\",\"signal\",\"a\",\"capture\"]", r.getJsonArray("log").encode());
        assertEquals("TypeError", r.getString("badSignal"));
        assertEquals("TypeError", r.getString("badCallback"));
    }

    @Test
    void dispatchReturnsNotCanceledAndEventStateFollowsTheSpec() throws Exception {
        s.deploy("ev-dispatch", """
                export default {
                  fetch() {
                    const t = new EventTarget();
                    const seen = {};
                    t.addEventListener('c', (e) => {
                      seen.phase = e.eventPhase; seen.target = e.target === t; seen.path = e.composedPath().length;
                      seen.trusted = e.isTrusted;
                      e.preventDefault();
                      seen.prevented = e.defaultPrevented; seen.returnValue = e.returnValue;
                    });
                    t.addEventListener('p', (e) => { e.preventDefault(); seen.passive = e.defaultPrevented; }, { passive: true });
                    const cancelable = new Event('c', { cancelable: true });
                    const canceled = t.dispatchEvent(cancelable);
                    const notCancelable = t.dispatchEvent(new Event('c'));
                    const passive = t.dispatchEvent(new Event('p', { cancelable: true }));
                    let again = '';
                    t.addEventListener('r', (e) => { try { t.dispatchEvent(e); } catch (err) { again = err.name; } });
                    t.dispatchEvent(new Event('r'));
                    const e = new Event('e', { bubbles: true, composed: true });
                    let noArg = '';
                    try { new Event(); } catch (err) { noArg = err.constructor.name; }
                    let notEvent = '';
                    try { t.dispatchEvent({ type: 'x' }); } catch (err) { notEvent = err.constructor.name; }
                    const custom = new CustomEvent('k', { detail: { n: 1 } });
                    class MyTarget extends EventTarget { fire() { return this.dispatchEvent(new CustomEvent('go', { detail: 7 })); } }
                    const mine = new MyTarget();
                    let detail = 0;
                    mine.addEventListener('go', (ev) => { detail = ev.detail; });
                    mine.fire();
                    return Response.json({
                      canceled, notCancelable, passive, seen, again, noArg, notEvent, detail,
                      after: { phase: cancelable.eventPhase, current: cancelable.currentTarget, target: cancelable.target === t,
                               path: cancelable.composedPath().length },
                      init: [e.type, e.bubbles, e.composed, e.cancelable, e.isTrusted, e.eventPhase, e.target,
                             typeof e.timeStamp, e.timeStamp === Date.now()],
                      constants: [Event.NONE, Event.CAPTURING_PHASE, Event.AT_TARGET, Event.BUBBLING_PHASE, e.AT_TARGET],
                      custom: [custom.detail.n, new CustomEvent('k').detail, custom instanceof Event],
                      tags: [String(e), String(t), String(custom)],
                      global: [globalThis instanceof EventTarget, typeof globalThis.dispatchEvent, self === globalThis],
                    });
                  },
                };
                """);
        JsonObject r = json("ev-dispatch", "/");
        assertEquals(false, r.getBoolean("canceled"));
        assertEquals(true, r.getBoolean("notCancelable"));
        assertEquals(true, r.getBoolean("passive"));
        JsonObject seen = r.getJsonObject("seen");
        assertEquals(2, seen.getInteger("phase"));
        assertTrue(seen.getBoolean("target"));
        assertEquals(1, seen.getInteger("path"));
        assertEquals(false, seen.getBoolean("trusted"));
        assertEquals(false, seen.getBoolean("passive"));
        assertEquals("InvalidStateError", r.getString("again"));
        assertEquals("TypeError", r.getString("noArg"));
        assertEquals("TypeError", r.getString("notEvent"));
        assertEquals(7, r.getInteger("detail"));
        assertEquals("{\"phase\":0,\"current\":null,\"target\":true,\"path\":0}", r.getJsonObject("after").encode());
        assertEquals("[\"e\",true,true,false,false,0,null,\"number\",true]", r.getJsonArray("init").encode());
        assertEquals("[0,1,2,3,2]", r.getJsonArray("constants").encode());
        assertEquals("[1,null,true]", r.getJsonArray("custom").encode());
        assertEquals("[\"[object Event]\",\"[object EventTarget]\",\"[object CustomEvent]\"]",
                r.getJsonArray("tags").encode());
        assertEquals("[true,\"function\",true]", r.getJsonArray("global").encode());
    }

    @Test
    void aThrowingListenerIsReportedAndTheOthersStillRun() throws Exception {
        s.deploy("ev-throw", """
                export default {
                  fetch() {
                    const log = [];
                    const t = new EventTarget();
                    t.addEventListener('x', () => { throw new Error('listener failed'); });
                    t.addEventListener('x', () => log.push('second'));
                    t.addEventListener('x', {});  // no handleEvent: reported, not fatal
                    t.addEventListener('x', () => log.push('third'));
                    const result = t.dispatchEvent(new Event('x'));
                    return Response.json({ log, result });
                  },
                };
                """);
        try (LogCapture log = new LogCapture("worker.ev-throw")) {
            JsonObject r = json("ev-throw", "/");
            assertEquals("[\"second\",\"third\"]", r.getJsonArray("log").encode());
            assertTrue(r.getBoolean("result"));
            assertTrue(log.await("listener failed"), log.text());
            assertTrue(log.text().contains("ERROR worker.ev-throw Uncaught Error: listener failed"), log.text());
            assertTrue(log.await("handleEvent"), log.text());
        }
    }

    @Test
    void serviceWorkerFetchEventIsATrustedEventAtTheGlobalScope() throws Exception {
        HttpResponse<String> up = s.upload("ev-sw", "application/javascript", """
                let info = null;
                addEventListener('fetch', (event) => {
                  info = {
                    trusted: event.isTrusted, isEvent: event instanceof Event, extendable: event instanceof ExtendableEvent,
                    target: event.target === globalThis, type: event.type, phase: event.eventPhase,
                  };
                });
                self.addEventListener('fetch', {
                  handleEvent(event) {
                    event.waitUntil(Promise.resolve());
                    let untrusted = '';
                    try { new ExtendableEvent('x').waitUntil(Promise.resolve()); } catch (e) { untrusted = e.name; }
                    event.respondWith(Response.json({ ...info, untrusted, url: event.request.url }));
                  },
                });
                addEventListener('fetch', () => { throw new Error('never reached: respondWith already called is fine'); },
                  { signal: AbortSignal.abort() });
                """);
        assertEquals(200, up.statusCode(), up.body());
        JsonObject r = json("ev-sw", "/path");
        assertTrue(r.getBoolean("trusted"));
        assertTrue(r.getBoolean("isEvent"));
        assertTrue(r.getBoolean("extendable"));
        assertTrue(r.getBoolean("target"));
        assertEquals("fetch", r.getString("type"));
        assertEquals(2, r.getInteger("phase"));
        assertEquals("InvalidStateError", r.getString("untrusted"));
        assertTrue(r.getString("url").endsWith("/path"));
    }

    @Test
    void aThrowingFetchListenerFailsTheRequest() throws Exception {
        HttpResponse<String> up = s.upload("ev-sw-throw", "application/javascript", """
                addEventListener('fetch', () => { throw new Error('fetch listener failed'); });
                """);
        assertEquals(200, up.statusCode(), up.body());
        assertEquals(500, s.get("ev-sw-throw.localhost", "/").statusCode());
    }
}
