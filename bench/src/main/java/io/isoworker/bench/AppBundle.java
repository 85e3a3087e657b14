package io.isoworker.bench;

/**
 * A generated worker of about 1 MiB that looks like a bundled app (what esbuild makes of an app and its libraries):
 * {@value #MODULES} module wrappers, each a closure with a handful of helper functions, a class and a message table,
 * all evaluated at load as a bundle's top level is, then a data table of {@value #ROWS} records. Its fetch handler
 * uses two of the modules and one record. Each seed gives a distinct source (names, strings and constants differ), so
 * nothing is shared between two scripts' parsed code. Generated, not stored: the benchmark uploads thousands.
 */
final class AppBundle {

    static final int MODULES = 450;
    static final int ROWS = 3_300;

    private static final String MODULE = """
            const m$K = (() => {
              const NAME = 'mod-$S-$K';
              const cache = new Map();
              function hash(text, salt) {
                let h = ($K ^ salt) >>> 0;
                for (let i = 0; i < text.length; i++) {
                  h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
                }
                return h;
              }
              function format(value) { return '[' + NAME + ':' + String(value) + ']'; }
              function clamp(x, lo, hi) { return x < lo ? lo : x > hi ? hi : x; }
              function pick(obj, keys) {
                const out = {};
                for (const key of keys) { if (key in obj) { out[key] = obj[key]; } }
                return out;
              }
              function parseQuery(query) {
                const out = {};
                for (const part of query.split('&')) {
                  const [key, value = ''] = part.split('=');
                  if (key) { out[decodeURIComponent(key)] = decodeURIComponent(value); }
                }
                return out;
              }
              async function load(key, fetcher) {
                const cached = cache.get(key);
                if (cached !== undefined) { return cached; }
                const value = await fetcher(key);
                cache.set(key, value);
                return value;
              }
              class Service {
                constructor(config) {
                  this.config = Object.assign({ retries: $R, timeout: $T, region: 'r$S' }, config);
                  this.calls = 0;
                }
                describe() { this.calls++; return format(this.config.name); }
                score(items) {
                  let total = 0;
                  for (const item of items) { total += clamp(item.price * $P, 0, 1e6); }
                  return total;
                }
                validate(input) {
                  if (typeof input !== 'object' || input === null) { throw new TypeError(NAME + ': object expected'); }
                  return pick(input, ['id', 'name', 'price']);
                }
              }
              const messages = {
                notFound: 'Not found ($S/$K)',
                denied: 'Access denied ($S/$K)',
                invalid: 'Invalid input in ' + NAME,
              };
              return { NAME, hash, format, clamp, pick, parseQuery, load, Service, messages };
            })();
            """;

    private AppBundle() {
    }

    /** The bundle of app {@code seed}. */
    static String source(int seed) {
        String s = Integer.toString(seed);
        StringBuilder sb = new StringBuilder(1_100_000);
        sb.append("// app ").append(s).append(": a generated bundle (isoworker DensityBenchmark)\n");
        sb.append("const SEED = ").append(s).append(";\n");
        for (int k = 0; k < MODULES; k++) {
            sb.append(MODULE.replace("$S", s).replace("$K", Integer.toString(k))
                    .replace("$R", Integer.toString(k % 5)).replace("$T", Integer.toString(100 + k))
                    .replace("$P", Integer.toString(k % 7 + 1)));
        }
        sb.append("const DATA = [\n");
        for (int i = 0; i < ROWS; i++) {
            sb.append("  { id: ").append(i).append(", name: 'item-").append(s).append('-').append(i)
                    .append("', price: ").append((i * 37 + seed) % 1000 / 10.0).append(", tags: ['t")
                    .append(i % 13).append("', 't").append(i % 7).append("'] },\n");
        }
        sb.append("];\n");
        sb.append("""
                export default {
                  fetch(request) {
                    const service = new m3.Service({ name: DATA[7].name });
                    return new Response('app ' + SEED + ' ' + service.describe() + ' ' + m5.format(DATA.length), {
                      headers: { 'content-type': 'text/plain' },
                    });
                  },
                };
                """);
        return sb.toString();
    }

    /** What the bundle of app {@code seed} answers to any request. */
    static String answer(int seed) {
        return "app " + seed + " [mod-" + seed + "-3:item-" + seed + "-7] [mod-" + seed + "-5:" + ROWS + "]";
    }
}
