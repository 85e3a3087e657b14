package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** CompressionStream and DecompressionStream against the JDK's zlib, gzip and raw deflate. */
class CompressionTest {

    static TestServer s;

    static final String TEXT = "The quick brown fox jumps over the lazy dog. ".repeat(200);

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start("cpu-ms", "60000");
        // POST /FORMAT decompresses the body; GET /FORMAT compresses TEXT (sent in three chunks)
        s.deploy("zip", """
                const TEXT = %s;
                async function readAll(readable) {
                  return new Uint8Array(await new Response(readable).arrayBuffer());
                }
                export default {
                  async fetch(request) {
                    const format = request.url.slice(request.url.indexOf('/', 8) + 1);
                    if (request.method === 'POST') {
                      try {
                        const text = await new Response(request.body.pipeThrough(new DecompressionStream(format))).text();
                        return new Response(text);
                      } catch (e) {
                        return new Response(e.constructor.name + ': ' + e.message, { status: 422 });
                      }
                    }
                    const cs = new CompressionStream(format);
                    const writer = cs.writable.getWriter();
                    const bytes = new Uint8Array([...TEXT].map((c) => c.charCodeAt(0)));
                    const third = Math.floor(bytes.length / 3);
                    writer.write(bytes.subarray(0, third));
                    writer.write(bytes.subarray(third, 2 * third).buffer.slice(third, 2 * third));
                    writer.write(new DataView(bytes.buffer, 2 * third));
                    writer.close();
                    return new Response(cs.readable, { headers: { 'content-type': 'application/octet-stream' } });
                  },
                };
                """.formatted(new JsonArray().add(TEXT).encode().replaceAll("^\\[|\\]$", "")));
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    private static byte[] compressedByWorker(String format) throws Exception {
        HttpResponse<byte[]> r = s.http.send(HttpRequest.newBuilder(URI.create(s.traffic("/" + format)))
                .header("host", "zip.localhost").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private static HttpResponse<String> decompressedByWorker(String format, byte[] body) throws Exception {
        return s.send(HttpRequest.newBuilder(URI.create(s.traffic("/" + format)))
                .header("host", "zip.localhost")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static byte[] jdkDeflate(byte[] input, boolean raw) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
        d.setInput(input);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    private static byte[] jdkInflate(byte[] input, boolean raw) throws Exception {
        Inflater inf = new Inflater(raw);
        inf.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!inf.finished()) {
            int n = inf.inflate(buf);
            if (n == 0 && inf.needsInput()) {
                break;
            }
            out.write(buf, 0, n);
        }
        inf.end();
        return out.toByteArray();
    }

    private static byte[] jdkGzip(byte[] input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(input);
        }
        return out.toByteArray();
    }

    private static byte[] text() {
        return TEXT.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void compressionMatchesTheJdkByteForByte() throws Exception {
        assertArrayEquals(jdkDeflate(text(), false), compressedByWorker("deflate"));
        assertArrayEquals(jdkDeflate(text(), true), compressedByWorker("deflate-raw"));
        assertArrayEquals(jdkGzip(text()), compressedByWorker("gzip"));
        assertArrayEquals(text(), jdkInflate(compressedByWorker("deflate"), false));
    }

    @Test
    void decompressesWhatTheJdkMade() throws Exception {
        assertDecompressed("gzip", jdkGzip(text()));
        assertDecompressed("deflate", jdkDeflate(text(), false));
        assertDecompressed("deflate-raw", jdkDeflate(text(), true));
        // a gzip member with a file name, a comment and an extra field in its header
        byte[] plain = jdkGzip(text());
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        member.write(new byte[] {0x1f, (byte) 0x8b, 8, 4 | 8 | 16, 0, 0, 0, 0, 0, 3});
        member.write(new byte[] {3, 0, 'a', 'b', 'c'});
        member.writeBytes("name.txt\0".getBytes(StandardCharsets.ISO_8859_1));
        member.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
        member.write(plain, 10, plain.length - 10);
        assertDecompressed("gzip", member.toByteArray());
    }

    private static void assertDecompressed(String format, byte[] compressed) throws Exception {
        HttpResponse<String> r = decompressedByWorker(format, compressed);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(TEXT.equals(r.body()), format + " decompressed to something else: " + r.body().length() + " chars");
    }

    @Test
    void corruptTruncatedAndTrailingInputIsATypeError() throws Exception {
        byte[] gz = jdkGzip(text());
        HttpResponse<String> garbage = decompressedByWorker("gzip", "this is not gzip".getBytes(StandardCharsets.UTF_8));
        assertEquals(422, garbage.statusCode());
        assertEquals("TypeError", garbage.body().split(":")[0], garbage.body());

        byte[] truncated = java.util.Arrays.copyOf(gz, gz.length - 4);
        HttpResponse<String> cut = decompressedByWorker("gzip", truncated);
        assertEquals(422, cut.statusCode(), cut.body());
        assertEquals("TypeError", cut.body().split(":")[0], cut.body());

        byte[] trailing = java.util.Arrays.copyOf(gz, gz.length + 3);
        HttpResponse<String> extra = decompressedByWorker("gzip", trailing);
        assertEquals(422, extra.statusCode(), extra.body());
        assertEquals("TypeError", extra.body().split(":")[0], extra.body());

        byte[] badCrc = gz.clone();
        badCrc[badCrc.length - 6] ^= 1;
        assertEquals(422, decompressedByWorker("gzip", badCrc).statusCode());

        byte[] deflate = jdkDeflate(text(), false);
        deflate[5] ^= (byte) 0xff;
        assertEquals(422, decompressedByWorker("deflate", deflate).statusCode());
        byte[] deflateTrailing = java.util.Arrays.copyOf(jdkDeflate(text(), false), jdkDeflate(text(), false).length + 1);
        assertEquals(422, decompressedByWorker("deflate", deflateTrailing).statusCode());
        byte[] rawTruncated = jdkDeflate(text(), true);
        assertEquals(422, decompressedByWorker("deflate-raw",
                java.util.Arrays.copyOf(rawTruncated, rawTruncated.length / 2)).statusCode());
    }

    @Test
    void roundTripsAndArgumentErrorsInTheWorker() throws Exception {
        JsonObject r = WorkerChecks.run(s, "zip-checks", """
                const enc = (s) => new Uint8Array([...s].map((c) => c.charCodeAt(0)));
                const dec = (b) => String.fromCharCode(...b);
                async function roundTrip(format, chunks) {
                  const compressed = ReadableStream.from(chunks).pipeThrough(new CompressionStream(format));
                  const plain = compressed.pipeThrough(new DecompressionStream(format));
                  return dec(new Uint8Array(await new Response(plain).arrayBuffer()));
                }
                const checks = {
                  async gzip() { return roundTrip('gzip', [enc('hello '), enc('gzip '), enc('world')]); },
                  async deflate() { return roundTrip('deflate', [enc('a'.repeat(5000)), enc('b')]); },
                  async deflateRaw() { return roundTrip('deflate-raw', [enc('raw')]); },
                  async empty() { return roundTrip('gzip', []); },
                  async badFormat() {
                    try { new CompressionStream('brotli'); } catch (e) { return e.constructor.name; }
                    return 'no error';
                  },
                  async notBytes() {
                    const cs = new CompressionStream('gzip');
                    const reading = new Response(cs.readable).arrayBuffer().catch((e) => 'read ' + e.constructor.name);
                    const w = await cs.writable.getWriter().write('string').catch((e) => e.constructor.name);
                    return [w, await reading];
                  },
                  async isTransformStream() {
                    const ds = new DecompressionStream('deflate');
                    return [ds instanceof TransformStream, ds.readable instanceof ReadableStream,
                      ds.writable instanceof WritableStream, Object.prototype.toString.call(ds)];
                  },
                };
                """);
        assertEquals("hello gzip world", r.getString("gzip"), r.encode());
        assertEquals("a".repeat(5000) + "b", r.getString("deflate"), r.encode());
        assertEquals("raw", r.getString("deflateRaw"), r.encode());
        assertEquals("", r.getString("empty"), r.encode());
        assertEquals("TypeError", r.getString("badFormat"), r.encode());
        assertEquals(new JsonArray("[\"TypeError\", \"read TypeError\"]"), r.getJsonArray("notBytes"), r.encode());
        assertEquals(new JsonArray("[true, true, true, \"[object DecompressionStream]\"]"),
                r.getJsonArray("isTransformStream"), r.encode());
    }
}
