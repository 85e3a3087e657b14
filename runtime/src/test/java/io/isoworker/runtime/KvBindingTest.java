package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The KV binding as workers use it ({@code env.KV}), rule by rule from {@code shared/conformance/kv/README.md}
 * (§11 is the checklist). Each test deploys a worker bound to a fresh namespace; its checks run inside the worker and
 * the test asserts on what they return.
 */
@Timeout(120)
class KvBindingTest {

    private static TestServer server;
    private static int workers;

    /** Runs {@code checks} (name: async (env, request) => value) in a worker bound to a new namespace as KV. */
    private static final String RUNNER = """
            export default {
              async fetch(request, env) {
                const out = {};
                for (const [name, check] of Object.entries(checks)) {
                  try {
                    out[name] = await check(env, request);
                  } catch (e) {
                    out[name] = 'threw ' + (e && e.name) + ': ' + (e && e.message);
                  }
                }
                return Response.json(out);
              },
            };
            """;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start("cpu-ms", "60000");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** Deploys the checks bound to {@code namespace} and runs them once. */
    private static JsonObject run(String namespace, String checks) throws Exception {
        String name = "kv" + (++workers);
        server.deployWithKv(name, checks + "\n" + RUNNER, "KV", namespace);
        return call(name);
    }

    private static JsonObject call(String name) throws Exception {
        HttpResponse<String> r = server.get(name + ".localhost", "/");
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    private static String namespace() throws Exception {
        return server.createNamespace("binding-test-" + (workers + 1) + "-" + System.nanoTime());
    }

    @Test
    void keyNamesAreCheckedByTheBindingAndByUtf8Length() throws Exception {
        JsonObject out = run(namespace(), """
                const long513 = '€'.repeat(171); // 513 bytes of UTF-8, 171 characters
                const long512 = 'a'.repeat(510) + 'é'; // 512 bytes
                const checks = {
                  getEmpty: (env) => env.KV.get(''),
                  getDot: (env) => env.KV.get('.'),
                  getDotDot: (env) => env.KV.get('..'),
                  metaEmpty: (env) => env.KV.getWithMetadata(''),
                  putEmpty: (env) => env.KV.put('', 'v'),
                  putDot: (env) => env.KV.put('.', 'v'),
                  deleteDotDot: (env) => env.KV.delete('..'),
                  get513: (env) => env.KV.get(long513),
                  meta513: (env) => env.KV.getWithMetadata(long513),
                  put513: (env) => env.KV.put(long513, 'v'),
                  delete513: (env) => env.KV.delete(long513),
                  put512: async (env) => { await env.KV.put(long512, 'fits'); return env.KV.get(long512); },
                  triple: async (env) => { await env.KV.put('...', 'three dots'); return env.KV.get('...'); },
                  caseSensitive: async (env) => {
                    await env.KV.put('Key', 'upper'); await env.KV.put('key', 'lower');
                    return [await env.KV.get('Key'), await env.KV.get('key'), await env.KV.get('KEY')];
                  },
                  numberKey: async (env) => { await env.KV.put(42, 'n'); return env.KV.get('42'); },
                  rejectsNotThrows: (env) => { const p = env.KV.get(''); return p instanceof Promise; },
                };
                """);
        assertEquals("threw TypeError: Key name cannot be empty.", out.getValue("getEmpty"));
        assertEquals("threw TypeError: \".\" is not allowed as a key name.", out.getValue("getDot"));
        assertEquals("threw TypeError: \"..\" is not allowed as a key name.", out.getValue("getDotDot"));
        assertEquals("threw TypeError: Key name cannot be empty.", out.getValue("metaEmpty"));
        assertEquals("threw TypeError: Key name cannot be empty.", out.getValue("putEmpty"));
        assertEquals("threw TypeError: \".\" is not allowed as a key name.", out.getValue("putDot"));
        assertEquals("threw TypeError: \"..\" is not allowed as a key name.", out.getValue("deleteDotDot"));
        String tooLong = " 414 UTF-8 encoded length of 513 exceeds key length limit of 512.";
        assertEquals("threw Error: KV GET failed:" + tooLong, out.getValue("get513"));
        assertEquals("threw Error: KV GET failed:" + tooLong, out.getValue("meta513"));
        assertEquals("threw Error: KV PUT failed:" + tooLong, out.getValue("put513"));
        assertEquals("threw Error: KV DELETE failed:" + tooLong, out.getValue("delete513"));
        assertEquals("fits", out.getValue("put512"));
        assertEquals("three dots", out.getValue("triple"));
        assertEquals(new JsonArray().add("upper").add("lower").addNull(), out.getValue("caseSensitive"));
        assertEquals("n", out.getValue("numberKey"));
        assertEquals(true, out.getValue("rejectsNotThrows"));
    }

    @Test
    void anInvocationMayMakeAThousandKvOperations() throws Exception {
        String ns = namespace();
        String checks = """
                const checks = {
                  thousand: async (env) => {
                    await env.KV.put('k', 'v');
                    let got = 0;
                    for (let i = 1; i < 1000; i++) if ((await env.KV.get('k')) === 'v') got++;
                    return got;
                  },
                  oneMore: (env) => env.KV.get('k'),
                };
                """;
        JsonObject first = run(ns, checks);
        JsonObject second = call("kv" + workers); // a new invocation, with its own count
        for (JsonObject out : List.of(first, second)) {
            assertEquals(999, out.getValue("thousand"));
            assertEquals("threw Error: Too many API requests by single worker invocation.", out.getValue("oneMore"));
        }
    }

    @Test
    void everyValueTypeRoundTripsWithEveryResponseType() throws Exception {
        JsonObject out = run(namespace(), """
                const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
                async function streamText(stream) { return await new Response(stream).text(); }
                const checks = {
                  string: async (env) => { await env.KV.put('s', 'héllo 😀'); return env.KV.get('s'); },
                  stringAsBuffer: async (env) => hex(await env.KV.get('s', 'arrayBuffer')),
                  arrayBuffer: async (env) => {
                    await env.KV.put('ab', new Uint8Array([0, 1, 254, 255]).buffer);
                    const b = await env.KV.get('ab', { type: 'arrayBuffer' });
                    return [b instanceof ArrayBuffer, hex(b)];
                  },
                  viewWithOffset: async (env) => {
                    const all = new Uint8Array([9, 8, 7, 6, 5, 4]);
                    await env.KV.put('view', all.subarray(2, 5));
                    return hex(await env.KV.get('view', 'arrayBuffer'));
                  },
                  dataView: async (env) => {
                    await env.KV.put('dv', new DataView(new Uint8Array([1, 2, 3, 4]).buffer, 1, 2));
                    return hex(await env.KV.get('dv', 'arrayBuffer'));
                  },
                  stream: async (env) => {
                    const s = new ReadableStream({ start(c) {
                      c.enqueue(new TextEncoder().encode('from ')); c.enqueue(new TextEncoder().encode('a stream')); c.close();
                    } });
                    await env.KV.put('st', s);
                    return env.KV.get('st');
                  },
                  readAsStream: async (env) => {
                    const s = await env.KV.get('s', 'stream');
                    return [s instanceof ReadableStream, await streamText(s)];
                  },
                  json: async (env) => {
                    await env.KV.put('j', JSON.stringify({ a: [1, 'two'], b: null }));
                    return env.KV.get('j', 'json');
                  },
                  badJson: async (env) => { await env.KV.put('nj', '{not json'); return env.KV.get('nj', 'json'); },
                  empty: async (env) => { await env.KV.put('e', ''); return [await env.KV.get('e'), (await env.KV.get('e', 'arrayBuffer')).byteLength]; },
                  missing: async (env) => [await env.KV.get('nope'), await env.KV.get('nope', 'json'),
                    await env.KV.get('nope', 'arrayBuffer'), await env.KV.get('nope', 'stream')],
                  unknownType: (env) => env.KV.get('s', 'blob'),
                  unknownTypeOption: (env) => env.KV.get('s', { type: 'xml' }),
                  putNumber: (env) => env.KV.put('x', 42),
                  putObject: (env) => env.KV.put('x', { a: 1 }),
                  putNull: (env) => env.KV.put('x', null),
                  putResolves: async (env) => [await env.KV.put('u', 'v'), await env.KV.delete('u')],
                  overwrite: async (env) => { await env.KV.put('o', 'first'); await env.KV.put('o', 'second'); return env.KV.get('o'); },
                };
                """);
        assertEquals("héllo 😀", out.getValue("string"));
        assertEquals("68c3a96c6c6f20f09f9880", out.getValue("stringAsBuffer"));
        assertEquals(new JsonArray().add(true).add("0001feff"), out.getValue("arrayBuffer"));
        assertEquals("070605", out.getValue("viewWithOffset"));
        assertEquals("0203", out.getValue("dataView"));
        assertEquals("from a stream", out.getValue("stream"));
        assertEquals(new JsonArray().add(true).add("héllo 😀"), out.getValue("readAsStream"));
        assertEquals(new JsonObject().put("a", new JsonArray().add(1).add("two")).putNull("b"), out.getValue("json"));
        assertTrue(out.getString("badJson").startsWith("threw SyntaxError"), out.getString("badJson"));
        assertEquals(new JsonArray().add("").add(0), out.getValue("empty"));
        assertEquals(new JsonArray().addNull().addNull().addNull().addNull(), out.getValue("missing"));
        String unknown = "threw TypeError: Unknown response type. Possible types are \"text\", \"arrayBuffer\", \"json\", and \"stream\".";
        assertEquals(unknown, out.getValue("unknownType"));
        assertEquals(unknown, out.getValue("unknownTypeOption"));
        String badValue = "threw TypeError: KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values.";
        assertEquals(badValue, out.getValue("putNumber"));
        assertEquals(badValue, out.getValue("putObject"));
        assertEquals(badValue, out.getValue("putNull"));
        assertEquals(new JsonArray().addNull().addNull(), out.getValue("putResolves"));
        assertEquals("second", out.getValue("overwrite"));
    }

    @Test
    void valueAndMetadataSizeLimits() throws Exception {
        JsonObject out = run(namespace(), """
                const LIMIT = 26214400;
                const meta = (bytes) => ({ m: 'x'.repeat(bytes - 8) }); // {"m":"..."} is 8 bytes + the string
                const checks = {
                  atLimit: async (env) => { await env.KV.put('big', new Uint8Array(LIMIT)); return (await env.KV.get('big', 'arrayBuffer')).byteLength; },
                  overLimit: (env) => env.KV.put('big2', new Uint8Array(LIMIT + 1)),
                  streamOverLimit: async (env) => {
                    let sent = 0;
                    const s = new ReadableStream({ pull(c) {
                      if (sent > LIMIT) { c.close(); return; }
                      c.enqueue(new Uint8Array(1024 * 1024)); sent += 1024 * 1024;
                    } });
                    try { await env.KV.put('big3', s); return 'stored'; }
                    catch (e) { return [e.message, await env.KV.get('big3')]; }
                  },
                  metadata1024: async (env) => { await env.KV.put('m', 'v', { metadata: meta(1024) }); return JSON.stringify((await env.KV.getWithMetadata('m')).metadata).length; },
                  metadata1025: (env) => env.KV.put('m2', 'v', { metadata: meta(1025) }),
                  metadataMultiByte: (env) => env.KV.put('m3', 'v', { metadata: '€'.repeat(341) }), // 1023 + 2 quotes
                };
                """);
        assertEquals(26214400, out.getValue("atLimit"));
        assertEquals("threw Error: KV PUT failed: 413 Value length of 26214401 exceeds limit of 26214400.",
                out.getValue("overLimit"));
        assertEquals(new JsonArray().add("KV PUT failed: 413 Value length of 27262976 exceeds limit of 26214400.")
                .addNull(), out.getValue("streamOverLimit"));
        assertEquals(1024, out.getValue("metadata1024"));
        assertEquals("threw Error: KV PUT failed: 413 Metadata length of 1025 exceeds limit of 1024.",
                out.getValue("metadata1025"));
        assertEquals("threw Error: KV PUT failed: 413 Metadata length of 1025 exceeds limit of 1024.",
                out.getValue("metadataMultiByte"));
    }

    @Test
    void metadataIsStoredWithTheValueAndReplacedByEveryPut() throws Exception {
        JsonObject out = run(namespace(), """
                const checks = {
                  withMetadata: async (env) => {
                    await env.KV.put('k', 'v', { metadata: { tag: 'a', n: [1, 2] } });
                    return env.KV.getWithMetadata('k');
                  },
                  typed: async (env) => {
                    const r = await env.KV.getWithMetadata('k', { type: 'arrayBuffer' });
                    return [r.value.byteLength, r.metadata.tag];
                  },
                  withoutMetadata: async (env) => { await env.KV.put('k', 'w'); return env.KV.getWithMetadata('k'); },
                  missing: (env) => env.KV.getWithMetadata('absent'),
                  scalarMetadata: async (env) => { await env.KV.put('s', 'v', { metadata: 'just a string' }); return (await env.KV.getWithMetadata('s')).metadata; },
                  nullMetadata: async (env) => { await env.KV.put('n', 'v', { metadata: null }); return (await env.KV.getWithMetadata('n')).metadata; },
                  cyclic: (env) => { const o = {}; o.self = o; return env.KV.put('c', 'v', { metadata: o }); },
                };
                """);
        assertEquals(new JsonObject().put("value", "v").put("metadata", new JsonObject().put("tag", "a")
                .put("n", new JsonArray().add(1).add(2))).putNull("cacheStatus"), out.getValue("withMetadata"));
        assertEquals(new JsonArray().add(1).add("a"), out.getValue("typed"));
        assertEquals(new JsonObject().put("value", "w").putNull("metadata").putNull("cacheStatus"),
                out.getValue("withoutMetadata"));
        assertEquals(new JsonObject().putNull("value").putNull("metadata").putNull("cacheStatus"),
                out.getValue("missing"));
        assertEquals("just a string", out.getValue("scalarMetadata"));
        assertEquals(null, out.getValue("nullMetadata"));
        assertTrue(out.getString("cyclic").startsWith("threw TypeError"), out.getString("cyclic"));
    }

    @Test
    void expirationOptionsAreCheckedAsKvDoes() throws Exception {
        JsonObject out = run(namespace(), """
                const now = () => Math.floor(Date.now() / 1000);
                const checks = {
                  ttl0: (env) => env.KV.put('a', 'v', { expirationTtl: 0 }),
                  ttlNegative: (env) => env.KV.put('a', 'v', { expirationTtl: -5 }),
                  ttlNotANumber: (env) => env.KV.put('a', 'v', { expirationTtl: 'abc' }),
                  ttl30: (env) => env.KV.put('a', 'v', { expirationTtl: 30 }),
                  ttl59: (env) => env.KV.put('a', 'v', { expirationTtl: 59 }),
                  ttl60: async (env) => {
                    await env.KV.put('ttl', 'v', { expirationTtl: 60 });
                    const listed = (await env.KV.list({ prefix: 'ttl' })).keys[0];
                    return listed.expiration - now();
                  },
                  expirationNow: (env) => env.KV.put('a', 'v', { expiration: now() }),
                  expirationPast: (env) => env.KV.put('a', 'v', { expiration: 1000 }),
                  expiration30: (env) => env.KV.put('a', 'v', { expiration: now() + 30 }),
                  expiration60: async (env) => {
                    const at = now() + 62; // the store's clock may be a second ahead by now
                    await env.KV.put('exp', 'v', { expiration: at });
                    return (await env.KV.list({ prefix: 'exp' })).keys[0].expiration === at;
                  },
                  expirationString: async (env) => {
                    const at = now() + 120;
                    await env.KV.put('exps', 'v', { expiration: String(at) });
                    return (await env.KV.list({ prefix: 'exps' })).keys[0].expiration === at;
                  },
                  ttlWinsOverExpiration: async (env) => {
                    await env.KV.put('both', 'v', { expiration: now() + 100000, expirationTtl: 120 });
                    return (await env.KV.list({ prefix: 'both' })).keys[0].expiration - now();
                  },
                  putWithoutExpirationClearsIt: async (env) => {
                    await env.KV.put('clear', 'v', { expirationTtl: 600 });
                    await env.KV.put('clear', 'v');
                    return 'expiration' in (await env.KV.list({ prefix: 'clear' })).keys[0];
                  },
                };
                """);
        assertEquals("threw Error: KV PUT failed: 400 Invalid expiration_ttl of 0. Please specify integer greater than 0.",
                out.getValue("ttl0"));
        assertEquals("threw Error: KV PUT failed: 400 Invalid expiration_ttl of -5. Please specify integer greater than 0.",
                out.getValue("ttlNegative"));
        assertEquals("threw Error: KV PUT failed: 400 Invalid expiration_ttl of 0. Please specify integer greater than 0.",
                out.getValue("ttlNotANumber"));
        assertEquals("threw Error: KV PUT failed: 400 Invalid expiration_ttl of 30. Expiration TTL must be at least 60.",
                out.getValue("ttl30"));
        assertEquals("threw Error: KV PUT failed: 400 Invalid expiration_ttl of 59. Expiration TTL must be at least 60.",
                out.getValue("ttl59"));
        int ttl = out.getInteger("ttl60");
        assertTrue(ttl >= 59 && ttl <= 60, "ttl60 gave " + ttl);
        assertTrue(out.getString("expirationNow").matches("threw Error: KV PUT failed: 400 Invalid expiration of \\d+\\. "
                + "Please specify integer greater than the current number of seconds since the UNIX epoch\\."),
                out.getString("expirationNow"));
        assertEquals("threw Error: KV PUT failed: 400 Invalid expiration of 1000. Please specify integer greater than "
                + "the current number of seconds since the UNIX epoch.", out.getValue("expirationPast"));
        assertTrue(out.getString("expiration30").matches("threw Error: KV PUT failed: 400 Invalid expiration of \\d+\\. "
                + "Expiration times must be at least 60 seconds in the future\\."), out.getString("expiration30"));
        assertEquals(true, out.getValue("expiration60"));
        assertEquals(true, out.getValue("expirationString"));
        int both = out.getInteger("ttlWinsOverExpiration");
        assertTrue(both >= 119 && both <= 120, "ttl+expiration gave " + both);
        assertEquals(false, out.getValue("putWithoutExpirationClearsIt"));
    }

    @Test
    void cacheTtlIsValidated() throws Exception {
        JsonObject out = run(namespace(), """
                const checks = {
                  prepare: (env) => env.KV.put('k', 'v'),
                  ttl10: (env) => env.KV.get('k', { cacheTtl: 10 }),
                  ttlText: (env) => env.KV.get('k', { cacheTtl: 'abc' }),
                  ttl30: (env) => env.KV.get('k', { cacheTtl: 30 }),
                  ttl60: (env) => env.KV.get('k', { type: 'text', cacheTtl: 60 }),
                  metadataTtl10: (env) => env.KV.getWithMetadata('k', { cacheTtl: 10 }),
                  bulkTtl10: (env) => env.KV.get(['k'], { cacheTtl: 10 }),
                };
                """);
        assertEquals("threw Error: KV GET failed: 400 Invalid cache_ttl of 10. Cache TTL must be at least 30.",
                out.getValue("ttl10"));
        assertEquals("threw Error: KV GET failed: 400 Invalid cache_ttl of 0. Cache TTL must be at least 30.",
                out.getValue("ttlText"));
        assertEquals("v", out.getValue("ttl30"));
        assertEquals("v", out.getValue("ttl60"));
        assertEquals("threw Error: KV GET failed: 400 Invalid cache_ttl of 10. Cache TTL must be at least 30.",
                out.getValue("metadataTtl10"));
        assertEquals("threw Error: KV GET_BULK failed: 400 Invalid cache_ttl of 10. Cache TTL must be at least 30.",
                out.getValue("bulkTtl10"));
    }

    @Test
    void listOrdersByUtf8BytesFiltersByPrefixAndPaginates() throws Exception {
        JsonObject out = run(namespace(), """
                const names = (r) => r.keys.map((k) => k.name);
                const checks = {
                  order: async (env) => {
                    // U+FFFD is 0xEF 0xBF 0xBD in UTF-8 and sorts before U+1F600 (0xF0 ...); UTF-16 order is the reverse.
                    for (const k of ['😀', '\\uFFFD', ', ', '!', 'a', 'B', 'é', 'z']) await env.KV.put('o/' + k, k);
                    return names(await env.KV.list({ prefix: 'o/' }));
                  },
                  prefixIsLiteral: async (env) => {
                    for (const k of ['p%x', 'p_y', 'pax', 'P%x']) await env.KV.put(k, 'v');
                    return [names(await env.KV.list({ prefix: 'p%' })), names(await env.KV.list({ prefix: 'p_' }))];
                  },
                  noPrefix: async (env) => (await env.KV.list()).keys.length,
                  nullOptions: async (env) => (await env.KV.list({ prefix: null, cursor: null })).keys.length,
                  paginate: async (env) => {
                    for (const k of ['g1', 'g2', 'g3']) await env.KV.put(k, 'v');
                    const pages = [];
                    let cursor;
                    for (;;) {
                      const r = await env.KV.list({ prefix: 'g', limit: 1, cursor });
                      pages.push([names(r), r.list_complete, typeof r.cursor, 'cursor' in r]);
                      if (r.list_complete) break;
                      cursor = r.cursor;
                    }
                    return pages;
                  },
                  insertedWhilePaginating: async (env) => {
                    for (const k of ['h2', 'h4']) await env.KV.put(k, 'v');
                    const first = await env.KV.list({ prefix: 'h', limit: 1 });
                    await env.KV.put('h1', 'behind the cursor');
                    await env.KV.put('h3', 'ahead of the cursor');
                    const rest = await env.KV.list({ prefix: 'h', cursor: first.cursor });
                    return [names(first), names(rest)];
                  },
                  shape: async (env) => {
                    await env.KV.put('s/plain', 'v');
                    await env.KV.put('s/meta', 'v', { metadata: { m: 1 } });
                    await env.KV.put('s/exp', 'v', { expirationTtl: 3600 });
                    const r = await env.KV.list({ prefix: 's/' });
                    return [r.keys.map((k) => Object.keys(k).join('+')), r.list_complete, 'cursor' in r, r.cacheStatus,
                      r.keys[1].metadata];
                  },
                  limit1001: (env) => env.KV.list({ limit: 1001 }),
                  limit1000: async (env) => (await env.KV.list({ limit: 1000 })).list_complete,
                  cacheStatus: async (env) => (await env.KV.list({ prefix: 'nothing' })),
                };
                """);
        assertEquals(new JsonArray().add("o/!").add("o/, ").add("o/B").add("o/a").add("o/z").add("o/é")
                .add("o/\uFFFD").add("o/😀"), out.getValue("order"));
        assertEquals(new JsonArray().add(new JsonArray().add("p%x")).add(new JsonArray().add("p_y")),
                out.getValue("prefixIsLiteral"));
        assertEquals(12, out.getValue("noPrefix"));
        assertEquals(12, out.getValue("nullOptions"));
        assertEquals(new JsonArray()
                .add(new JsonArray().add(new JsonArray().add("g1")).add(false).add("string").add(true))
                .add(new JsonArray().add(new JsonArray().add("g2")).add(false).add("string").add(true))
                .add(new JsonArray().add(new JsonArray().add("g3")).add(true).add("undefined").add(false)),
                out.getValue("paginate"));
        assertEquals(new JsonArray().add(new JsonArray().add("h2")).add(new JsonArray().add("h3").add("h4")),
                out.getValue("insertedWhilePaginating"));
        JsonArray shape = out.getJsonArray("shape");
        assertEquals(new JsonArray().add("name+expiration").add("name+metadata").add("name"), shape.getJsonArray(0));
        assertEquals(true, shape.getValue(1));
        assertEquals(false, shape.getValue(2));
        assertEquals(null, shape.getValue(3));
        assertEquals(new JsonObject().put("m", 1), shape.getValue(4));
        assertEquals("threw Error: KV GET failed: 400 Invalid key_count_limit of 1001. Please specify an integer less "
                + "than 1000.", out.getValue("limit1001"));
        assertEquals(true, out.getValue("limit1000"));
        assertEquals(new JsonObject().put("keys", new JsonArray()).put("list_complete", true).putNull("cacheStatus"),
                out.getValue("cacheStatus"));
    }

    @Test
    void listLimitZeroOrNegativeMeansTheDefaultOf1000() throws Exception {
        String ns = namespace();
        JsonArray bulk = new JsonArray();
        for (int i = 0; i < 1001; i++) {
            bulk.add(new JsonObject().put("key", String.format("k%04d", i)).put("value", "v"));
        }
        HttpResponse<String> put = server.adminSend("PUT", "/v1/kv/namespaces/" + ns + "/bulk", "application/json",
                bulk.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(200, put.statusCode(), put.body());
        JsonObject out = run(ns, """
                const summary = (r) => [r.keys.length, r.list_complete];
                const checks = {
                  zero: async (env) => summary(await env.KV.list({ limit: 0 })),
                  negative: async (env) => summary(await env.KV.list({ limit: -3 })),
                  text: async (env) => summary(await env.KV.list({ limit: 'many' })),
                  none: async (env) => summary(await env.KV.list()),
                  rest: async (env) => {
                    const first = await env.KV.list();
                    return summary(await env.KV.list({ cursor: first.cursor }));
                  },
                };
                """);
        JsonArray full = new JsonArray().add(1000).add(false);
        assertEquals(full, out.getValue("zero"));
        assertEquals(full, out.getValue("negative"));
        assertEquals(full, out.getValue("text"));
        assertEquals(full, out.getValue("none"));
        assertEquals(new JsonArray().add(1).add(true), out.getValue("rest"));
    }

    @Test
    void bulkGetReturnsAMapOfEveryKey() throws Exception {
        JsonObject out = run(namespace(), """
                const keys = (n) => Array.from({ length: n }, (_, i) => 'b' + i);
                const checks = {
                  prepare: async (env) => {
                    await env.KV.put('a', 'one', { metadata: { m: 'a' } });
                    await env.KV.put('b', JSON.stringify({ x: 2 }));
                    await env.KV.put('empty', '');
                    await env.KV.put('zero', '0');
                    await env.KV.put('false', 'false');
                    await env.KV.put('42', 'integer-like');
                  },
                  text: async (env) => {
                    const m = await env.KV.get(['a', 'missing', 'b', '42']);
                    return [m instanceof Map, [...m.entries()]];
                  },
                  json: async (env) => [...(await env.KV.get(['b', 'zero', 'false', 'missing'], 'json')).entries()],
                  jsonOption: async (env) => (await env.KV.get(['b'], { type: 'json' })).get('b'),
                  falsy: async (env) => [...(await env.KV.get(['empty', 'zero'])).values()],
                  withMetadata: async (env) => [...(await env.KV.getWithMetadata(['a', 'b', 'missing'])).entries()],
                  withMetadataJson: async (env) => (await env.KV.getWithMetadata(['b'], 'json')).get('b'),
                  hundred: async (env) => (await env.KV.get(keys(100))).size,
                  hundredOne: (env) => env.KV.get(keys(101)),
                  none: (env) => env.KV.get([]),
                  arrayBuffer: (env) => env.KV.get(['a'], 'arrayBuffer'),
                  stream: (env) => env.KV.get(['a'], { type: 'stream' }),
                  notJson: (env) => env.KV.get(['a', 'b'], 'json'),
                  emptyKey: (env) => env.KV.get(['a', '']),
                  dotKey: (env) => env.KV.get(['.']),
                  longKey: (env) => env.KV.get(['€'.repeat(171)]),
                  duplicates: async (env) => [...(await env.KV.get(['a', 'a'])).entries()],
                };
                """);
        assertEquals(new JsonArray().add(true).add(new JsonArray()
                .add(new JsonArray().add("a").add("one"))
                .add(new JsonArray().add("missing").addNull())
                .add(new JsonArray().add("b").add("{\"x\":2}"))
                .add(new JsonArray().add("42").add("integer-like"))), out.getValue("text"));
        assertEquals(new JsonArray()
                .add(new JsonArray().add("b").add(new JsonObject().put("x", 2)))
                .add(new JsonArray().add("zero").add(0))
                .add(new JsonArray().add("false").add(false))
                .add(new JsonArray().add("missing").addNull()), out.getValue("json"));
        assertEquals(new JsonObject().put("x", 2), out.getValue("jsonOption"));
        assertEquals(new JsonArray().add("").add("0"), out.getValue("falsy"));
        assertEquals(new JsonArray()
                .add(new JsonArray().add("a").add(new JsonObject().put("value", "one").put("metadata", new JsonObject().put("m", "a"))))
                .add(new JsonArray().add("b").add(new JsonObject().put("value", "{\"x\":2}").putNull("metadata")))
                .add(new JsonArray().add("missing").addNull()), out.getValue("withMetadata"));
        assertEquals(new JsonObject().put("value", new JsonObject().put("x", 2)).putNull("metadata"),
                out.getValue("withMetadataJson"));
        assertEquals(100, out.getValue("hundred"));
        assertEquals("threw Error: KV GET_BULK failed: 400 You can request a maximum of 100 keys", out.getValue("hundredOne"));
        assertEquals("threw Error: KV GET_BULK failed: 400 You must request a minimum of 1 key", out.getValue("none"));
        assertEquals("threw Error: KV GET_BULK failed: 400 \"arrayBuffer\" is not a valid type. Use \"json\" or \"text\"",
                out.getValue("arrayBuffer"));
        assertEquals("threw Error: KV GET_BULK failed: 400 \"stream\" is not a valid type. Use \"json\" or \"text\"",
                out.getValue("stream"));
        assertEquals("threw Error: KV GET_BULK failed: 400 At least one of the requested keys corresponds to a non-json value",
                out.getValue("notJson"));
        assertEquals("threw Error: KV GET_BULK failed: 400 Key names must not be empty", out.getValue("emptyKey"));
        assertEquals("threw Error: KV GET_BULK failed: 400 Illegal key name \".\". Please use a different name.",
                out.getValue("dotKey"));
        assertEquals("threw Error: KV GET_BULK failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.",
                out.getValue("longKey"));
        assertEquals(new JsonArray().add(new JsonArray().add("a").add("one")), out.getValue("duplicates"));
    }

    @Test
    void expiredKeysVanishFromGetBulkGetAndListWhenTheClockPassesTheirExpiration() throws Exception {
        // Its own server: it moves the KV clock.
        try (TestServer server = TestServer.start("cpu-ms", "60000")) {
        String ns = server.createNamespace("expiry");
        String name = "kv-expiry";
        server.deployWithKv(name, """
                const checks = {
                  read: async (env, request) => {
                    if (new URL(request.url).searchParams.has('write')) {
                      await env.KV.put('short', 'v', { expirationTtl: 60 });
                      await env.KV.put('long', 'v', { expirationTtl: 3600 });
                      await env.KV.put('forever', 'v');
                    }
                    const bulk = await env.KV.get(['short', 'long', 'forever']);
                    return [await env.KV.get('short'), (await env.KV.getWithMetadata('short')).value, bulk.get('short'),
                      bulk.get('long'), (await env.KV.list()).keys.map((k) => k.name)];
                  },
                };
                """ + RUNNER, "KV", ns);
        HttpResponse<String> first = server.get(name + ".localhost", "/?write");
        assertEquals(200, first.statusCode(), first.body());
        assertEquals(new JsonArray().add("v").add("v").add("v").add("v").add(new JsonArray().add("forever").add("long")
                .add("short")), new JsonObject(first.body()).getValue("read"));
        // The expiration is a whole second: 58 s on it is still there, 60 s on it is gone.
        server.advanceKvClock(Duration.ofSeconds(58));
        assertEquals("v", read(server, name).getValue(0), "still there 58 s later");
        server.advanceKvClock(Duration.ofSeconds(2));
        JsonArray gone = new JsonArray().addNull().addNull().addNull().add("v")
                .add(new JsonArray().add("forever").add("long"));
        assertEquals(gone, read(server, name), "gone at its expiration");
        assertEquals(1, server.server.kv().removeExpired().get(), "the sweep deletes it from storage");
        assertEquals(gone, read(server, name), "and after the sweep");
        }
    }

    private static JsonArray read(TestServer s, String name) throws Exception {
        HttpResponse<String> r = s.get(name + ".localhost", "/");
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body()).getJsonArray("read");
    }

    @Test
    void deleteOfAMissingKeyResolvesAndDeleteRemoves() throws Exception {
        JsonObject out = run(namespace(), """
                const checks = {
                  missing: (env) => env.KV.delete('never-written'),
                  existing: async (env) => {
                    await env.KV.put('d', 'v');
                    await env.KV.get('d'); // now in the read cache
                    await env.KV.delete('d');
                    return [await env.KV.get('d'), (await env.KV.list({ prefix: 'd' })).keys.length];
                  },
                  readYourWrites: async (env) => {
                    const seen = [];
                    for (let i = 0; i < 5; i++) { await env.KV.put('r', 'v' + i); seen.push(await env.KV.get('r')); }
                    return seen;
                  },
                };
                """);
        assertEquals(null, out.getValue("missing"));
        assertEquals(new JsonArray().addNull().add(0), out.getValue("existing"));
        assertEquals(new JsonArray().add("v0").add("v1").add("v2").add("v3").add("v4"), out.getValue("readYourWrites"));
    }

    @Test
    void workersSeeOnlyTheNamespacesTheyAreBoundTo() throws Exception {
        String a = namespace();
        String b = namespace();
        server.deployWithKv("kv-writer-a", "export default { async fetch(r, env) { await env.KV.put('shared-name', 'A'); "
                + "return new Response(await env.KV.get('shared-name')); } };", "KV", a);
        server.deployWithKv("kv-writer-b", "export default { async fetch(r, env) { await env.KV.put('shared-name', 'B'); "
                + "return new Response(await env.KV.get('shared-name')); } };", "KV", b);
        assertEquals("A", server.get("kv-writer-a.localhost", "/").body());
        assertEquals("B", server.get("kv-writer-b.localhost", "/").body());
        assertEquals("A", server.get("kv-writer-a.localhost", "/").body());
        JsonObject out = run(a, """
                const checks = {
                  construct: (env) => new env.KV.constructor('someone-elses-namespace'),
                  tag: (env) => Object.prototype.toString.call(env.KV),
                  ownKeys: (env) => Object.getOwnPropertyNames(env.KV),
                  value: (env) => env.KV.get('shared-name'),
                  // the binding's id is reachable (it is not a private field), but rewriting it gains nothing
                  forged: (env) => {
                    const other = { KV: Object.create(Object.getPrototypeOf(env.KV)) };
                    other.KV[Symbol.for('isoworker.KVNamespace')] = { id: OTHER };
                    return other.KV.get('shared-name');
                  },
                };
                """.replace("OTHER", "'" + b + "'"));
        assertEquals("threw TypeError: Illegal constructor", out.getValue("construct"));
        assertEquals("[object KvNamespace]", out.getValue("tag"));
        assertEquals(new JsonArray(), out.getValue("ownKeys"));
        assertEquals("A", out.getValue("value"));
        assertTrue(out.getString("forged").startsWith("threw Error: KV GET failed"), out.getString("forged"));
    }

    @Test
    void serviceWorkerSyntaxSeesTheBindingAsAGlobalButNotInTheGlobalScope() throws Exception {
        String ns = namespace();
        TestServer.Multipart ok = new TestServer.Multipart()
                .metadata(new JsonObject().put("body_part", "script").put("bindings", new JsonArray()
                        .add(new JsonObject().put("type", "kv_namespace").put("name", "STORE").put("namespace_id", ns))))
                .module("script", "application/javascript", """
                        addEventListener('fetch', (event) => event.respondWith((async () => {
                          await STORE.put('sw', 'service worker');
                          return new Response(await STORE.get('sw'));
                        })()));
                        """);
        HttpResponse<String> upload = server.uploadMultipart("kv-sw", ok);
        assertEquals(200, upload.statusCode(), upload.body());
        assertEquals("service worker", server.get("kv-sw.localhost", "/").body());
        TestServer.Multipart topLevel = new TestServer.Multipart()
                .metadata(new JsonObject().put("body_part", "script").put("bindings", new JsonArray()
                        .add(new JsonObject().put("type", "kv_namespace").put("name", "STORE").put("namespace_id", ns))))
                .module("script", "application/javascript", """
                        STORE.get('x');
                        addEventListener('fetch', (event) => event.respondWith(new Response('no')));
                        """);
        HttpResponse<String> refused = server.uploadMultipart("kv-sw-top", topLevel);
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("Disallowed operation called within global scope"), refused.body());
    }

    @Test
    void anUploadNamingAMissingNamespaceIsRefused() throws Exception {
        HttpResponse<String> r = server.uploadMultipart("kv-missing", new TestServer.Multipart()
                .metadata(new JsonObject().put("main_module", "worker.js").put("bindings", new JsonArray()
                        .add(new JsonObject().put("type", "kv_namespace").put("name", "KV")
                                .put("namespace_id", "0123456789abcdef0123456789abcdef"))))
                .module("worker.js", "application/javascript+module", "export default { fetch() { return new Response('x'); } };"));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("0123456789abcdef0123456789abcdef") && r.body().contains("does not exist"), r.body());
        HttpResponse<String> noId = server.uploadMultipart("kv-missing", new TestServer.Multipart()
                .metadata(new JsonObject().put("main_module", "worker.js").put("bindings", new JsonArray()
                        .add(new JsonObject().put("type", "kv_namespace").put("name", "KV"))))
                .module("worker.js", "application/javascript+module", "export default { fetch() { return new Response('x'); } };"));
        assertEquals(400, noId.statusCode(), noId.body());
    }

    @Test
    void bindingsSurviveARestartAndTheScriptShowsTheNamespace() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("isoworker-kv-restart");
        try (TestServer s = TestServer.start(dir)) {
            String ns = s.createNamespace("restart");
            s.deployWithKv("kv-restart", "export default { async fetch(r, env) { const n = Number(await env.COUNTER.get('n') ?? 0) + 1;"
                    + " await env.COUNTER.put('n', String(n)); return new Response(String(n)); } };", "COUNTER", ns);
            assertEquals("1", s.get("kv-restart.localhost", "/").body());
            assertEquals("2", s.get("kv-restart.localhost", "/").body());
            s.restart();
            assertEquals("3", s.get("kv-restart.localhost", "/").body());
            JsonObject shown = new JsonObject(s.adminGet("/v1/scripts/kv-restart").body());
            assertEquals(new JsonArray().add(new JsonObject().put("name", "COUNTER").put("type", "kv_namespace")
                    .put("namespace_id", ns)), shown.getValue("bindings"));
        }
    }
}
