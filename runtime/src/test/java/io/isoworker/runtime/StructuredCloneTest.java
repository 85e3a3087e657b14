package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/** structuredClone: every serializable type, shared references and cycles, transfer, and DataCloneError. */
class StructuredCloneTest {

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
    void clonesEachSerializableType() throws Exception {
        s.deploy("sc-types", """
                export default {
                  fetch() {
                    const o = { a: 1, s: 'str', nested: { list: [1, , 3] }, d: new Date(5), r: /x+/gi,
                      m: new Map([[1, { z: 1 }]]), set: new Set(['q']), big: 10n, neg: -0, u: undefined, n: null,
                      wrap: [new Number(3), new String('s'), new Boolean(false), Object(5n)] };
                    o.arr = [1, 2];
                    o.arr.extra = 'x';
                    const c = structuredClone(o);
                    const buf = new Uint8Array([1, 2, 3, 4]).buffer;
                    const views = { u8: new Uint8Array(buf, 1, 2), f32: new Float32Array(4), dv: new DataView(buf, 2), buf,
                      big64: new BigInt64Array([5n]) };
                    const cv = structuredClone(views);
                    const e = new RangeError('bad');
                    e.cause = { x: 1 };
                    const ce = structuredClone(e);
                    class CustomError extends TypeError { constructor() { super('m'); this.name = 'Custom'; } }
                    const cce = structuredClone(new CustomError());
                    const dom = structuredClone(new DOMException('gone', 'AbortError'));
                    class Point { constructor() { this.x = 1; } get y() { return 2; } }
                    const point = structuredClone(new Point());
                    const polluted = structuredClone(JSON.parse('{"__proto__": {"p": 1}}'));
                    return Response.json({
                      distinct: c !== o && c.nested !== o.nested,
                      values: [c.a, c.s, c.n, 'u' in c, c.u === undefined, Object.is(c.neg, -0), typeof c.big, c.big === 10n],
                      sparse: [c.nested.list.length, 1 in c.nested.list, c.nested.list[2]],
                      date: [c.d instanceof Date, c.d.getTime()],
                      regexp: [c.r instanceof RegExp, c.r.source, c.r.flags],
                      map: [c.m instanceof Map, c.m.get(1).z, c.m.get(1) !== o.m.get(1)],
                      set: [c.set instanceof Set, c.set.has('q')],
                      wrappers: c.wrap.map((w) => typeof w + ':' + String(w.valueOf()) + ':' + Object.prototype.toString.call(w)),
                      arrayExtra: [Array.isArray(c.arr), c.arr.extra, c.arr.length],
                      views: [cv.u8 instanceof Uint8Array, Array.from(cv.u8), cv.u8.byteOffset, cv.u8.buffer === cv.buf,
                        cv.dv.buffer === cv.buf, cv.dv.byteOffset, cv.dv.getUint8(0), cv.buf !== buf, cv.buf.byteLength,
                        cv.f32 instanceof Float32Array, cv.f32.length, String(cv.big64[0])],
                      error: [ce instanceof RangeError, ce.name, ce.message, ce.cause.x, ce.stack === e.stack],
                      customError: [cce.constructor.name, cce.name, cce.message],
                      dom: [dom instanceof DOMException, dom.name, dom.message, dom.code],
                      point: [Object.getPrototypeOf(point) === Object.prototype, point.x, 'y' in point],
                      polluted: [Object.getPrototypeOf(polluted) === Object.prototype, Object.keys(polluted)],
                    });
                  },
                };
                """);
        JsonObject r = json("sc-types");
        assertEquals(true, r.getBoolean("distinct"));
        assertEquals("[1,\"str\",null,true,true,true,\"bigint\",true]", r.getJsonArray("values").encode());
        assertEquals("[3,false,3]", r.getJsonArray("sparse").encode());
        assertEquals("[true,5]", r.getJsonArray("date").encode());
        assertEquals("[true,\"x+\",\"gi\"]", r.getJsonArray("regexp").encode());
        assertEquals("[true,1,true]", r.getJsonArray("map").encode());
        assertEquals("[true,true]", r.getJsonArray("set").encode());
        assertEquals("[\"object:3:[object Number]\",\"object:s:[object String]\",\"object:false:[object Boolean]\","
                + "\"object:5:[object BigInt]\"]", r.getJsonArray("wrappers").encode());
        assertEquals("[true,\"x\",2]", r.getJsonArray("arrayExtra").encode());
        assertEquals("[true,[2,3],1,true,true,2,3,true,4,true,4,\"5\"]", r.getJsonArray("views").encode());
        assertEquals("[true,\"RangeError\",\"bad\",1,true]", r.getJsonArray("error").encode());
        assertEquals("[\"Error\",\"Error\",\"m\"]", r.getJsonArray("customError").encode());
        assertEquals("[true,\"AbortError\",\"gone\",20]", r.getJsonArray("dom").encode());
        assertEquals("[true,1,false]", r.getJsonArray("point").encode());
        assertEquals("[true,[\"__proto__\"]]", r.getJsonArray("polluted").encode());
    }

    @Test
    void keepsCyclesAndSharedReferences() throws Exception {
        s.deploy("sc-cycles", """
                export default {
                  fetch() {
                    const shared = { v: 1 };
                    const o = { a: shared, b: shared, list: [shared] };
                    o.self = o;
                    o.list.push(o.list);
                    const m = new Map();
                    m.set(m, o);
                    o.m = m;
                    const c = structuredClone(o);
                    return Response.json([c.self === c, c.a === c.b, c.list[0] === c.a, c.list[1] === c.list,
                      c.m.get(c.m) === c, c.a !== shared]);
                  },
                };
                """);
        HttpResponse<String> r = s.get("sc-cycles.localhost", "/");
        assertEquals("[true,true,true,true,true,true]", r.body());
    }

    @Test
    void transferDetachesTheSource() throws Exception {
        s.deploy("sc-transfer", """
                export default {
                  fetch() {
                    const buf = new Uint8Array([7, 8]).buffer;
                    const view = new Uint8Array(buf);
                    const c = structuredClone({ buf, view }, { transfer: [buf] });
                    const result = { source: [buf.byteLength, buf.detached, view.length], copy: [c.buf.byteLength,
                      Array.from(c.view), c.view.buffer === c.buf] };
                    const errors = [];
                    for (const args of [[1, { transfer: [buf] }], [buf], [1, { transfer: [{}] }],
                        [1, { transfer: [new ArrayBuffer(1), null] }]]) {
                      try { structuredClone(...args); errors.push('none'); } catch (e) { errors.push(e.name); }
                    }
                    const twice = new ArrayBuffer(1);
                    try { structuredClone(1, { transfer: [twice, twice] }); } catch (e) { errors.push(e.name + ':' + twice.detached); }
                    const kept = new ArrayBuffer(1);
                    try { structuredClone({ f() {} }, { transfer: [kept] }); } catch (e) { errors.push(e.name + ':' + kept.detached); }
                    result.errors = errors;
                    return Response.json(result);
                  },
                };
                """);
        JsonObject r = json("sc-transfer");
        assertEquals("[0,true,0]", r.getJsonArray("source").encode());
        assertEquals("[2,[7,8],true]", r.getJsonArray("copy").encode());
        assertEquals("[\"DataCloneError\",\"DataCloneError\",\"DataCloneError\",\"TypeError\","
                + "\"DataCloneError:false\",\"DataCloneError:false\"]", r.getJsonArray("errors").encode());
    }

    @Test
    void refusesWhatIsNotSerializable() throws Exception {
        s.deploy("sc-errors", """
                export default {
                  fetch(request) {
                    const out = [];
                    for (const v of [() => 1, Symbol('s'), new WeakMap(), new WeakSet(), Promise.resolve(), request,
                        new Headers(), new EventTarget(), new AbortController().signal, new Response('x'),
                        new ReadableStream(), { nested: { f() {} } }, [1, Symbol.iterator], Object(Symbol('w')),
                        new SharedArrayBuffer(1), (function* () {})(), [].values(), globalThis]) {
                      try { structuredClone(v); out.push('cloned'); } catch (e) {
                        out.push(e instanceof DOMException && e.name === 'DataCloneError' && e.code === 25 ? 'ok' : String(e));
                      }
                    }
                    let message = '';
                    try { structuredClone(new WeakMap()); } catch (e) { message = e.message; }
                    let noArgs = '';
                    try { structuredClone(); } catch (e) { noArgs = e.constructor.name; }
                    return Response.json({ out, message, noArgs });
                  },
                };
                """);
        JsonObject r = json("sc-errors");
        StringBuilder all = new StringBuilder("[");
        for (int i = 0; i < 18; i++) {
            all.append(i == 0 ? "" : ",").append("\"ok\"");
        }
        assertEquals(all.append(']').toString(), r.getJsonArray("out").encode());
        assertEquals("#<WeakMap> could not be cloned.", r.getString("message"));
        assertEquals("TypeError", r.getString("noArgs"));
    }
}
