package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/** Guest code cannot reach the host, and one tenant cannot see another's globals. */
class IsolationTest {

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
    void forbiddenGlobalsAreUndefined() throws Exception {
        s.deploy("probe", """
                const names = ['Java', 'Packages', 'Polyglot', 'load', 'print', 'quit', 'process', 'require',
                  'Graal', 'java', 'loadWithNewGlobal', 'exit', 'readline', 'readbuffer'];
                export default {
                  fetch() {
                    const out = {};
                    for (const n of names) out[n] = typeof globalThis[n];
                    // the same through eval and a fresh Function's global
                    out.viaEval = eval('typeof Java + typeof Polyglot + typeof load');
                    out.viaFunction = Function('return typeof this.Java + typeof this.Polyglot')();
                    out.viaConstructor = (() => {}).constructor.constructor('return typeof Packages')();
                    return Response.json(out);
                  },
                };
                """);
        JsonObject j = new JsonObject(s.get("probe.localhost", "/").body());
        for (String name : j.fieldNames()) {
            if (name.startsWith("via")) {
                assertTrue(j.getString(name).matches("(undefined)+"), name + " = " + j.getString(name));
            } else {
                assertEquals("undefined", j.getString(name), name);
            }
        }
        assertEquals(14 + 3, j.size());
    }

    @Test
    void noFileOrNetworkImports() throws Exception {
        s.deploy("importer", """
                export default {
                  async fetch() {
                    const out = [];
                    for (const spec of ['file:///etc/passwd', '/etc/passwd', '../../../../etc/passwd',
                                        'http://127.0.0.1:1/x.js', 'node:fs']) {
                      try { await import(spec); out.push(spec + ': loaded'); }
                      catch (e) { out.push(spec + ': refused'); }
                    }
                    return new Response(out.join('\\n'));
                  },
                };
                """);
        String body = s.get("importer.localhost", "/").body();
        assertTrue(!body.contains("loaded"), body);
        assertEquals(5, body.lines().filter(l -> l.endsWith(": refused")).count(), body);
    }

    @Test
    void statusAndPrototypesOfOneTenantAreInvisibleToAnother() throws Exception {
        s.deploy("tenant-a", """
                globalThis.secretOfA = 'a-secret';
                Object.prototype.polluted = 'by A';
                Array.prototype.push = function () { return 'hijacked'; };
                JSON.parse = () => 'hijacked';
                export default {
                  fetch() {
                    globalThis.requestSecretOfA = 'also secret';
                    return new Response(String(({}).polluted) + ' ' + [].push(1) + ' ' + JSON.parse('1'));
                  },
                };
                """);
        s.deploy("tenant-b", """
                export default {
                  fetch() {
                    const a = [];
                    a.push(1);
                    return Response.json({
                      secret: typeof globalThis.secretOfA,
                      requestSecret: typeof globalThis.requestSecretOfA,
                      polluted: typeof ({}).polluted,
                      push: a.length,
                      parse: JSON.parse('{"x":2}').x,
                    });
                  },
                };
                """);
        assertEquals("by A hijacked hijacked", s.get("tenant-a.localhost", "/").body());
        JsonObject b = new JsonObject(s.get("tenant-b.localhost", "/").body());
        assertEquals("undefined", b.getString("secret"));
        assertEquals("undefined", b.getString("requestSecret"));
        assertEquals("undefined", b.getString("polluted"));
        assertEquals(1, b.getInteger("push"));
        assertEquals(2, b.getInteger("parse"));
    }

    @Test
    void hostObjectsExposeNothingButTheirApi() throws Exception {
        // The prelude's host objects are in a closure; a script that walks everything it can reach finds no Java.
        s.deploy("walker", """
                export default {
                  fetch(request, env, ctx) {
                    const seen = new Set();
                    const found = [];
                    function walk(o, path, depth) {
                      if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o) || depth > 4) return;
                      seen.add(o);
                      let keys = [];
                      try { keys = Reflect.ownKeys(o); } catch (e) { return; }
                      for (const k of keys) {
                        let v;
                        try { v = o[k]; } catch (e) { continue; }
                        const p = path + '.' + String(k);
                        if (v && typeof v === 'object' && typeof v.getClass === 'function') found.push(p);
                        walk(v, p, depth + 1);
                      }
                    }
                    walk(globalThis, 'globalThis', 0);
                    walk(request, 'request', 0);
                    walk(ctx, 'ctx', 0);
                    return new Response(found.join(',') || 'none');
                  },
                };
                """);
        assertEquals("none", s.get("walker.localhost", "/").body());
    }
}
