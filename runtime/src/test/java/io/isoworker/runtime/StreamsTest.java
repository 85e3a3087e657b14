package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The Streams Standard as a worker sees it: state machines, back-pressure, piping, byte streams, iteration. */
class StreamsTest {

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start("cpu-ms", "60000");
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    @Test
    void defaultStreamStateMachineAndBackPressure() throws Exception {
        JsonObject r = WorkerChecks.run(s, "rs-default", """
                const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
                const checks = {
                  async pullsUntilHighWaterMark() {
                    let pulls = 0;
                    let controller;
                    const rs = new ReadableStream({
                      start(c) { controller = c; },
                      pull(c) { pulls++; c.enqueue(pulls); },
                    }, { highWaterMark: 3 });
                    await tick();
                    const before = [pulls, controller.desiredSize];
                    const reader = rs.getReader();
                    const first = await reader.read();
                    await tick();
                    return [before, first.value, pulls, controller.desiredSize];
                  },
                  async sizeFunction() {
                    let controller;
                    new ReadableStream({ start(c) { controller = c; } },
                      { highWaterMark: 10, size: (chunk) => chunk.length });
                    controller.enqueue('abcd');
                    const a = controller.desiredSize;
                    controller.enqueue('abcdefgh');
                    return [a, controller.desiredSize];
                  },
                  async closeThenRead() {
                    const rs = new ReadableStream({ start(c) { c.enqueue('x'); c.close(); } });
                    const reader = rs.getReader();
                    const a = await reader.read();
                    const b = await reader.read();
                    await reader.closed;
                    return [a.value, a.done, b.value === undefined, b.done];
                  },
                  async errorRejectsReads() {
                    const rs = new ReadableStream({ start(c) { c.error(new RangeError('bad')); } });
                    const reader = rs.getReader();
                    const got = [];
                    await reader.read().catch((e) => got.push(e.name + ':' + e.message));
                    await reader.closed.catch((e) => got.push('closed ' + e.message));
                    return got;
                  },
                  async lockedErrors() {
                    const rs = new ReadableStream();
                    const reader = rs.getReader();
                    const out = [rs.locked];
                    try { rs.getReader(); } catch (e) { out.push(e.constructor.name + ': ' + e.message); }
                    await rs.cancel().catch((e) => out.push('cancel ' + e.constructor.name));
                    reader.releaseLock();
                    out.push(rs.locked);
                    await reader.read().catch((e) => out.push('released ' + e.constructor.name));
                    return out;
                  },
                  async releaseRejectsPendingRead() {
                    const rs = new ReadableStream();
                    const reader = rs.getReader();
                    const pending = reader.read().then(() => 'resolved', (e) => e.constructor.name);
                    reader.releaseLock();
                    return await pending;
                  },
                  async cancelCallsSource() {
                    let reason;
                    const rs = new ReadableStream({ cancel(r) { reason = r; } });
                    const result = await rs.cancel('stop');
                    const read = await rs.getReader().read();
                    return [reason, result === undefined, read.done];
                  },
                  async badArguments() {
                    const out = [];
                    try { new ReadableStream({ type: 'nope' }); } catch (e) { out.push(e.constructor.name); }
                    try { new ReadableStream({}, { highWaterMark: -1 }); } catch (e) { out.push(e.constructor.name); }
                    try { new ReadableStream({ pull: 5 }); } catch (e) { out.push(e.constructor.name); }
                    try { new ReadableStream({ type: 'bytes' }, { size: () => 1 }); } catch (e) { out.push(e.constructor.name); }
                    try { new ReadableStream().getReader({ mode: 'x' }); } catch (e) { out.push(e.constructor.name); }
                    try { new ReadableStream().getReader({ mode: 'byob' }); } catch (e) { out.push(e.constructor.name); }
                    try { new ReadableStreamDefaultController(); } catch (e) { out.push(e.constructor.name); }
                    return out;
                  },
                  async enqueueAfterCloseThrows() {
                    let controller;
                    new ReadableStream({ start(c) { controller = c; } });
                    controller.close();
                    try { controller.enqueue(1); } catch (e) { return e.constructor.name; }
                    return 'no error';
                  },
                  async strategies() {
                    const b = new ByteLengthQueuingStrategy({ highWaterMark: 16 });
                    const c = new CountQueuingStrategy({ highWaterMark: 2 });
                    let missing;
                    try { new CountQueuingStrategy({}); } catch (e) { missing = e.constructor.name; }
                    return [b.highWaterMark, b.size(new Uint8Array(5)), c.highWaterMark, c.size('x'),
                      b.size === new ByteLengthQueuingStrategy({ highWaterMark: 1 }).size, missing];
                  },
                  async toStringTags() {
                    const rs = new ReadableStream();
                    return [Object.prototype.toString.call(rs), Object.prototype.toString.call(rs.getReader())];
                  },
                };
                """);
        assertEquals(new JsonArray("[[3, 0], 1, 4, 0]"), r.getJsonArray("pullsUntilHighWaterMark"), r.encode());
        assertEquals(new JsonArray("[6, -2]"), r.getJsonArray("sizeFunction"), r.encode());
        assertEquals(new JsonArray("[\"x\", false, true, true]"), r.getJsonArray("closeThenRead"), r.encode());
        assertEquals(new JsonArray("[\"RangeError:bad\", \"closed bad\"]"), r.getJsonArray("errorRejectsReads"),
                r.encode());
        assertEquals(new JsonArray("[true, \"TypeError: This ReadableStream is currently locked to a reader.\","
                + " \"cancel TypeError\", false, \"released TypeError\"]"), r.getJsonArray("lockedErrors"), r.encode());
        assertEquals("TypeError", r.getString("releaseRejectsPendingRead"), r.encode());
        assertEquals(new JsonArray("[\"stop\", true, true]"), r.getJsonArray("cancelCallsSource"), r.encode());
        assertEquals(new JsonArray("[\"TypeError\", \"RangeError\", \"TypeError\", \"RangeError\", \"TypeError\","
                + " \"TypeError\", \"TypeError\"]"), r.getJsonArray("badArguments"), r.encode());
        assertEquals("TypeError", r.getString("enqueueAfterCloseThrows"), r.encode());
        assertEquals(new JsonArray("[16, 5, 2, 1, true, \"TypeError\"]"), r.getJsonArray("strategies"), r.encode());
        assertEquals(new JsonArray("[\"[object ReadableStream]\", \"[object ReadableStreamDefaultReader]\"]"),
                r.getJsonArray("toStringTags"), r.encode());
    }

    @Test
    void teeAndAsyncIterationAndFrom() throws Exception {
        JsonObject r = WorkerChecks.run(s, "rs-tee", """
                const collect = async (rs) => { const out = []; for await (const v of rs) out.push(v); return out; };
                const checks = {
                  async teeBothBranches() {
                    const [a, b] = ReadableStream.from(['a', 'b', 'c']).tee();
                    return [await collect(a), await collect(b)];
                  },
                  async teeCancelBothCancelsSource() {
                    let reason;
                    const rs = new ReadableStream({ cancel(r) { reason = r; } });
                    const [a, b] = rs.tee();
                    await Promise.all([a.cancel('one'), b.cancel('two')]);
                    return reason;
                  },
                  async teeErrorReachesBoth() {
                    let controller;
                    const rs = new ReadableStream({ start(c) { controller = c; } });
                    const [a, b] = rs.tee();
                    controller.error(new Error('e1'));
                    const got = [];
                    await a.getReader().read().catch((e) => got.push(e.message));
                    await b.getReader().read().catch((e) => got.push(e.message));
                    return got;
                  },
                  async byteStreamTee() {
                    const rs = new ReadableStream({ type: 'bytes', start(c) {
                      c.enqueue(new Uint8Array([1, 2, 3])); c.close(); } });
                    const [a, b] = rs.tee();
                    const ra = await a.getReader({ mode: 'byob' }).read(new Uint8Array(8));
                    const rb = await b.getReader().read();
                    return [Array.from(ra.value), Array.from(rb.value)];
                  },
                  async breakCancels() {
                    let canceled = false;
                    const rs = new ReadableStream({ pull(c) { c.enqueue(1); }, cancel() { canceled = true; } });
                    for await (const v of rs) { break; }
                    return [canceled, rs.locked];
                  },
                  async preventCancel() {
                    let canceled = false;
                    const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); }, cancel() { canceled = true; } });
                    for await (const v of rs.values({ preventCancel: true })) { break; }
                    const next = await rs.getReader().read();
                    return [canceled, next.value];
                  },
                  async iteratorShape() {
                    const rs = new ReadableStream();
                    const it = rs[Symbol.asyncIterator]();
                    const proto = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype);
                    return [ReadableStream.prototype.values === ReadableStream.prototype[Symbol.asyncIterator],
                      Object.getPrototypeOf(Object.getPrototypeOf(it)) === proto, typeof it.next, typeof it.return];
                  },
                  async iterationError() {
                    const rs = new ReadableStream({ start(c) { c.enqueue(1); c.error(new TypeError('late')); } });
                    try { for await (const v of rs) { } } catch (e) { return e.message; }
                    return 'no error';
                  },
                  async fromAsyncGenerator() {
                    async function* gen() { yield 1; yield 2; yield 3; }
                    return collect(ReadableStream.from(gen()));
                  },
                  async fromSyncIterableOfPromises() {
                    return collect(ReadableStream.from([Promise.resolve('p'), 'q']));
                  },
                  async fromCancelCallsReturn() {
                    let returned;
                    const iterable = { [Symbol.asyncIterator]() { return {
                      next() { return Promise.resolve({ value: 1, done: false }); },
                      return(v) { returned = v; return Promise.resolve({ done: true }); } }; } };
                    const rs = ReadableStream.from(iterable);
                    await rs.cancel('why');
                    return returned;
                  },
                  async fromNotIterable() {
                    try { ReadableStream.from(5); } catch (e) { return e.constructor.name; }
                    return 'no error';
                  },
                };
                """);
        assertEquals(new JsonArray("[[\"a\",\"b\",\"c\"],[\"a\",\"b\",\"c\"]]"), r.getJsonArray("teeBothBranches"),
                r.encode());
        assertEquals(new JsonArray("[\"one\", \"two\"]"), r.getJsonArray("teeCancelBothCancelsSource"), r.encode());
        assertEquals(new JsonArray("[\"e1\", \"e1\"]"), r.getJsonArray("teeErrorReachesBoth"), r.encode());
        assertEquals(new JsonArray("[[1,2,3],[1,2,3]]"), r.getJsonArray("byteStreamTee"), r.encode());
        assertEquals(new JsonArray("[true, false]"), r.getJsonArray("breakCancels"), r.encode());
        assertEquals(new JsonArray("[false, 2]"), r.getJsonArray("preventCancel"), r.encode());
        assertEquals(new JsonArray("[true, true, \"function\", \"function\"]"), r.getJsonArray("iteratorShape"),
                r.encode());
        assertEquals("late", r.getString("iterationError"), r.encode());
        assertEquals(new JsonArray("[1,2,3]"), r.getJsonArray("fromAsyncGenerator"), r.encode());
        assertEquals(new JsonArray("[\"p\",\"q\"]"), r.getJsonArray("fromSyncIterableOfPromises"), r.encode());
        assertEquals("why", r.getString("fromCancelCallsReturn"), r.encode());
        assertEquals("TypeError", r.getString("fromNotIterable"), r.encode());
    }

    @Test
    void byteStreamsAndByobReads() throws Exception {
        JsonObject r = WorkerChecks.run(s, "rs-bytes", """
                const checks = {
                  async respond() {
                    let n = 0;
                    const rs = new ReadableStream({ type: 'bytes', pull(c) {
                      const req = c.byobRequest;
                      req.view[0] = 10 + n; req.view[1] = 20 + n;
                      req.respond(2);
                      if (++n === 2) { c.close(); c.byobRequest && c.byobRequest.respond(0); }
                    } });
                    const reader = rs.getReader({ mode: 'byob' });
                    const buf = new Uint8Array(4);
                    const a = await reader.read(buf);
                    const b = await reader.read(new Uint8Array(4));
                    const c = await reader.read(new Uint8Array(4));
                    return [Array.from(a.value), buf.byteLength, Array.from(b.value), c.done, c.value.byteLength];
                  },
                  async respondWithNewView() {
                    const rs = new ReadableStream({ type: 'bytes', pull(c) {
                      const v = c.byobRequest.view;
                      const view = new Uint8Array(v.buffer, v.byteOffset, 3);
                      view.set([7, 8, 9]);
                      c.byobRequest.respondWithNewView(view);
                    } });
                    const r = await rs.getReader({ mode: 'byob' }).read(new Uint8Array(16));
                    return Array.from(r.value);
                  },
                  async enqueueIntoPendingByobRead() {
                    let controller;
                    const rs = new ReadableStream({ type: 'bytes', start(c) { controller = c; } });
                    const reader = rs.getReader({ mode: 'byob' });
                    const pending = reader.read(new Uint8Array(2));
                    controller.enqueue(new Uint8Array([1, 2, 3, 4, 5]));
                    const a = await pending;
                    const b = await reader.read(new Uint8Array(10));
                    return [Array.from(a.value), Array.from(b.value)];
                  },
                  async minOption() {
                    let controller;
                    const rs = new ReadableStream({ type: 'bytes', start(c) { controller = c; } });
                    const reader = rs.getReader({ mode: 'byob' });
                    const pending = reader.read(new Uint8Array(6), { min: 4 });
                    controller.enqueue(new Uint8Array([1, 2]));
                    controller.enqueue(new Uint8Array([3, 4, 5]));
                    return Array.from((await pending).value);
                  },
                  async readAtLeast() {
                    let controller;
                    const rs = new ReadableStream({ type: 'bytes', start(c) { controller = c; } });
                    const reader = rs.getReader({ mode: 'byob' });
                    const pending = reader.readAtLeast(3, new Uint8Array(8));
                    controller.enqueue(new Uint8Array([1]));
                    controller.enqueue(new Uint8Array([2, 3, 4]));
                    const bad = await reader.readAtLeast(0, new Uint8Array(2)).catch((e) => e.constructor.name);
                    return [Array.from((await pending).value), bad];
                  },
                  async multiByteElements() {
                    const rs = new ReadableStream({ type: 'bytes', start(c) {
                      c.enqueue(new Uint8Array([1, 0, 2, 0, 3])); } });
                    const reader = rs.getReader({ mode: 'byob' });
                    const r = await reader.read(new Uint16Array(4));
                    return [r.value.constructor.name, Array.from(r.value)];
                  },
                  async autoAllocate() {
                    const rs = new ReadableStream({ type: 'bytes', autoAllocateChunkSize: 8, pull(c) {
                      const req = c.byobRequest;
                      req.view[0] = 42;
                      req.respond(1);
                    } });
                    const r = await rs.getReader().read();
                    return [r.value.byteLength, r.value[0], r.value.buffer.byteLength];
                  },
                  async enqueueDetachesBuffer() {
                    let controller;
                    const rs = new ReadableStream({ type: 'bytes', start(c) { controller = c; } });
                    const chunk = new Uint8Array([1, 2]);
                    controller.enqueue(chunk);
                    return chunk.byteLength;
                  },
                  async byobErrors() {
                    const rs = new ReadableStream({ type: 'bytes' });
                    const reader = rs.getReader({ mode: 'byob' });
                    const out = [];
                    await reader.read(new Uint8Array(0)).catch((e) => out.push(e.constructor.name));
                    await reader.read(new Uint8Array(2), { min: 3 }).catch((e) => out.push(e.constructor.name));
                    await reader.read('x').catch((e) => out.push(e.constructor.name));
                    let controller;
                    new ReadableStream({ type: 'bytes', start(c) { controller = c; } });
                    try { controller.enqueue('str'); } catch (e) { out.push(e.constructor.name); }
                    try { controller.enqueue(new Uint8Array(0)); } catch (e) { out.push(e.constructor.name); }
                    return out;
                  },
                  async byteStreamAsResponseBody() {
                    const rs = new ReadableStream({ type: 'bytes', start(c) {
                      c.enqueue(new TextEncoderShim('he')); c.enqueue(new TextEncoderShim('llo')); c.close(); } });
                    return await new Response(rs).text();
                  },
                };
                function TextEncoderShim(s) { return new Uint8Array([...s].map((ch) => ch.charCodeAt(0))); }
                """);
        assertEquals(new JsonArray("[[10,20], 0, [11,21], true, 0]"), r.getJsonArray("respond"), r.encode());
        assertEquals(new JsonArray("[7,8,9]"), r.getJsonArray("respondWithNewView"), r.encode());
        assertEquals(new JsonArray("[[1,2],[3,4,5]]"), r.getJsonArray("enqueueIntoPendingByobRead"), r.encode());
        assertEquals(new JsonArray("[1,2,3,4,5]"), r.getJsonArray("minOption"), r.encode());
        assertEquals(new JsonArray("[\"Uint16Array\", [1, 2]]"), r.getJsonArray("multiByteElements"), r.encode());
        assertEquals(new JsonArray("[[1, 2, 3, 4], \"TypeError\"]"), r.getJsonArray("readAtLeast"), r.encode());
        assertEquals(new JsonArray("[1, 42, 8]"), r.getJsonArray("autoAllocate"), r.encode());
        assertEquals(0, r.getInteger("enqueueDetachesBuffer"), r.encode());
        assertEquals(new JsonArray("[\"TypeError\", \"RangeError\", \"TypeError\", \"TypeError\", \"TypeError\"]"),
                r.getJsonArray("byobErrors"), r.encode());
        assertEquals("hello", r.getString("byteStreamAsResponseBody"), r.encode());
    }

    @Test
    void writableStreams() throws Exception {
        JsonObject r = WorkerChecks.run(s, "ws", """
                const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
                const checks = {
                  async backPressure() {
                    const writes = [];
                    let finishWrite;
                    const ws = new WritableStream({ write(chunk) {
                      writes.push(chunk);
                      return new Promise((resolve) => { finishWrite = resolve; });
                    } }, new CountQueuingStrategy({ highWaterMark: 2 }));
                    const writer = ws.getWriter();
                    const sizes = [writer.desiredSize];
                    writer.write('a');
                    writer.write('b');
                    sizes.push(writer.desiredSize);
                    let ready = false;
                    writer.write('c');
                    writer.ready.then(() => { ready = true; });
                    await tick();
                    sizes.push(writer.desiredSize, ready, writes.length);
                    finishWrite(); await tick();
                    finishWrite(); await tick();
                    sizes.push(writer.desiredSize, ready, writes.length);
                    return sizes;
                  },
                  async closeAndClosed() {
                    const events = [];
                    const ws = new WritableStream({ write(c) { events.push('w' + c); }, close() { events.push('close'); } });
                    const writer = ws.getWriter();
                    writer.write(1);
                    await writer.close();
                    await writer.closed;
                    const afterClose = await writer.write(2).catch((e) => e.constructor.name);
                    return [events, afterClose, writer.desiredSize];
                  },
                  async abortWaitsForInFlightWrite() {
                    let abortReason;
                    let finishWrite;
                    let controller;
                    const ws = new WritableStream({
                      start(c) { controller = c; },
                      write() { return new Promise((resolve) => { finishWrite = resolve; }); },
                      abort(reason) { abortReason = reason; },
                    });
                    const writer = ws.getWriter();
                    const first = writer.write('x');
                    const queued = writer.write('y').catch((e) => 'queued write rejected ' + e);
                    await tick();
                    const aborted = writer.abort('gone');
                    const signalled = controller.signal.aborted;
                    const reasonBeforeWriteEnds = abortReason;
                    finishWrite();
                    await first;
                    await aborted;
                    const later = await writer.write('z').catch((e) => 'rejected ' + e);
                    return [signalled, reasonBeforeWriteEnds === undefined, abortReason, await queued, later];
                  },
                  async controllerErrorErrorsStream() {
                    let controller;
                    const ws = new WritableStream({ start(c) { controller = c; } });
                    const writer = ws.getWriter();
                    controller.error(new Error('sink broke'));
                    const got = await writer.write('x').catch((e) => e.message);
                    const closed = await writer.closed.catch((e) => 'closed ' + e.message);
                    return [got, closed, writer.desiredSize];
                  },
                  async releaseLock() {
                    const ws = new WritableStream();
                    const writer = ws.getWriter();
                    let second;
                    try { ws.getWriter(); } catch (e) { second = e.constructor.name; }
                    writer.releaseLock();
                    const closed = await writer.closed.catch((e) => e.constructor.name);
                    let desired;
                    try { writer.desiredSize; } catch (e) { desired = e.constructor.name; }
                    return [second, closed, desired, ws.locked];
                  },
                  async sinkWriteErrors() {
                    const ws = new WritableStream({ write() { throw new RangeError('no'); } });
                    const writer = ws.getWriter();
                    const a = await writer.write(1).catch((e) => e.constructor.name);
                    const b = await writer.write(2).catch((e) => e.constructor.name);
                    return [a, b];
                  },
                  async badType() {
                    try { new WritableStream({ type: 'bytes' }); } catch (e) { return e.constructor.name; }
                    return 'no error';
                  },
                  async signalAbort() {
                    let controller;
                    const ws = new WritableStream({ start(c) { controller = c; } });
                    const before = controller.signal.aborted;
                    await ws.abort('r');
                    return [before, controller.signal.aborted, controller.signal.reason];
                  },
                };
                """);
        assertEquals(new JsonArray("[2, 0, -1, false, 1, 1, true, 3]"), r.getJsonArray("backPressure"), r.encode());
        assertEquals(new JsonArray("[[\"w1\", \"close\"], \"TypeError\", 0]"), r.getJsonArray("closeAndClosed"),
                r.encode());
        assertEquals(new JsonArray("[true, true, \"gone\", \"queued write rejected gone\", \"rejected gone\"]"),
                r.getJsonArray("abortWaitsForInFlightWrite"), r.encode());
        assertEquals(new JsonArray("[\"sink broke\", \"closed sink broke\", null]"),
                r.getJsonArray("controllerErrorErrorsStream"), r.encode());
        assertEquals(new JsonArray("[\"TypeError\", \"TypeError\", \"TypeError\", false]"),
                r.getJsonArray("releaseLock"), r.encode());
        assertEquals(new JsonArray("[\"RangeError\", \"RangeError\"]"), r.getJsonArray("sinkWriteErrors"), r.encode());
        assertEquals("RangeError", r.getString("badType"), r.encode());
        assertEquals(new JsonArray("[false, true, \"r\"]"), r.getJsonArray("signalAbort"), r.encode());
    }

    @Test
    void pipingAndTransforms() throws Exception {
        JsonObject r = WorkerChecks.run(s, "pipes", """
                const collect = async (rs) => { const out = []; for await (const v of rs) out.push(v); return out; };
                const sink = (log, extra = {}) => new WritableStream({ write(c) { log.push(c); },
                  close() { log.push('closed'); }, abort(r) { log.push('aborted ' + r); }, ...extra });
                // A signal: the real AbortController when there is one, else the smallest object pipeTo accepts.
                function controllerForTest() {
                  if (typeof AbortController === 'function') {
                    return new AbortController();
                  }
                  const listeners = [];
                  const signal = { aborted: false, reason: undefined,
                    addEventListener(type, fn) { listeners.push(fn); }, removeEventListener() {} };
                  return { signal, abort(reason) { signal.aborted = true; signal.reason = reason;
                    listeners.forEach((fn) => fn()); } };
                }
                const checks = {
                  async pipeToCloses() {
                    const log = [];
                    await ReadableStream.from([1, 2]).pipeTo(sink(log));
                    return log;
                  },
                  async preventClose() {
                    const log = [];
                    const ws = sink(log);
                    await ReadableStream.from([1]).pipeTo(ws, { preventClose: true });
                    return [log, ws.locked];
                  },
                  async errorForwardAborts() {
                    const log = [];
                    // an error discards what was queued: the sink sees only the abort
                    const rs = new ReadableStream({ start(c) { c.enqueue('a'); c.error('bad source'); } });
                    const result = await rs.pipeTo(sink(log)).catch((e) => 'rejected ' + e);
                    return [log, result];
                  },
                  async preventAbort() {
                    const log = [];
                    const rs = new ReadableStream({ start(c) { c.error('bad'); } });
                    const ws = sink(log);
                    const result = await rs.pipeTo(ws, { preventAbort: true }).catch((e) => 'rejected ' + e);
                    return [log, result, ws.locked];
                  },
                  async errorBackwardCancels() {
                    let canceled;
                    const rs = new ReadableStream({ pull(c) { c.enqueue(1); }, cancel(r) { canceled = r.message; } });
                    const ws = new WritableStream({ write() { throw new Error('sink failed'); } });
                    const result = await rs.pipeTo(ws).catch((e) => 'rejected ' + e.message);
                    return [canceled, result];
                  },
                  async preventCancel() {
                    let canceled = false;
                    const rs = new ReadableStream({ pull(c) { c.enqueue(1); }, cancel() { canceled = true; } });
                    const ws = new WritableStream({ write() { throw new Error('x'); } });
                    await rs.pipeTo(ws, { preventCancel: true }).catch(() => {});
                    return [canceled, rs.locked];
                  },
                  async lockedPipe() {
                    const rs = new ReadableStream();
                    rs.getReader();
                    const a = await rs.pipeTo(new WritableStream()).catch((e) => e.constructor.name);
                    const ws = new WritableStream();
                    ws.getWriter();
                    const b = await new ReadableStream().pipeTo(ws).catch((e) => e.constructor.name);
                    const c = await new ReadableStream().pipeTo('nope').catch((e) => e.constructor.name);
                    return [a, b, c];
                  },
                  async signalAborts() {
                    const controller = controllerForTest();
                    let canceled;
                    const log = [];
                    const rs = new ReadableStream({ cancel(r) { canceled = String(r); } });
                    const piped = rs.pipeTo(sink(log), { signal: controller.signal }).catch((e) => 'rejected ' + e);
                    controller.abort('stop now');
                    return [await piped, canceled, log];
                  },
                  async pipeThrough() {
                    const upper = new TransformStream({ transform(chunk, c) { c.enqueue(chunk.toUpperCase()); },
                      flush(c) { c.enqueue('!'); } });
                    return collect(ReadableStream.from(['a', 'b']).pipeThrough(upper));
                  },
                  async textStreams() {
                    const bytes = ReadableStream.from(['h\u00e9', 'llo']).pipeThrough(new TextEncoderStream());
                    const chunks = [];
                    for await (const chunk of bytes.pipeThrough(new TextDecoderStream())) chunks.push(chunk);
                    return chunks.join('');
                  },
                  async identityTransformStreamDefault() {
                    return collect(ReadableStream.from([1, 2]).pipeThrough(new TransformStream()));
                  },
                  async transformErrorErrorsBothSides() {
                    const ts = new TransformStream({ transform() { throw new TypeError('cannot'); } });
                    const writer = ts.writable.getWriter();
                    // the readable's high-water mark is 0: a write is transformed once someone reads
                    const rd = ts.readable.getReader().read().catch((e) => e.message);
                    const w = await writer.write('x').catch((e) => e.message);
                    return [w, await rd];
                  },
                  async terminate() {
                    const ts = new TransformStream({ start(c) { c.enqueue('only'); c.terminate(); } });
                    const out = await collect(ts.readable);
                    const w = await ts.writable.getWriter().write('x').catch((e) => e.constructor.name);
                    return [out, w];
                  },
                  async transformBackPressure() {
                    const ts = new TransformStream({}, undefined, { highWaterMark: 0 });
                    const writer = ts.writable.getWriter();
                    const before = writer.desiredSize;
                    let written = false;
                    writer.write('a').then(() => { written = true; });
                    await new Promise((r) => setTimeout(r, 0));
                    const early = written;
                    const read = await ts.readable.getReader().read();
                    return [before, early, read.value];
                  },
                  async readableCancelErrorsWritable() {
                    let canceled;
                    const ts = new TransformStream({ cancel(r) { canceled = r; } });
                    await ts.readable.cancel('no more');
                    const w = await ts.writable.getWriter().write('x').catch((e) => 'rejected ' + e);
                    return [canceled, w];
                  },
                  async identityTransformStream() {
                    const t = new IdentityTransformStream();
                    const writer = t.writable.getWriter();
                    writer.write(new Uint8Array([1, 2, 3]));
                    writer.close();
                    const reader = t.readable.getReader({ mode: 'byob' });
                    const a = await reader.read(new Uint8Array(2));
                    const b = await reader.read(new Uint8Array(2));
                    const c = await reader.read(new Uint8Array(2));
                    const bad = await new IdentityTransformStream().writable.getWriter().write('str').catch((e) => e.constructor.name);
                    return [Array.from(a.value), Array.from(b.value), c.done, bad, t instanceof TransformStream];
                  },
                  async fixedLengthTooMany() {
                    const t = new FixedLengthStream(2);
                    const w = await t.writable.getWriter().write(new Uint8Array(3)).catch((e) => e.message);
                    return w;
                  },
                  async fixedLengthTooFew() {
                    const t = new FixedLengthStream(4);
                    const writer = t.writable.getWriter();
                    const reading = t.readable.getReader().read();
                    await writer.write(new Uint8Array(1));
                    await reading;
                    return await writer.close().catch((e) => e.message);
                  },
                };
                """);
        assertEquals(new JsonArray("[1, 2, \"closed\"]"), r.getJsonArray("pipeToCloses"), r.encode());
        assertEquals(new JsonArray("[[1], false]"), r.getJsonArray("preventClose"), r.encode());
        assertEquals(new JsonArray("[[\"aborted bad source\"], \"rejected bad source\"]"),
                r.getJsonArray("errorForwardAborts"), r.encode());
        assertEquals(new JsonArray("[[], \"rejected bad\", false]"), r.getJsonArray("preventAbort"), r.encode());
        assertEquals(new JsonArray("[\"sink failed\", \"rejected sink failed\"]"),
                r.getJsonArray("errorBackwardCancels"), r.encode());
        assertEquals(new JsonArray("[false, false]"), r.getJsonArray("preventCancel"), r.encode());
        assertEquals(new JsonArray("[\"TypeError\", \"TypeError\", \"TypeError\"]"), r.getJsonArray("lockedPipe"),
                r.encode());
        assertEquals(new JsonArray("[\"rejected stop now\", \"stop now\", [\"aborted stop now\"]]"),
                r.getJsonArray("signalAborts"), r.encode());
        assertEquals(new JsonArray("[\"A\", \"B\", \"!\"]"), r.getJsonArray("pipeThrough"), r.encode());
        assertEquals(new JsonArray("[1, 2]"), r.getJsonArray("identityTransformStreamDefault"), r.encode());
        assertEquals("h\u00e9llo", r.getString("textStreams"), r.encode());
        assertEquals(new JsonArray("[\"cannot\", \"cannot\"]"), r.getJsonArray("transformErrorErrorsBothSides"),
                r.encode());
        assertEquals(new JsonArray("[[\"only\"], \"TypeError\"]"), r.getJsonArray("terminate"), r.encode());
        assertEquals(new JsonArray("[1, false, \"a\"]"), r.getJsonArray("transformBackPressure"), r.encode());
        assertEquals(new JsonArray("[\"no more\", \"rejected no more\"]"),
                r.getJsonArray("readableCancelErrorsWritable"), r.encode());
        assertEquals(new JsonArray("[[1, 2], [3], true, \"TypeError\", true]"),
                r.getJsonArray("identityTransformStream"), r.encode());
        assertEquals("Attempt to write too many bytes through a FixedLengthStream.", r.getString("fixedLengthTooMany"),
                r.encode());
        assertEquals("FixedLengthStream did not see all expected bytes before close().",
                r.getString("fixedLengthTooFew"), r.encode());
    }

    @Test
    void fixedLengthStreamResponseHasContentLength() throws Exception {
        s.deploy("fixed-length", """
                export default {
                  fetch() {
                    const { readable, writable } = new FixedLengthStream(10);
                    const writer = writable.getWriter();
                    (async () => {
                      for (let i = 0; i < 5; i++) { await writer.write(new Uint8Array([65 + i, 65 + i])); }
                      await writer.close();
                    })();
                    return new Response(readable);
                  },
                };
                """);
        HttpResponse<String> r = s.get("fixed-length.localhost", "/");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("AABBCCDDEE", r.body());
        assertEquals("10", r.headers().firstValue("content-length").orElse("none"));
    }
}
