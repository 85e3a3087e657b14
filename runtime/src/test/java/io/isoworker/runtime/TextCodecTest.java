package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/**
 * TextEncoder, TextDecoder, atob and btoa inside a worker: encodeInto limits, streaming with sequences split across
 * chunks, fatal errors, the BOM, lone surrogates, base64 errors and round trips. Strings come back as code points in
 * hex ({@code "61 20ac"}), errors as their constructor (and DOMException name).
 */
class TextCodecTest {

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start("cpu-ms", "120000");
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    private static final String HELPERS = """
            const cps = (s) => Array.from(s, (c) => c.codePointAt(0).toString(16)).join(' ');
            const hex = (u8) => Array.from(u8, (b) => b.toString(16).padStart(2, '0')).join(' ');
            const bytes = (...b) => Uint8Array.from(b);
            function attempt(f) {
              try { const v = f(); return typeof v === 'string' ? cps(v) : v; } catch (e) {
                return e instanceof DOMException ? 'DOMException ' + e.name + ' ' + e.code : e.constructor.name;
              }
            }
            // Decodes u8 whole, then split in two at every position, then byte by byte (streaming): the first
            // result that differs from the whole decode, or the whole decode's code points.
            function splits(label, u8) {
              const whole = new TextDecoder(label).decode(u8);
              const d = new TextDecoder(label);
              for (let i = 0; i <= u8.length; i++) {
                const got = d.decode(u8.subarray(0, i), { stream: true }) + d.decode(u8.subarray(i));
                if (got !== whole) return 'split at ' + i + ': ' + cps(got);
              }
              let one = '';
              for (let i = 0; i < u8.length; i++) one += d.decode(u8.subarray(i, i + 1), { stream: true });
              one += d.decode();
              if (one !== whole) return 'byte by byte: ' + cps(one);
              return cps(whole);
            }
            """;

    private JsonObject run(String name, String body) throws Exception {
        s.deploy(name, HELPERS + "export default { async fetch(request) { const r = {};\n" + body
                + "\nreturn Response.json(r); } };");
        HttpResponse<String> res = s.get(name + ".localhost", "/");
        assertEquals(200, res.statusCode(), res.body());
        return new JsonObject(res.body());
    }

    @Test
    void encodeAndEncodeInto() throws Exception {
        JsonObject r = run("encode-into", """
                const e = new TextEncoder();
                r.encoding = e.encoding;
                r.empty = hex(e.encode());
                r.undef = hex(e.encode(undefined));
                r.pair = hex(e.encode('\\uD83D\\uDE00'));
                r.lone = hex(e.encode('a\\uDE00\\uD83Db\\uD800'));
                const into = (s, n) => { const d = new Uint8Array(n); const x = e.encodeInto(s, d); return x.read + '/' + x.written + ' ' + hex(d); };
                r.nothing = into('', 0);
                r.truncAscii = into('abc', 2);
                r.noSplit3 = into('a\\u20AC', 3);
                r.noSplitPair = into('\\uD83D\\uDE00', 3);
                r.pairFits = into('\\uD83D\\uDE00', 4);
                r.loneInto = into('a\\uD800b', 5);
                r.loneTrailInto = into('\\uDC00', 3);
                r.twoByte = into('\\u00E9\\u00E9', 3);
                const base = new Uint8Array(8);
                const res = e.encodeInto('abcd', base.subarray(2, 5));
                r.offset = res.read + '/' + res.written + ' ' + hex(base);
                r.keys = Object.keys(res).join(',');
                r.notU8 = attempt(() => e.encodeInto('a', new Uint16Array(2)));
                r.missing = attempt(() => e.encodeInto('a'));
                r.illegal = attempt(() => TextEncoder.prototype.encode.call({}, 'a'));
                """);
        assertEquals("utf-8", r.getString("encoding"));
        assertEquals("", r.getString("empty"));
        assertEquals("", r.getString("undef"));
        assertEquals("f0 9f 98 80", r.getString("pair"));
        assertEquals("61 ef bf bd ef bf bd 62 ef bf bd", r.getString("lone"));
        assertEquals("0/0 ", r.getString("nothing"));
        assertEquals("2/2 61 62", r.getString("truncAscii"));
        assertEquals("1/1 61 00 00", r.getString("noSplit3"));
        assertEquals("0/0 00 00 00", r.getString("noSplitPair"));
        assertEquals("2/4 f0 9f 98 80", r.getString("pairFits"));
        assertEquals("3/5 61 ef bf bd 62", r.getString("loneInto"));
        assertEquals("1/3 ef bf bd", r.getString("loneTrailInto"));
        assertEquals("1/2 c3 a9 00", r.getString("twoByte"));
        assertEquals("3/3 00 00 61 62 63 00 00 00", r.getString("offset"));
        assertEquals("read,written", r.getString("keys"));
        assertEquals("TypeError", r.getString("notU8"));
        assertEquals("TypeError", r.getString("missing"));
        assertEquals("TypeError", r.getString("illegal"));
    }

    @Test
    void streamingKeepsSequencesSplitAcrossChunks() throws Exception {
        JsonObject r = run("streaming", """
                // 'a€😀é' in UTF-8, UTF-16LE and UTF-16BE
                r.utf8 = splits('utf-8', bytes(0x61, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xc3, 0xa9));
                r.utf16le = splits('utf-16le', bytes(0x61, 0, 0xac, 0x20, 0x3d, 0xd8, 0x00, 0xde, 0xe9, 0));
                r.utf16be = splits('utf-16be', bytes(0, 0x61, 0x20, 0xac, 0xd8, 0x3d, 0xde, 0x00, 0, 0xe9));
                // 日本語ｱ
                r.shiftJis = splits('shift_jis', bytes(0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea, 0xb1));
                r.eucJp = splits('euc-jp', bytes(0xc6, 0xfc, 0xcb, 0xdc, 0xb8, 0xec, 0x8e, 0xb1, 0x8f, 0xb0, 0xa1));
                // 日本語 in JIS X 0208, then a, ¥ in Roman, ｱ in katakana, back to ASCII
                r.iso2022jp = splits('iso-2022-jp', bytes(0x1b, 0x24, 0x42, 0x46, 0x7c, 0x4b, 0x5c, 0x38, 0x6c,
                  0x1b, 0x28, 0x42, 0x61, 0x1b, 0x28, 0x4a, 0x5c, 0x1b, 0x28, 0x49, 0x31, 0x1b, 0x28, 0x42, 0x62));
                r.gb18030 = splits('gb18030', bytes(0x80, 0xc4, 0xe3, 0x81, 0x30, 0x81, 0x30, 0x90, 0x30, 0x81, 0x30, 0x61));
                r.big5 = splits('big5', bytes(0xa4, 0x40, 0x88, 0x62, 0x87, 0x40, 0x61));
                r.eucKr = splits('euc-kr', bytes(0xb0, 0xa1, 0x61, 0x81, 0x41));
                // errors whose bytes are read again, wherever the chunks split them
                r.utf8Bad = splits('utf-8', bytes(0xf0, 0x9f, 0x61, 0xe2, 0x82));
                r.utf16Bad = splits('utf-16le', bytes(0x00, 0xd8, 0x61, 0x00, 0x3d, 0xd8));
                r.shiftJisBad = splits('shift_jis', bytes(0x81, 0x20, 0x41));
                r.iso2022jpBad = splits('iso-2022-jp', bytes(0x1b, 0x28, 0x42, 0x1b, 0x28, 0x4a, 0x61, 0x1b, 0x78));
                r.gb18030Bad = splits('gb18030', bytes(0x81, 0x30, 0x81, 0x61, 0x62));
                // a partial sequence is held, and becomes U+FFFD only at the end of the stream
                const d = new TextDecoder();
                r.held = cps(d.decode(bytes(0x61, 0x62), { stream: true }) + '|' + d.decode(bytes(0xe2, 0x82), { stream: true })
                  + '|' + d.decode(bytes(0xac), { stream: true }) + '|' + d.decode(bytes(0xe2), { stream: true }) + '|' + d.decode());
                r.truncated = attempt(() => new TextDecoder().decode(bytes(0xe2, 0x82)));
                r.afterFlush = attempt(() => { const x = new TextDecoder(); x.decode(bytes(0xe2), { stream: true }); x.decode(); return x.decode(bytes(0x82)); });
                const j = new TextDecoder('iso-2022-jp');
                r.isoState = cps(j.decode(bytes(0x1b, 0x24), { stream: true }) + '|' + j.decode(bytes(0x42, 0x46), { stream: true })
                  + '|' + j.decode(bytes(0x7c, 0x4b), { stream: true }) + '|' + j.decode(bytes(0x5c)));
                """);
        assertEquals("61 20ac 1f600 e9", r.getString("utf8"));
        assertEquals("61 20ac 1f600 e9", r.getString("utf16le"));
        assertEquals("61 20ac 1f600 e9", r.getString("utf16be"));
        assertEquals("65e5 672c 8a9e ff71", r.getString("shiftJis"));
        assertEquals("65e5 672c 8a9e ff71 4e02", r.getString("eucJp"));
        assertEquals("65e5 672c 8a9e 61 a5 ff71 62", r.getString("iso2022jp"));
        assertEquals("20ac 4f60 80 10000 61", r.getString("gb18030"));
        assertEquals("4e00 ca 304 43f0 61", r.getString("big5"));
        assertEquals("ac00 61 ac02", r.getString("eucKr"));
        assertEquals("fffd 61 fffd", r.getString("utf8Bad"));
        assertEquals("fffd 61 fffd", r.getString("utf16Bad"));
        assertEquals("fffd 20 41", r.getString("shiftJisBad"));
        assertEquals("fffd 61 fffd 78", r.getString("iso2022jpBad"));
        assertEquals("fffd 30 4e64 62", r.getString("gb18030Bad"));
        assertEquals("61 62 7c 7c 20ac 7c 7c fffd", r.getString("held"));
        assertEquals("fffd", r.getString("truncated"));
        assertEquals("fffd", r.getString("afterFlush"));
        assertEquals("7c 7c 65e5 7c 672c", r.getString("isoState"));
    }

    @Test
    void malformedInputAndFatalErrors() throws Exception {
        JsonObject r = run("fatal", """
                const dec = (label, ...b) => attempt(() => new TextDecoder(label).decode(bytes(...b)));
                const fatal = (label, ...b) => attempt(() => new TextDecoder(label, { fatal: true }).decode(bytes(...b)));
                r.utf8Invalid = dec('utf-8', 0x61, 0xff, 0x62);
                r.utf8Overlong = dec('utf-8', 0xc0, 0x80);
                r.utf8ShortF0 = dec('utf-8', 0xf0, 0x80, 0x80);
                r.utf8Surrogate = dec('utf-8', 0xed, 0xa0, 0x80);
                r.utf8TooBig = dec('utf-8', 0xf4, 0x90, 0x80, 0x80);
                r.utf8Truncated = dec('utf-8', 0xe0, 0xa0, 0x61);
                r.utf8Fatal = fatal('utf-8', 0x61, 0xff);
                r.utf8FatalEnd = fatal('utf-8', 0x61, 0xe2, 0x82);
                r.utf8FatalOk = fatal('utf-8', 0xe2, 0x82, 0xac);
                r.utf16LoneLead = dec('utf-16le', 0x00, 0xd8, 0x61, 0x00);
                r.utf16LoneTrail = dec('utf-16le', 0x00, 0xdc);
                r.utf16Odd = dec('utf-16le', 0x61, 0x00, 0x62);
                r.utf16Fatal = fatal('utf-16be', 0xd8, 0x00);
                r.sjisAsciiTrail = dec('shift_jis', 0x81, 0x20, 0x80, 0xa0);
                r.sjisUserDefined = dec('shift_jis', 0xf0, 0x40);
                r.isoRoman = dec('iso-2022-jp', 0x1b, 0x28, 0x4a, 0x5c, 0x7e);
                r.isoDoubleEscape = dec('iso-2022-jp', 0x1b, 0x28, 0x42, 0x1b, 0x28, 0x4a, 0x61);
                r.isoBadEscape = dec('iso-2022-jp', 0x1b, 0x78);
                r.isoEscapeAtEnd = dec('iso-2022-jp', 0x61, 0x1b, 0x24);
                r.isoShiftOut = fatal('iso-2022-jp', 0x0e);
                r.gbFourByteBad = dec('gb18030', 0x81, 0x30, 0x81, 0x61);
                r.gbMax = dec('gb18030', 0xe3, 0x32, 0x9a, 0x35);
                r.gbBeyond = dec('gb18030', 0xe3, 0x32, 0x9a, 0x36);
                r.userDefined = dec('x-user-defined', 0x61, 0x80, 0xff);
                r.win1252 = dec('latin1', 0x80, 0x81, 0xe9);
                r.hebrewLogical = dec('iso-8859-8-i', 0xe0, 0xfa);
                r.undefinedFatal = fatal('windows-1253', 0xaa);
                const d = new TextDecoder('utf-8', { fatal: true });
                d.decode(bytes(0xe2), { stream: true });
                r.fatalStreamError = attempt(() => d.decode(bytes(0x41)));
                r.afterFatalError = attempt(() => d.decode(bytes(0x41)));
                """);
        assertEquals("61 fffd 62", r.getString("utf8Invalid"));
        assertEquals("fffd fffd", r.getString("utf8Overlong"));
        assertEquals("fffd fffd fffd", r.getString("utf8ShortF0"));
        assertEquals("fffd fffd fffd", r.getString("utf8Surrogate"));
        assertEquals("fffd fffd fffd fffd", r.getString("utf8TooBig"));
        assertEquals("fffd 61", r.getString("utf8Truncated"));
        assertEquals("TypeError", r.getString("utf8Fatal"));
        assertEquals("TypeError", r.getString("utf8FatalEnd"));
        assertEquals("20ac", r.getString("utf8FatalOk"));
        assertEquals("fffd 61", r.getString("utf16LoneLead"));
        assertEquals("fffd", r.getString("utf16LoneTrail"));
        assertEquals("61 fffd", r.getString("utf16Odd"));
        assertEquals("TypeError", r.getString("utf16Fatal"));
        assertEquals("fffd 20 80 fffd", r.getString("sjisAsciiTrail"));
        assertEquals("e000", r.getString("sjisUserDefined"));
        assertEquals("a5 203e", r.getString("isoRoman"));
        assertEquals("fffd 61", r.getString("isoDoubleEscape"));
        assertEquals("fffd 78", r.getString("isoBadEscape"));
        assertEquals("61 fffd 24", r.getString("isoEscapeAtEnd"));
        assertEquals("TypeError", r.getString("isoShiftOut"));
        // the bytes after the first are restored: 0x30 is "0", then 0x81 0x61 is a two-byte code
        assertEquals("fffd 30 4e64", r.getString("gbFourByteBad"));
        assertEquals("10ffff", r.getString("gbMax"));
        assertEquals("fffd", r.getString("gbBeyond"));
        assertEquals("61 f780 f7ff", r.getString("userDefined"));
        assertEquals("20ac 81 e9", r.getString("win1252"));
        assertEquals("5d0 5ea", r.getString("hebrewLogical"));
        assertEquals("TypeError", r.getString("undefinedFatal"));
        assertEquals("TypeError", r.getString("fatalStreamError"));
        assertEquals("41", r.getString("afterFatalError"));
    }

    /**
     * Every sequence of up to three bytes from an alphabet of boundary values (and four-byte ones from the four-byte
     * leads), decoded whole, fatally, and in two streamed halves, against the standard's UTF-8 decoder written
     * out here in JavaScript.
     */
    @Test
    void utf8MatchesTheStandardsAlgorithm() throws Exception {
        JsonObject r = run("utf8-exhaustive", """
                function reference(u8) {
                  let out = '', cp = 0, seen = 0, needed = 0, low = 0x80, high = 0xbf, errors = 0;
                  for (let i = 0; i <= u8.length; i++) {
                    if (i === u8.length) { if (needed !== 0) { out += '\uFFFD'; errors++; } break; }
                    const b = u8[i];
                    if (needed === 0) {
                      if (b < 0x80) out += String.fromCharCode(b);
                      else if (b >= 0xc2 && b <= 0xdf) { needed = 1; cp = b & 0x1f; }
                      else if (b >= 0xe0 && b <= 0xef) { if (b === 0xe0) low = 0xa0; if (b === 0xed) high = 0x9f; needed = 2; cp = b & 0xf; }
                      else if (b >= 0xf0 && b <= 0xf4) { if (b === 0xf0) low = 0x90; if (b === 0xf4) high = 0x8f; needed = 3; cp = b & 7; }
                      else { out += '\uFFFD'; errors++; }
                      continue;
                    }
                    if (b < low || b > high) { cp = needed = seen = 0; low = 0x80; high = 0xbf; out += '\uFFFD'; errors++; i--; continue; }
                    low = 0x80; high = 0xbf; cp = (cp << 6) | (b & 0x3f);
                    if (++seen === needed) { out += String.fromCodePoint(cp); cp = needed = seen = 0; }
                  }
                  return [out, errors];
                }
                const alphabet = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0,
                  0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff];
                const tails = [0x41, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0];
                const inputs = [];
                for (const a of alphabet) {
                  inputs.push([a]);
                  for (const b of alphabet) {
                    inputs.push([a, b]);
                    for (const c of alphabet) inputs.push([a, b, c]);
                  }
                }
                for (const a of [0xf0, 0xf1, 0xf4]) for (const b of tails) for (const c of tails) for (const d of tails) inputs.push([a, b, c, d]);
                const plain = new TextDecoder(), fatal = new TextDecoder('utf-8', { fatal: true }), streamed = new TextDecoder();
                r.cases = inputs.length;
                r.failures = [];
                for (const input of inputs) {
                  // a prefix longer than the ASCII fast path sends every case through the host decoder
                  const u8 = Uint8Array.from([...new Array(300).fill(0x61), ...input]);
                  const [want, errors] = reference(u8);
                  let f;
                  try { f = fatal.decode(u8); } catch (e) { f = null; }
                  const half = u8.length - 2;
                  const s = streamed.decode(u8.subarray(0, half), { stream: true }) + streamed.decode(u8.subarray(half));
                  if (plain.decode(u8) !== want || f !== (errors ? null : want) || s !== want) {
                    if (r.failures.length < 10) r.failures.push(hex(input));
                  }
                }
                r.failures = r.failures.join(' | ');
                """);
        assertTrue(r.getInteger("cases") > 16000, r.encode());
        assertEquals("", r.getString("failures"));
    }

    @Test
    void byteOrderMark() throws Exception {
        JsonObject r = run("bom", """
                const dec = (label, opts, ...b) => cps(new TextDecoder(label, opts).decode(bytes(...b)));
                r.utf8 = dec('utf-8', {}, 0xef, 0xbb, 0xbf, 0x61);
                r.utf8Ignore = dec('utf-8', { ignoreBOM: true }, 0xef, 0xbb, 0xbf, 0x61);
                r.utf8Twice = dec('utf-8', {}, 0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf);
                r.utf16le = dec('utf-16le', {}, 0xff, 0xfe, 0x61, 0x00);
                r.utf16leIgnore = dec('utf-16le', { ignoreBOM: true }, 0xff, 0xfe, 0x61, 0x00);
                r.utf16be = dec('utf-16be', {}, 0xfe, 0xff, 0x00, 0x61);
                r.utf16leGivenBe = dec('utf-16le', {}, 0xfe, 0xff, 0x61, 0x00);
                r.noSniffing = dec('utf-8', {}, 0xff, 0xfe, 0x61);
                r.legacyKeeps = dec('windows-1252', {}, 0xef, 0xbb, 0xbf);
                const d = new TextDecoder();
                r.splitBom = cps(d.decode(bytes(0xef), { stream: true }) + d.decode(bytes(0xbb), { stream: true })
                  + d.decode(bytes(0xbf, 0x61)));
                r.oncePerStream = cps(d.decode(bytes(0xef, 0xbb, 0xbf, 0x61), { stream: true }) + '|'
                  + d.decode(bytes(0xef, 0xbb, 0xbf, 0x62)));
                r.newStreamAgain = cps(d.decode(bytes(0xef, 0xbb, 0xbf, 0x63)));
                r.afterAsciiChunk = cps(d.decode(bytes(0x61), { stream: true }) + d.decode(bytes(0xef, 0xbb, 0xbf)));
                const o = new TextDecoder('utf-16', { fatal: 1, ignoreBOM: 'yes' });
                r.attributes = [o.encoding, o.fatal, o.ignoreBOM, new TextDecoder().fatal, new TextDecoder().ignoreBOM].join(',');
                """);
        assertEquals("61", r.getString("utf8"));
        assertEquals("feff 61", r.getString("utf8Ignore"));
        assertEquals("feff", r.getString("utf8Twice"));
        assertEquals("61", r.getString("utf16le"));
        assertEquals("feff 61", r.getString("utf16leIgnore"));
        assertEquals("61", r.getString("utf16be"));
        assertEquals("fffe 61", r.getString("utf16leGivenBe"));
        assertEquals("fffd fffd 61", r.getString("noSniffing"));
        assertEquals("ef bb bf", r.getString("legacyKeeps"));
        assertEquals("61", r.getString("splitBom"));
        assertEquals("61 7c feff 62", r.getString("oncePerStream"));
        assertEquals("63", r.getString("newStreamAgain"));
        assertEquals("61 feff", r.getString("afterAsciiChunk"));
        assertEquals("utf-16le,true,true,false,false", r.getString("attributes"));
    }

    @Test
    void constructorAndArgumentErrors() throws Exception {
        JsonObject r = run("decoder-args", """
                r.names = [undefined, ' Latin1 ', 'UTF-16', 'sjis', 'x-mac-ukrainian', 'GB2312', 'ks_c_5601-1987']
                  .map((l) => new TextDecoder(l).encoding).join(',');
                r.replacement = attempt(() => new TextDecoder('iso-2022-kr'));
                r.unknown = attempt(() => new TextDecoder('utf-7'));
                r.nonAsciiCase = attempt(() => new TextDecoder('\\u212Aoi8-r'));
                r.badOptions = attempt(() => new TextDecoder('utf-8', 5));
                r.badInput = attempt(() => new TextDecoder().decode('abc'));
                r.badDecodeOptions = attempt(() => new TextDecoder().decode(new Uint8Array(1), 1));
                r.arrayBuffer = attempt(() => new TextDecoder().decode(bytes(0x68, 0x69).buffer));
                r.dataView = attempt(() => new TextDecoder().decode(new DataView(bytes(0, 0x68, 0x69, 0).buffer, 1, 2)));
                r.uint16 = attempt(() => new TextDecoder('utf-16le').decode(Uint16Array.of(0x68, 0x20ac)));
                r.subarray = attempt(() => new TextDecoder().decode(bytes(0x61, 0xe2, 0x82, 0xac, 0x62).subarray(1, 4)));
                r.nothing = attempt(() => new TextDecoder().decode());
                r.shared = typeof SharedArrayBuffer !== 'function' ? 'none' : attempt(() => {
                  const u = new Uint8Array(new SharedArrayBuffer(3));
                  u.set([0xe2, 0x82, 0xac]);
                  return new TextDecoder().decode(u);
                });
                r.illegal = attempt(() => Object.getOwnPropertyDescriptor(TextDecoder.prototype, 'encoding').get.call({}));
                const desc = Object.getOwnPropertyDescriptor(globalThis, 'TextDecoder');
                r.global = [desc.enumerable, desc.writable, desc.configurable, typeof atob, typeof btoa,
                  String(new TextDecoder()), String(new TextEncoder())].join(',');
                // the body readers share the decoder: BOM removed, malformed bytes replaced, also past the ASCII fast path
                r.bodyText = cps(await new Response(bytes(0xef, 0xbb, 0xbf, 0x68, 0x69, 0xff)).text());
                const long = new TextEncoder().encode('\\u00e9'.repeat(300) + '\\uD83D\\uDE00');
                r.bodyLong = (await new Response(long).text()) === '\\u00e9'.repeat(300) + '\\uD83D\\uDE00';
                const big = new Uint8Array(100000).fill(0x61);
                big[99999] = 0xc3;
                r.bigDecode = cps(new TextDecoder().decode(big).slice(-2));
                """);
        assertEquals("utf-8,windows-1252,utf-16le,shift_jis,x-mac-cyrillic,gbk,euc-kr", r.getString("names"));
        assertEquals("RangeError", r.getString("replacement"));
        assertEquals("RangeError", r.getString("unknown"));
        assertEquals("RangeError", r.getString("nonAsciiCase"));
        assertEquals("TypeError", r.getString("badOptions"));
        assertEquals("TypeError", r.getString("badInput"));
        assertEquals("TypeError", r.getString("badDecodeOptions"));
        assertEquals("68 69", r.getString("arrayBuffer"));
        assertEquals("68 69", r.getString("dataView"));
        assertEquals("68 20ac", r.getString("uint16"));
        assertEquals("20ac", r.getString("subarray"));
        assertEquals("", r.getString("nothing"));
        assertEquals("20ac", r.getString("shared"));
        assertEquals("TypeError", r.getString("illegal"));
        assertEquals("false,true,true,function,function,[object TextDecoder],[object TextEncoder]",
                r.getString("global"));
        assertEquals("68 69 fffd", r.getString("bodyText"));
        assertTrue(r.getBoolean("bodyLong"));
        assertEquals("61 fffd", r.getString("bigDecode"));
    }

    @Test
    void btoaAndAtob() throws Exception {
        JsonObject r = run("base64", """
                r.encodings = ['', 'a', 'ab', 'abc', '\\xff\\xfe', null].map((x) => btoa(x)).join(',');
                r.wide = attempt(() => btoa('\\u0100'));
                r.emoji = attempt(() => btoa('\\uD83D\\uDE00'));
                r.noArgs = attempt(() => btoa());
                r.atobNoArgs = attempt(() => atob());
                r.atobSpaces = attempt(() => atob(' YQ = =\\n'));
                r.atobUnpadded = attempt(() => atob('YWI'));
                r.atobBad = attempt(() => atob('Y'));
                r.atobUndefined = attempt(() => atob(undefined));
                r.atobBadChar = attempt(() => atob('YQ-='));
                let all = '';
                for (let i = 0; i < 256; i++) all += String.fromCharCode(i);
                let roundTrips = atob(btoa(all)) === all;
                for (let n = 0; n < 12; n++) {
                  const s = all.slice(100, 100 + n);
                  roundTrips = roundTrips && atob(btoa(s)) === s;
                }
                const big = all.repeat(400);
                r.roundTrips = roundTrips && atob(btoa(big)) === big;
                r.atobLength = atob.length + ',' + btoa.length;
                """);
        assertEquals(",YQ==,YWI=,YWJj,//4=,bnVsbA==", r.getString("encodings"));
        assertEquals("DOMException InvalidCharacterError 5", r.getString("wide"));
        assertEquals("DOMException InvalidCharacterError 5", r.getString("emoji"));
        assertEquals("TypeError", r.getString("noArgs"));
        assertEquals("TypeError", r.getString("atobNoArgs"));
        assertEquals("61", r.getString("atobSpaces"));
        assertEquals("61 62", r.getString("atobUnpadded"));
        assertEquals("DOMException InvalidCharacterError 5", r.getString("atobBad"));
        assertEquals("DOMException InvalidCharacterError 5", r.getString("atobUndefined"));
        assertEquals("DOMException InvalidCharacterError 5", r.getString("atobBadChar"));
        assertTrue(r.getBoolean("roundTrips"));
        assertEquals("1,1", r.getString("atobLength"));
    }
}
