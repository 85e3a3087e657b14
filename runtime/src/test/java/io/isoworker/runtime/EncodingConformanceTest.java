package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * TextDecoder against the WHATWG Encoding Standard's label list and index tables
 * ({@code ../shared/conformance/whatwg-encoding/}): every label, every byte of each single-byte index, and every
 * pointer of each multi-byte index, each decoded (non-fatal and fatal) inside a worker.
 */
class EncodingConformanceTest {

    private static final Logger LOG = LoggerFactory.getLogger(EncodingConformanceTest.class);
    private static final String DIR = "whatwg-encoding/";

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start("cpu-ms", "120000");
        s.deploy("encoding-runner", RUNNER);
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    private static String text(String file) {
        return new String(Conformance.read(DIR + file), StandardCharsets.UTF_8);
    }

    /** Runs one job in the runner worker and records its result as the row {@code row}. */
    private static JsonObject run(String row, JsonObject job, String target) throws Exception {
        JsonObject r = new JsonObject(Conformance.runInWorker(s, "encoding-runner", RUNNER,
                job.encode().getBytes(StandardCharsets.UTF_8)));
        int cases = r.getInteger("cases");
        int passed = r.getInteger("passed");
        if (passed < cases) {
            LOG.warn("{}: {} of {} cases passed; first failures: {}", row, passed, cases, r.getJsonArray("failures"));
        }
        Conformance.record(row, cases, passed, target);
        return r;
    }

    @Test
    void everyLabelGivesItsCanonicalName() throws Exception {
        JsonObject r = run(DIR + "encodings.json", new JsonObject().put("kind", "labels")
                .put("encodings", new JsonArray(text("encodings.json"))), "100%");
        assertEquals(228, r.getInteger("cases"));
    }

    static final List<String> SINGLE_BYTE = List.of("ibm866", "iso-8859-2", "iso-8859-3", "iso-8859-4",
            "iso-8859-5", "iso-8859-6", "iso-8859-7", "iso-8859-8", "iso-8859-10", "iso-8859-13", "iso-8859-14",
            "iso-8859-15", "iso-8859-16", "koi8-r", "koi8-u", "macintosh", "windows-874", "windows-1250",
            "windows-1251", "windows-1252", "windows-1253", "windows-1254", "windows-1255", "windows-1256",
            "windows-1257", "windows-1258", "x-mac-cyrillic");

    @Test
    void everyByteOfEachSingleByteIndex() throws Exception {
        for (String name : SINGLE_BYTE) {
            JsonObject r = run(DIR + "index-" + name + ".txt", new JsonObject().put("kind", "single-byte")
                    .put("encoding", name).put("index", text("index-" + name + ".txt")), "100%");
            assertEquals(256, r.getInteger("cases"));
        }
    }

    private static void multiByte(String row, String kind, String indexFile) throws Exception {
        run(row, new JsonObject().put("kind", kind).put("index", text(indexFile)), "-");
    }

    @Test
    void big5() throws Exception {
        multiByte(DIR + "index-big5.txt", "big5", "index-big5.txt");
    }

    @Test
    void eucKr() throws Exception {
        multiByte(DIR + "index-euc-kr.txt", "euc-kr", "index-euc-kr.txt");
    }

    @Test
    void gb18030TwoBytes() throws Exception {
        multiByte(DIR + "index-gb18030.txt", "gb18030", "index-gb18030.txt");
    }

    @Test
    void gb18030FourBytes() throws Exception {
        multiByte(DIR + "index-gb18030-ranges.txt", "gb18030-ranges", "index-gb18030-ranges.txt");
    }

    @Test
    void jis0208ThroughShiftJis() throws Exception {
        multiByte(DIR + "index-jis0208.txt (Shift_JIS)", "jis0208-shift_jis", "index-jis0208.txt");
    }

    @Test
    void jis0208ThroughEucJp() throws Exception {
        multiByte(DIR + "index-jis0208.txt (EUC-JP)", "jis0208-euc-jp", "index-jis0208.txt");
    }

    @Test
    void jis0208ThroughIso2022Jp() throws Exception {
        multiByte(DIR + "index-jis0208.txt (ISO-2022-JP)", "jis0208-iso-2022-jp", "index-jis0208.txt");
    }

    @Test
    void jis0212ThroughEucJp() throws Exception {
        multiByte(DIR + "index-jis0212.txt (EUC-JP)", "jis0212-euc-jp", "index-jis0212.txt");
    }

    @Test
    void iso2022JpKatakana() throws Exception {
        run(DIR + "index-iso-2022-jp-katakana.txt", new JsonObject().put("kind", "iso-2022-jp-katakana")
                .put("index", text("index-iso-2022-jp-katakana.txt")).put("jis0208", text("index-jis0208.txt")),
                "-");
    }

    /**
     * The runner: builds each case's bytes the way the standard's decoder reads them, decodes them non-fatally and
     * fatally, and counts a case as passed only when both results are what the index says.
     */
    static final String RUNNER = """
            function parseIndex(text) {
              const map = new Map();
              for (const line of text.split('\\n')) {
                if (line === '' || line.startsWith('#')) continue;
                const [pointer, cp] = line.split('\\t');
                map.set(Number(pointer.trim()), Number(cp.trim()));
              }
              return map;
            }
            const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
            const codes = (s) => Array.from(s, (c) => c.codePointAt(0).toString(16)).join(' ');

            // expected: the string, or null when the sequence is an error (then 'replaced' is the non-fatal result)
            function check(r, encodings, bytes, expected, replaced) {
              r.cases++;
              let ok = true;
              for (const encoding of encodings) {
                const plain = new TextDecoder(encoding).decode(bytes);
                let fatal;
                try { fatal = new TextDecoder(encoding, { fatal: true }).decode(bytes); } catch (e) {
                  fatal = e instanceof TypeError ? null : 'threw ' + e;
                }
                const want = expected === null ? replaced : expected;
                if (plain !== want || fatal !== expected) {
                  ok = false;
                  if (r.failures.length < 20) {
                    r.failures.push(encoding + ' [' + hex(bytes) + ']: got ' + codes(plain) + ' / fatal '
                      + (fatal === null ? 'TypeError' : codes(fatal)) + ', want ' + codes(want)
                      + (expected === null ? ' / TypeError' : ''));
                  }
                }
              }
              if (ok) r.passed++;
            }

            function labels(job, r) {
              for (const group of job.encodings) {
                for (const encoding of group.encodings) {
                  for (const label of encoding.labels) {
                    r.cases++;
                    const variants = [label, label.toUpperCase(), ' \\t\\n\\f\\r' + label + '\\r\\n\\f\\t '];
                    let ok = true;
                    for (const v of variants) {
                      let got;
                      try { got = new TextDecoder(v).encoding; } catch (e) { got = e instanceof RangeError ? 'RangeError' : String(e); }
                      const want = encoding.name === 'replacement' ? 'RangeError' : encoding.name.toLowerCase();
                      if (got !== want) {
                        ok = false;
                        if (r.failures.length < 20) r.failures.push(JSON.stringify(v) + ': ' + got + ', want ' + want);
                      }
                    }
                    if (ok) r.passed++;
                  }
                }
              }
            }

            function singleByte(job, r) {
              const index = parseIndex(job.index);
              for (let b = 0; b < 256; b++) {
                const cp = b < 0x80 ? b : index.get(b - 0x80);
                check(r, [job.encoding], Uint8Array.of(b), cp === undefined ? null : String.fromCodePoint(cp), '\\uFFFD');
              }
            }

            const ascii = (b) => b < 0x80 ? String.fromCharCode(b) : '';

            // [encodings, pointer count, bytes of a pointer, expected of a pointer (string or null), replaced]
            const MULTI = {
              'big5': [['big5'], 126 * 157, (p) => { const t = p % 157; return [(p / 157 | 0) + 0x81, t + (t < 0x3f ? 0x40 : 0x62)]; },
                (p, index) => ({ 1133: '\\u00CA\\u0304', 1135: '\\u00CA\\u030C', 1164: '\\u00EA\\u0304', 1166: '\\u00EA\\u030C' })[p]
                  ?? (index.has(p) ? String.fromCodePoint(index.get(p)) : null),
                (bytes) => '\\uFFFD' + ascii(bytes[1])],
              'euc-kr': [['euc-kr'], 126 * 190, (p) => [(p / 190 | 0) + 0x81, p % 190 + 0x41],
                (p, index) => index.has(p) ? String.fromCodePoint(index.get(p)) : null,
                (bytes) => '\\uFFFD' + ascii(bytes[1])],
              'gb18030': [['gb18030', 'gbk'], 126 * 190, (p) => { const t = p % 190; return [(p / 190 | 0) + 0x81, t + (t < 0x3f ? 0x40 : 0x41)]; },
                (p, index) => index.has(p) ? String.fromCodePoint(index.get(p)) : null,
                (bytes) => '\\uFFFD' + ascii(bytes[1])],
              'jis0208-shift_jis': [['shift_jis'], 60 * 188, (p) => {
                  const l = p / 188 | 0, t = p % 188;
                  return [l + (l < 0x1f ? 0x81 : 0xc1), t + (t < 0x3f ? 0x40 : 0x41)];
                },
                (p, index) => p >= 8836 && p <= 10715 ? String.fromCharCode(0xe000 - 8836 + p)
                  : index.has(p) ? String.fromCodePoint(index.get(p)) : null,
                (bytes) => '\\uFFFD' + ascii(bytes[1])],
              'jis0208-euc-jp': [['euc-jp'], 94 * 94, (p) => [(p / 94 | 0) + 0xa1, p % 94 + 0xa1],
                (p, index) => index.has(p) ? String.fromCodePoint(index.get(p)) : null, () => '\\uFFFD'],
              'jis0208-iso-2022-jp': [['iso-2022-jp'], 94 * 94, (p) => [0x1b, 0x24, 0x42, (p / 94 | 0) + 0x21, p % 94 + 0x21],
                (p, index) => index.has(p) ? String.fromCodePoint(index.get(p)) : null, () => '\\uFFFD'],
              'jis0212-euc-jp': [['euc-jp'], 94 * 94, (p) => [0x8f, (p / 94 | 0) + 0xa1, p % 94 + 0xa1],
                (p, index) => index.has(p) ? String.fromCodePoint(index.get(p)) : null, () => '\\uFFFD'],
            };

            function multiByte(job, r) {
              const [encodings, count, bytesOf, expectedOf, replacedOf] = MULTI[job.kind];
              const index = parseIndex(job.index);
              for (let p = 0; p < count; p++) {
                const bytes = Uint8Array.from(bytesOf(p));
                check(r, encodings, bytes, expectedOf(p, index), replacedOf(bytes));
              }
            }

            // Every four-byte pointer of the BMP part: the code point the standard's ranges algorithm gives.
            function gb18030Ranges(job, r) {
              const ranges = [...parseIndex(job.index)].sort((a, b) => a[0] - b[0]);
              let k = 0;
              for (let p = 0; p <= 39419; p++) {
                while (k + 1 < ranges.length && ranges[k + 1][0] <= p) k++;
                const cp = p === 7457 ? 0xe7c7 : ranges[k][1] + p - ranges[k][0];
                const bytes = Uint8Array.of((p / 12600 | 0) + 0x81, (p / 1260 | 0) % 10 + 0x30, (p / 10 | 0) % 126 + 0x81, p % 10 + 0x30);
                check(r, ['gb18030', 'gbk'], bytes, String.fromCodePoint(cp), null);
              }
            }

            // The katakana index is the ISO-2022-JP encoder's (half-width katakana to full-width). For each pointer:
            // the half-width character decodes in the katakana state, and its full-width replacement decodes from
            // its jis0208 bytes in the JIS X 0208 state.
            function katakana(job, r) {
              const index = parseIndex(job.index);
              const jis = new Map([...parseIndex(job.jis0208)].map(([p, cp]) => [cp, p]).reverse());
              for (const [p, cp] of index) {
                const j = jis.get(cp);
                if (j === undefined) { r.cases++; r.failures.push('pointer ' + p + ': U+' + cp.toString(16) + ' not in jis0208'); continue; }
                const bytes = Uint8Array.of(0x1b, 0x28, 0x49, 0x21 + p, 0x1b, 0x24, 0x42, (j / 94 | 0) + 0x21, j % 94 + 0x21, 0x1b, 0x28, 0x42);
                check(r, ['iso-2022-jp'], bytes, String.fromCharCode(0xff61 + p) + String.fromCodePoint(cp), null);
              }
            }

            export default {
              async fetch(request) {
                const job = await request.json();
                const r = { cases: 0, passed: 0, failures: [] };
                if (job.kind === 'labels') labels(job, r);
                else if (job.kind === 'single-byte') singleByte(job, r);
                else if (job.kind === 'gb18030-ranges') gb18030Ranges(job, r);
                else if (job.kind === 'iso-2022-jp-katakana') katakana(job, r);
                else multiByte(job, r);
                return Response.json(r);
              },
            };
            """;
}
