package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/** TextEncoderStream and TextDecoderStream, piped through real streams in a worker. */
class TextCodecStreamsTest {

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    @Test
    void encodeAndDecodeAcrossChunkBoundaries() throws Exception {
        s.deploy("codec-streams", """
                async function collect(readable) {
                  const out = [];
                  for await (const chunk of readable) out.push(chunk);
                  return out;
                }
                function source(chunks) {
                  return new ReadableStream({ start(c) { for (const x of chunks) c.enqueue(x); c.close(); } });
                }
                export default {
                  async fetch() {
                    // A surrogate pair split across two chunks still encodes as one 4-byte sequence.
                    const encoded = await collect(source(['a\\uD83D', '\\uDE00b', '\\uD800']).pipeThrough(new TextEncoderStream()));
                    const bytes = encoded.flatMap((u8) => [...u8]);
                    // UTF-8 and Shift_JIS bytes split in the middle of a sequence.
                    const euro = [0xe2, 0x82, 0xac];
                    const utf8 = await collect(source([new Uint8Array(euro.slice(0, 1)), new Uint8Array(euro.slice(1))])
                      .pipeThrough(new TextDecoderStream()));
                    const sjis = await collect(source([new Uint8Array([0x82]), new Uint8Array([0xa0, 0x41])])
                      .pipeThrough(new TextDecoderStream('shift_jis')));
                    const dec = new TextDecoderStream('latin1', { fatal: true });
                    let fatalError = '';
                    try {
                      await collect(source([new Uint8Array([0xe2, 0x82])]).pipeThrough(new TextDecoderStream('utf-8', { fatal: true })));
                    } catch (e) { fatalError = e.constructor.name; }
                    let chunkError = '';
                    try { await collect(source(['not bytes']).pipeThrough(new TextDecoderStream())); }
                    catch (e) { chunkError = e.constructor.name; }
                    return Response.json({
                      bytes, utf8: utf8.join(''), sjis: sjis.join(''), encoding: new TextEncoderStream().encoding,
                      decEncoding: dec.encoding, decFatal: dec.fatal, decIgnoreBOM: dec.ignoreBOM, fatalError, chunkError,
                      readableIsStream: dec.readable instanceof ReadableStream, writableIsStream: dec.writable instanceof WritableStream,
                    });
                  },
                };
                """);
        HttpResponse<String> r = s.get("codec-streams.localhost", "/");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject j = new JsonObject(r.body());
        assertEquals("[97,240,159,152,128,98,239,191,189]", j.getJsonArray("bytes").encode());
        assertEquals("\u20ac", j.getString("utf8"));
        assertEquals("\u3042A", j.getString("sjis"));
        assertEquals("utf-8", j.getString("encoding"));
        assertEquals("windows-1252", j.getString("decEncoding"));
        assertEquals(true, j.getBoolean("decFatal"));
        assertEquals(false, j.getBoolean("decIgnoreBOM"));
        assertEquals("TypeError", j.getString("fatalError"));
        assertEquals("TypeError", j.getString("chunkError"));
        assertEquals(true, j.getBoolean("readableIsStream"));
        assertEquals(true, j.getBoolean("writableIsStream"));
    }
}
