package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/** Timers, queueMicrotask, the frozen clocks, performance, navigator, DOMException and ctx.waitUntil. */
class TimersAndClocksTest {

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    private static JsonObject json(String script, String path) throws Exception {
        HttpResponse<String> r = s.get(script + ".localhost", path);
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    @Test
    void timeoutsFireInOrderWithTheirArgumentsAndCanBeCleared() throws Exception {
        s.deploy("timers", """
                export default {
                  async fetch() {
                    const order = [];
                    await new Promise((resolve) => {
                      setTimeout((a, b) => order.push('late:' + a + b), 30, 'x', 'y');
                      setTimeout(() => order.push('early'), 5);
                      const cancelled = setTimeout(() => order.push('cancelled'), 10);
                      clearTimeout(cancelled);
                      setTimeout(() => order.push('zero'));
                      setTimeout(resolve, 60);
                    });
                    let ticks = 0;
                    await new Promise((resolve) => {
                      const id = setInterval(() => {
                        ticks++;
                        if (ticks === 3) { clearInterval(id); setTimeout(resolve, 30); }
                      }, 5);
                    });
                    const micro = [];
                    queueMicrotask(() => micro.push('micro'));
                    micro.push('sync');
                    await null;
                    let typeError = '';
                    try { setTimeout('code', 1); } catch (e) { typeError = e.constructor.name; }
                    const id1 = setTimeout(() => {}, 1000), id2 = setTimeout(() => {}, 1000);
                    clearTimeout(id1); clearTimeout(id2);
                    return Response.json({ order, ticks, micro, typeError, idType: typeof id1, distinct: id1 !== id2 });
                  },
                };
                """);
        JsonObject r = json("timers", "/");
        assertEquals("[\"zero\",\"early\",\"late:xy\"]", r.getJsonArray("order").encode());
        assertEquals(3, r.getInteger("ticks"));
        assertEquals("[\"sync\",\"micro\"]", r.getJsonArray("micro").encode());
        assertEquals("TypeError", r.getString("typeError"));
        assertEquals("number", r.getString("idType"));
        assertTrue(r.getBoolean("distinct"));
    }

    @Test
    void timersAreRefusedInTheGlobalScope() throws Exception {
        HttpResponse<String> up = s.upload("global-timer", "application/javascript+module", """
                setTimeout(() => {}, 1);
                export default { fetch() { return new Response('never'); } };
                """);
        assertEquals(400, up.statusCode(), up.body());
        assertTrue(up.body().contains("Disallowed operation called within global scope"), up.body());
    }

    @Test
    void clocksStandStillWhileGuestCodeRunsAndMoveAcrossTimers() throws Exception {
        s.deploy("clocks", """
                export default {
                  async fetch() {
                    const d0 = Date.now(), p0 = performance.now(), n0 = new Date().getTime();
                    let x = 0;
                    for (let i = 0; i < 3e6; i++) { x += i % 7; }
                    const d1 = Date.now(), p1 = performance.now(), n1 = new Date().getTime();
                    await new Promise((r) => setTimeout(r, 25));
                    const d2 = Date.now();
                    class Sub extends Date {}
                    return Response.json({
                      frozen: d0 === d1 && p0 === p1 && n0 === n1 && d0 === n0,
                      moved: d2 - d0,
                      wallClockish: Math.abs(d0 - EPOCH_NOW) < 600000,
                      fixedDate: new Date(0).toISOString(),
                      parsed: Date.parse('2020-01-02T03:04:05Z'), utc: Date.UTC(2020, 0, 1),
                      callAsFunction: typeof Date(), instance: new Date() instanceof Date,
                      subclass: new Sub(5).getTime() === 5 && new Sub() instanceof Sub,
                      timeOrigin: performance.timeOrigin, perfIsNow: p0 === d0,
                      userAgent: navigator.userAgent, x,
                    });
                  },
                };
                """.replace("EPOCH_NOW", Long.toString(System.currentTimeMillis())));
        JsonObject r = json("clocks", "/");
        assertTrue(r.getBoolean("frozen"), r.encode());
        assertTrue(r.getLong("moved") >= 20, r.encode());
        assertTrue(r.getBoolean("wallClockish"), r.encode());
        assertEquals("1970-01-01T00:00:00.000Z", r.getString("fixedDate"));
        assertEquals(1577934245000L, r.getLong("parsed"));
        assertEquals(1577836800000L, r.getLong("utc"));
        assertEquals("string", r.getString("callAsFunction"));
        assertTrue(r.getBoolean("instance"));
        assertTrue(r.getBoolean("subclass"));
        assertEquals(0, r.getInteger("timeOrigin"));
        assertTrue(r.getBoolean("perfIsNow"));
        assertEquals("Cloudflare-Workers", r.getString("userAgent"));
    }

    @Test
    void waitUntilWorkGoesOnAfterTheResponse() throws Exception {
        s.deploy("background", """
                let log = [];
                export default {
                  async fetch(request, env, ctx) {
                    if (request.url.endsWith('/read')) {
                      return Response.json(log);
                    }
                    ctx.waitUntil(new Promise((resolve) => setTimeout(() => { log.push('after'); resolve(); }, 500)));
                    ctx.waitUntil(Promise.reject(new Error('background failure')));
                    log.push('respond');
                    return new Response('sent');
                  },
                };
                """);
        HttpResponse<String> first = s.get("background.localhost", "/");
        assertEquals("sent", first.body());
        // The response came before the background work finished (its timer is due 500 ms after the guest's clock of
        // the request, which stood still while the request ran).
        assertEquals("[\"respond\"]", s.get("background.localhost", "/read").body());
        String log = "";
        for (int i = 0; i < 200 && !log.contains("after"); i++) {
            Thread.sleep(20);
            log = s.get("background.localhost", "/read").body();
        }
        assertEquals("[\"respond\",\"after\"]", log);
    }

    @Test
    void domExceptionHasNameMessageAndCode() throws Exception {
        s.deploy("domex", """
                export default {
                  fetch() {
                    const e = new DOMException('gone', 'AbortError');
                    const d = new DOMException();
                    return Response.json({
                      name: e.name, message: e.message, code: e.code, isError: e instanceof Error,
                      str: String(e), tag: Object.prototype.toString.call(e), constant: DOMException.ABORT_ERR,
                      defaultName: d.name, defaultMessage: d.message, stack: typeof e.stack,
                    });
                  },
                };
                """);
        JsonObject r = json("domex", "/");
        assertEquals("AbortError", r.getString("name"));
        assertEquals("gone", r.getString("message"));
        assertEquals(20, r.getInteger("code"));
        assertTrue(r.getBoolean("isError"));
        assertEquals("AbortError: gone", r.getString("str"));
        assertEquals("[object DOMException]", r.getString("tag"));
        assertEquals(20, r.getInteger("constant"));
        assertEquals("Error", r.getString("defaultName"));
        assertEquals("", r.getString("defaultMessage"));
        assertEquals("string", r.getString("stack"));
    }
}
