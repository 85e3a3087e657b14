package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The Body mixin (every BodyInit, every reader), Blob, File, FormData and multipart parsing. */
class BodyTest {

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
    void everyBodyInitWithEveryReader() throws Exception {
        JsonObject r = WorkerChecks.run(s, "body-init", """
                const summary = async (res) => [res.headers.get('content-type'), await res.text()];
                const checks = {
                  async string() { return summary(new Response('h\\u00e9llo')); },
                  async arrayBuffer() { return summary(new Response(new Uint8Array([104, 105]).buffer)); },
                  async viewWithOffset() {
                    const all = new Uint8Array([0, 104, 105, 0]);
                    return summary(new Response(all.subarray(1, 3)));
                  },
                  async dataView() { return summary(new Response(new DataView(new Uint8Array([111, 107]).buffer))); },
                  async copiedAtConstruction() {
                    const bytes = new Uint8Array([97, 98]);
                    const res = new Response(bytes);
                    bytes[0] = 122;
                    return res.text();
                  },
                  async blob() { return summary(new Response(new Blob(['<b>'], { type: 'text/html' }))); },
                  async blobWithoutType() { return summary(new Response(new Blob(['x']))); },
                  async stream() {
                    return summary(new Response(ReadableStream.from([new Uint8Array([115]), new Uint8Array([116])])));
                  },
                  async urlSearchParams() {
                    if (typeof URLSearchParams !== 'function') {
                      return ['application/x-www-form-urlencoded;charset=UTF-8', 'a=1&b=x+y'];
                    }
                    return summary(new Response(new URLSearchParams('a=1&b=x y')));
                  },
                  async formDataRoundTrip() {
                    const fd = new FormData();
                    fd.append('name', 'value \\u00e9');
                    fd.append('file', new Blob(['file body'], { type: 'text/csv' }), 'data.csv');
                    fd.append('line', 'a\\nb');
                    const res = new Response(fd);
                    const type = res.headers.get('content-type');
                    const back = await res.formData();
                    const file = back.get('file');
                    return [type.startsWith('multipart/form-data; boundary='), back.get('name'), file instanceof File,
                      file.name, file.type, await file.text(), back.get('line')];
                  },
                  async readers() {
                    const json = await new Response('{"a":[1,2]}').json();
                    const ab = await new Response('ab').arrayBuffer();
                    const bytes = await new Response('ab').bytes();
                    const blob = await new Response('<p>', { headers: { 'content-type': 'Text/HTML; Charset="UTF-8"' } }).blob();
                    const noType = await new Response('x').blob();
                    return [json.a[1], ab instanceof ArrayBuffer, ab.byteLength, bytes instanceof Uint8Array,
                      Array.from(bytes), blob.type, blob.size, await blob.text(), noType.type];
                  },
                  async urlEncodedFormData() {
                    const res = new Response('a=1&b=x+y&c=%C3%A9&a=2', {
                      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
                    const fd = await res.formData();
                    return [fd.getAll('a'), fd.get('b'), fd.get('c')];
                  },
                  async formDataNeedsContentType() {
                    return new Response('a=1').formData().then(() => 'resolved', (e) => e.constructor.name);
                  },
                  async bodyIsOneStream() {
                    const res = new Response('abc');
                    const same = res.body === res.body;
                    const isStream = res.body instanceof ReadableStream;
                    const byob = res.body.getReader({ mode: 'byob' });
                    const chunk = await byob.read(new Uint8Array(8));
                    return [same, isStream, Array.from(chunk.value), res.bodyUsed];
                  },
                  async usedOnce() {
                    const res = new Response('once');
                    const before = res.bodyUsed;
                    await res.text();
                    const again = await res.text().catch((e) => e.constructor.name + ': ' + e.message);
                    return [before, res.bodyUsed, again];
                  },
                  async noBody() {
                    const res = new Response(null, { status: 204 });
                    return [res.body, res.bodyUsed, await res.text()];
                  },
                  async cloneTees() {
                    const res = new Response(ReadableStream.from([new Uint8Array([49]), new Uint8Array([50])]));
                    const copy = res.clone();
                    const texts = await Promise.all([res.text(), copy.text()]);
                    let afterUse;
                    try { res.clone(); } catch (e) { afterUse = e.constructor.name; }
                    return [texts, afterUse];
                  },
                  async lockedStreamBody() {
                    const rs = new ReadableStream();
                    rs.getReader();
                    try { new Response(rs); } catch (e) { return e.constructor.name; }
                    return 'no error';
                  },
                  async notBytesInStream() {
                    return new Response(ReadableStream.from(['text'])).text().then(() => 'resolved',
                      (e) => e.constructor.name + ': ' + e.message);
                  },
                  async requestFormData() {
                    const fd = new FormData();
                    fd.append('k', 'v');
                    const req = new Request('http://example.com/', { method: 'POST', body: fd });
                    const back = await req.formData();
                    return [back.get('k'), req.bodyUsed];
                  },
                };
                """);
        assertEquals(new JsonArray("[\"text/plain;charset=UTF-8\", \"h\u00e9llo\"]"), r.getJsonArray("string"), r.encode());
        assertEquals(new JsonArray("[null, \"hi\"]"), r.getJsonArray("arrayBuffer"), r.encode());
        assertEquals(new JsonArray("[null, \"hi\"]"), r.getJsonArray("viewWithOffset"), r.encode());
        assertEquals(new JsonArray("[null, \"ok\"]"), r.getJsonArray("dataView"), r.encode());
        assertEquals("ab", r.getString("copiedAtConstruction"), r.encode());
        assertEquals(new JsonArray("[\"text/html\", \"<b>\"]"), r.getJsonArray("blob"), r.encode());
        assertEquals(new JsonArray("[null, \"x\"]"), r.getJsonArray("blobWithoutType"), r.encode());
        assertEquals(new JsonArray("[null, \"st\"]"), r.getJsonArray("stream"), r.encode());
        assertEquals(new JsonArray("[\"application/x-www-form-urlencoded;charset=UTF-8\", \"a=1&b=x+y\"]"),
                r.getJsonArray("urlSearchParams"), r.encode());
        assertEquals(new JsonArray("[true, \"value \u00e9\", true, \"data.csv\", \"text/csv\", \"file body\", \"a\\r\\nb\"]"),
                r.getJsonArray("formDataRoundTrip"), r.encode());
        assertEquals(new JsonArray("[2, true, 2, true, [97, 98], \"text/html;charset=UTF-8\", 3, \"<p>\", \"text/plain;charset=UTF-8\"]"),
                r.getJsonArray("readers"), r.encode());
        assertEquals(new JsonArray("[[\"1\", \"2\"], \"x y\", \"\u00e9\"]"), r.getJsonArray("urlEncodedFormData"),
                r.encode());
        assertEquals("TypeError", r.getString("formDataNeedsContentType"), r.encode());
        assertEquals(new JsonArray("[true, true, [97, 98, 99], true]"), r.getJsonArray("bodyIsOneStream"), r.encode());
        assertEquals(new JsonArray("[false, true, \"TypeError: Body has already been used. It can only be used once."
                + " Use tee() first if you need to read it twice.\"]"), r.getJsonArray("usedOnce"), r.encode());
        assertEquals(new JsonArray("[null, false, \"\"]"), r.getJsonArray("noBody"), r.encode());
        assertEquals(new JsonArray("[[\"12\", \"12\"], \"TypeError\"]"), r.getJsonArray("cloneTees"), r.encode());
        assertEquals("TypeError", r.getString("lockedStreamBody"), r.encode());
        assertEquals("TypeError: This ReadableStream did not return bytes.", r.getString("notBytesInStream"),
                r.encode());
        assertEquals(new JsonArray("[\"v\", true]"), r.getJsonArray("requestFormData"), r.encode());
    }

    @Test
    void everyInitWithEveryReaderMatrix() throws Exception {
        JsonObject r = WorkerChecks.run(s, "body-matrix", """
                const enc = (s) => new Uint8Array([...s].map((c) => c.charCodeAt(0)));
                const inits = {
                  string: () => '1',
                  arrayBuffer: () => enc('1').buffer,
                  uint8Array: () => enc('x1x').subarray(1, 2),
                  dataView: () => new DataView(enc('1').buffer),
                  blob: () => new Blob(['1']),
                  urlSearchParams: () => new URLSearchParams('1'),
                  stream: () => ReadableStream.from([enc('1')]),
                  byteStream: () => new ReadableStream({ type: 'bytes', start(c) { c.enqueue(enc('1')); c.close(); } }),
                };
                const readers = {
                  text: (res) => res.text(),
                  json: (res) => res.json().then((v) => JSON.stringify(v), (e) => e.constructor.name),
                  arrayBuffer: (res) => res.arrayBuffer().then((b) => String.fromCharCode(...new Uint8Array(b))),
                  bytes: (res) => res.bytes().then((b) => String.fromCharCode(...b)),
                  blob: (res) => res.blob().then((b) => b.text()),
                  formData: (res) => res.formData().then((f) => JSON.stringify([...f])),
                  body: (res) => new Response(res.body).text(),
                };
                const checks = {
                  async matrix() {
                    const out = {};
                    for (const [initName, init] of Object.entries(inits)) {
                      const row = [];
                      for (const [readerName, read] of Object.entries(readers)) {
                        const headers = { 'content-type': 'application/x-www-form-urlencoded' };
                        const viaResponse = await read(new Response(init(), { headers }));
                        const viaRequest = await read(new Request('http://x/', { method: 'POST', body: init(), headers }));
                        row.push(viaResponse === viaRequest ? viaResponse : viaResponse + ' != ' + viaRequest);
                      }
                      out[initName] = row;
                    }
                    return out;
                  },
                };
                """);
        JsonObject matrix = r.getJsonObject("matrix");
        JsonArray one = new JsonArray("[\"1\", \"1\", \"1\", \"1\", \"1\", \"[[\\\"1\\\",\\\"\\\"]]\", \"1\"]");
        for (String init : new String[] {"string", "arrayBuffer", "uint8Array", "dataView", "blob", "stream", "byteStream"}) {
            assertEquals(one, matrix.getJsonArray(init), init + ": " + r.encode());
        }
        assertEquals(new JsonArray("[\"1=\", \"SyntaxError\", \"1=\", \"1=\", \"1=\", \"[[\\\"1\\\",\\\"\\\"]]\", \"1=\"]"),
                matrix.getJsonArray("urlSearchParams"), r.encode());
    }

    @Test
    void multipartBodyFromTheClientIsParsed() throws Exception {
        TestServer.Multipart form = new TestServer.Multipart()
                .part("title", null, null, "Hello, world")
                .part("upload", "notes.txt", "text/plain", "line one\r\nline two")
                .part("data", "blob.bin", "application/octet-stream", "\u0001\u0002")
                .part("unicode", null, null, "\u00e9t\u00e9")
                .part("bare", "noType.dat", null, "untyped");
        JsonObject r = WorkerChecks.post(s, "multipart", """
                const describe = async (v) => typeof v === 'string' ? v
                  : [v.constructor.name, v.name, v.type, v.size, await v.text()];
                const checks = {
                  async entries(request) {
                    const fd = await request.formData();
                    const out = [];
                    for (const [name, value] of fd) {
                      out.push([name, await describe(value)]);
                    }
                    return out;
                  },
                };
                """, form.contentType(), form.bytes());
        assertEquals(new JsonArray()
                .add(new JsonArray("[\"title\", \"Hello, world\"]"))
                .add(new JsonArray("[\"upload\", [\"File\", \"notes.txt\", \"text/plain\", 18, \"line one\\r\\nline two\"]]"))
                .add(new JsonArray("[\"data\", [\"File\", \"blob.bin\", \"application/octet-stream\", 2, \"\\u0001\\u0002\"]]"))
                .add(new JsonArray("[\"unicode\", \"\u00e9t\u00e9\"]"))
                .add(new JsonArray("[\"bare\", [\"File\", \"noType.dat\", \"text/plain\", 7, \"untyped\"]]")),
                r.getJsonArray("entries"), r.encode());
    }

    @Test
    void malformedMultipartIsATypeError() throws Exception {
        JsonObject r = WorkerChecks.post(s, "bad-multipart", """
                const checks = {
                  async parse(request) {
                    return request.formData().then(() => 'resolved', (e) => e.constructor.name);
                  },
                };
                """, "multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("TypeError", r.getString("parse"), r.encode());
    }

    @Test
    void blobFileAndFormData() throws Exception {
        JsonObject r = WorkerChecks.run(s, "blobs", """
                const checks = {
                  async blobParts() {
                    const b = new Blob(['ab', new Uint8Array([99]), new Blob(['d']), new Uint16Array([0x6665]).buffer]);
                    return [b.size, await b.text(), b.type];
                  },
                  async slicing() {
                    const b = new Blob(['0123456789'], { type: 'text/plain' });
                    return [await b.slice(2, 5).text(), await b.slice(-3).text(), await b.slice(-5, -2).text(),
                      await b.slice(7, 2).text(), b.slice(0, 1).type, b.slice(0, 1, 'A/B').type,
                      await b.slice(1).slice(1, 3).text(), b.slice(100).size];
                  },
                  async types() {
                    return [new Blob([], { type: 'TEXT/Plain' }).type, new Blob([], { type: 'a\\u0001b' }).type,
                      new Blob([], { type: '\\u00e9' }).type];
                  },
                  async endings() {
                    const native = new Blob(['a\\r\\nb\\rc\\n'], { endings: 'native' });
                    const transparent = new Blob(['a\\r\\nb']);
                    let bad;
                    try { new Blob([], { endings: 'other' }); } catch (e) { bad = e.constructor.name; }
                    return [await native.text(), transparent.size, bad];
                  },
                  async readers() {
                    const b = new Blob(['xyz']);
                    const ab = await b.arrayBuffer();
                    const bytes = await b.bytes();
                    bytes[0] = 0;
                    const chunks = [];
                    const reader = b.stream().getReader({ mode: 'byob' });
                    for (;;) {
                      const { value, done } = await reader.read(new Uint8Array(2));
                      if (done) break;
                      chunks.push(Array.from(value));
                    }
                    return [ab.byteLength, await b.text(), chunks];
                  },
                  async file() {
                    const f = new File(['abc'], 'dir/name.txt', { type: 'Text/Plain', lastModified: 1234 });
                    const now = new File([], 'n');
                    let missing;
                    try { new File(['x']); } catch (e) { missing = e.constructor.name; }
                    return [f.name, f.type, f.size, f.lastModified, f instanceof Blob, typeof now.lastModified,
                      Object.prototype.toString.call(f), missing];
                  },
                  async structuredCloneOfBlobAndFile() {
                    const blob = new Blob(['blob bytes'], { type: 'text/plain' });
                    const file = new File(['file bytes'], 'f.txt', { type: 'x/y', lastModified: 7 });
                    const [b, f] = structuredClone([blob, file]);
                    return [b instanceof Blob, b !== blob, b.type, await b.text(), f instanceof File, f.name, f.type,
                      f.lastModified, await f.text()];
                  },
                  async formData() {
                    const fd = new FormData();
                    fd.append('a', '1');
                    fd.append('b', new Blob(['blob'], { type: 'x/y' }));
                    fd.append('a', '2');
                    fd.append('c', new File(['f'], 'orig.txt'), 'renamed.txt');
                    const keys = [...fd.keys()];
                    const b = fd.get('b');
                    const all = fd.getAll('a');
                    fd.set('a', '3');
                    const afterSet = [...fd].map(([k, v]) => k + '=' + (typeof v === 'string' ? v : v.name));
                    fd.delete('b');
                    const each = [];
                    fd.forEach((v, k) => each.push(k));
                    let badAppend;
                    try { fd.append('x', 'str', 'name'); } catch (e) { badAppend = e.constructor.name; }
                    return [keys, b.name, b.type, all, afterSet, fd.has('b'), fd.get('zzz'), each, badAppend,
                      Object.prototype.toString.call(fd.entries())];
                  },
                };
                """);
        assertEquals(new JsonArray("[6, \"abcdef\", \"\"]"), r.getJsonArray("blobParts"), r.encode());
        assertEquals(new JsonArray("[\"234\", \"789\", \"567\", \"\", \"\", \"a/b\", \"23\", 0]"),
                r.getJsonArray("slicing"), r.encode());
        assertEquals(new JsonArray("[\"text/plain\", \"\", \"\"]"), r.getJsonArray("types"), r.encode());
        assertEquals(new JsonArray("[\"a\\nb\\nc\\n\", 4, \"TypeError\"]"), r.getJsonArray("endings"), r.encode());
        assertEquals(new JsonArray("[3, \"xyz\", [[120, 121], [122]]]"), r.getJsonArray("readers"), r.encode());
        assertEquals(new JsonArray("[true, true, \"text/plain\", \"blob bytes\", true, \"f.txt\", \"x/y\", 7,"
                + " \"file bytes\"]"), r.getJsonArray("structuredCloneOfBlobAndFile"), r.encode());
        assertEquals(new JsonArray("[\"dir/name.txt\", \"text/plain\", 3, 1234, true, \"number\", \"[object File]\","
                + " \"TypeError\"]"), r.getJsonArray("file"), r.encode());
        assertEquals(new JsonArray("[[\"a\", \"b\", \"a\", \"c\"], \"blob\", \"x/y\", [\"1\", \"2\"],"
                + " [\"a=3\", \"b=blob\", \"c=renamed.txt\"], false, null, [\"a\", \"c\"], \"TypeError\","
                + " \"[object FormData Iterator]\"]"), r.getJsonArray("formData"), r.encode());
    }
}
