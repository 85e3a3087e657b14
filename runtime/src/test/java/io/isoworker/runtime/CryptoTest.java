package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/**
 * The Web Crypto API through a worker: known-answer vectors from the standards (FIPS 180, RFC 4231, the GCM
 * specification's test cases, NIST SP 800-38A, RFC 3394, RFC 6070, RFC 5869, RFC 8032, RFC 7748, RFC 6979), round
 * trips through every key format, and the spec's errors. Each test's worker runs named checks and answers a JSON
 * object of check name to {@code true} or a description of what went wrong.
 */
class CryptoTest {

    /** Helpers every check worker starts with. */
    private static final String HARNESS = """
            const hex = (b) => Array.from(new Uint8Array(b.buffer ? b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) : b),
              (x) => x.toString(16).padStart(2, '0')).join('');
            const unhex = (s) => new Uint8Array((s.match(/../g) || []).map((x) => parseInt(x, 16)));
            const ascii = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));
            const repeat = (byte, n) => new Uint8Array(n).fill(byte);
            const range = (from, to) => Uint8Array.from({ length: to - from }, (_, i) => from + i);
            const B64U = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
            const b64u = (bytes) => {
              let bits = 0;
              let value = 0;
              let out = '';
              for (const byte of bytes) {
                value = (value << 8) | byte;
                bits += 8;
                while (bits >= 6) {
                  bits -= 6;
                  out += B64U[(value >> bits) & 63];
                }
              }
              return bits > 0 ? out + B64U[(value << (6 - bits)) & 63] : out;
            };
            const subtle = crypto.subtle;
            const results = {};
            async function check(name, fn) {
              try {
                const v = await fn();
                results[name] = v === true ? true : 'got ' + (typeof v === 'string' ? v : JSON.stringify(v));
              } catch (e) {
                results[name] = 'threw ' + (e && e.name) + ': ' + (e && e.message);
              }
            }
            const same = (name, fn, expected) => check(name, async () => {
              const v = await fn();
              return v === expected || String(v) + ' instead of ' + expected;
            });
            // The call must return a promise that rejects with errorName (a DOMException, or a TypeError).
            async function rejects(name, fn, errorName) {
              let p;
              try {
                p = fn();
              } catch (e) {
                results[name] = 'threw synchronously ' + e.name + ': ' + e.message;
                return;
              }
              if (!(p instanceof Promise)) {
                results[name] = 'did not return a promise';
                return;
              }
              try {
                await p;
                results[name] = 'resolved';
              } catch (e) {
                const right = errorName === 'TypeError' ? e instanceof TypeError : e instanceof DOMException;
                results[name] = (right && e.name === errorName) || 'rejected with ' + e.name + ': ' + e.message;
              }
            }
            function throwsSync(name, fn, errorName) {
              try {
                fn();
                results[name] = 'did not throw';
              } catch (e) {
                results[name] = e.name === errorName || 'threw ' + e.name + ': ' + e.message;
              }
            }
            """;

    private static final String FETCH = """
            export default {
              async fetch() {
                await run();
                return Response.json(results);
              },
            };
            """;

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start("cpu-ms", "60000");
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    /** Deploys the checks as a worker, runs them, and asserts each passed and that there were {@code count}. */
    private static void runChecks(String name, String checks, int count) throws Exception {
        s.deploy(name, HARNESS + "async function run() {\n" + checks + "\n}\n" + FETCH);
        HttpResponse<String> r = s.get(name + ".localhost", "/");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject results = new JsonObject(r.body());
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Object> e : results) {
            if (!Boolean.TRUE.equals(e.getValue())) {
                failures.add(e.getKey() + ": " + e.getValue());
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(count, results.size(), "checks run: " + results.fieldNames());
    }

    @Test
    void globalsRandomValuesAndUuids() throws Exception {
        runChecks("crypto-globals", """
                await check('crypto is a Crypto', () => crypto instanceof Crypto && crypto.subtle instanceof SubtleCrypto
                  && crypto.subtle === crypto.subtle);
                await check('globals are not enumerable', () => !Object.keys(globalThis).includes('crypto')
                  && typeof CryptoKey === 'function');
                await check('toStringTag', () => String(crypto) === '[object Crypto]'
                  && Object.prototype.toString.call(crypto.subtle) === '[object SubtleCrypto]');
                throwsSync('new Crypto', () => new Crypto(), 'TypeError');
                throwsSync('new SubtleCrypto', () => new SubtleCrypto(), 'TypeError');
                throwsSync('new CryptoKey', () => new CryptoKey(), 'TypeError');
                await check('Illegal constructor message', () => {
                  try {
                    new CryptoKey();
                    return 'no error';
                  } catch (e) {
                    return e.message === 'Illegal constructor' || e.message;
                  }
                });
                await check('getRandomValues fills in place and returns the array', () => {
                  const a = new Uint8Array(64);
                  const b = new Uint8Array(64);
                  const r = crypto.getRandomValues(a);
                  crypto.getRandomValues(b);
                  return r === a && hex(a) !== hex(b) && a.some((x) => x !== 0);
                });
                await check('getRandomValues on a view fills only the view', () => {
                  const buf = new Uint8Array(32);
                  const view = new Uint32Array(buf.buffer, 8, 4);
                  crypto.getRandomValues(view);
                  return buf.subarray(0, 8).every((x) => x === 0) && buf.subarray(24).every((x) => x === 0)
                    && buf.subarray(8, 24).some((x) => x !== 0);
                });
                await check('every integer array type', () => [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array,
                  Uint16Array, Int32Array, Uint32Array, BigInt64Array, BigUint64Array]
                  .every((T) => crypto.getRandomValues(new T(4)) instanceof T));
                await check('65536 bytes is allowed', () => crypto.getRandomValues(new Uint8Array(65536)).length === 65536);
                throwsSync('more than 65536 bytes', () => crypto.getRandomValues(new Uint8Array(65537)), 'QuotaExceededError');
                throwsSync('Float32Array', () => crypto.getRandomValues(new Float32Array(4)), 'TypeMismatchError');
                throwsSync('Float64Array', () => crypto.getRandomValues(new Float64Array(4)), 'TypeMismatchError');
                throwsSync('DataView', () => crypto.getRandomValues(new DataView(new ArrayBuffer(4))), 'TypeMismatchError');
                throwsSync('ArrayBuffer is not a view', () => crypto.getRandomValues(new ArrayBuffer(4)), 'TypeError');
                await check('TypeMismatchError is a DOMException', () => {
                  try { crypto.getRandomValues(new Float32Array(1)); } catch (e) { return e instanceof DOMException && e.code === 17; }
                });
                await check('randomUUID is a v4 UUID', () => {
                  const a = crypto.randomUUID();
                  const b = crypto.randomUUID();
                  const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
                  return (v4.test(a) && v4.test(b) && a !== b) || a;
                });
                await check('a CryptoKey exposes only plain data', async () => {
                  const k = await subtle.generateKey({ name: 'AES-GCM', length: 128 }, true, ['encrypt']);
                  const plain = (v) => v === null || typeof v !== 'object' || Object.getPrototypeOf(v) === Object.prototype
                    || Array.isArray(v);
                  return Reflect.ownKeys(k).length === 0 && plain(k.algorithm) && plain(k.usages)
                    && Object.values(k.algorithm).every((v) => typeof v !== 'object');
                });
                await check('subtle methods return promises', () => subtle.digest('SHA-256', new Uint8Array(0)) instanceof Promise);
                """, 20);
    }

    @Test
    void digestKnownAnswers() throws Exception {
        runChecks("crypto-digest", """
                const vectors = [
                  ['SHA-1', 'abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
                  ['SHA-1', '', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
                  ['SHA-256', 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
                  ['SHA-256', '', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
                  ['SHA-384', 'abc', 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7'],
                  ['SHA-384', '', '38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b'],
                  ['SHA-512', 'abc', 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f'],
                  ['SHA-512', '', 'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e'],
                  ['MD5', 'abc', '900150983cd24fb0d6963f7d28e17f72'],
                  ['MD5', '', 'd41d8cd98f00b204e9800998ecf8427e'],
                ];
                for (const [alg, msg, expected] of vectors) {
                  await same(alg + ' of "' + msg + '"', async () => hex(await subtle.digest(alg, ascii(msg))), expected);
                }
                await same('lower-case name and {name} form', async () => hex(await subtle.digest({ name: 'sha-256' }, ascii('abc'))),
                  'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
                await same('a view of part of a buffer', async () => hex(await subtle.digest('SHA-1', new DataView(ascii('xabcx').buffer, 1, 3))),
                  'a9993e364706816aba3e25717850c26c9cd0d89d');
                await same('an ArrayBuffer', async () => hex(await subtle.digest('SHA-1', ascii('abc').buffer)),
                  'a9993e364706816aba3e25717850c26c9cd0d89d');
                await check('the result is an ArrayBuffer', async () => (await subtle.digest('SHA-256', ascii(''))) instanceof ArrayBuffer);
                await rejects('unknown algorithm', () => subtle.digest('SHA-3', ascii('abc')), 'NotSupportedError');
                await rejects('HMAC is not a digest', () => subtle.digest('HMAC', ascii('abc')), 'NotSupportedError');
                await rejects('a string is not a BufferSource', () => subtle.digest('SHA-256', 'abc'), 'TypeError');
                await rejects('algorithm without a name', () => subtle.digest({}, ascii('abc')), 'TypeError');
                await rejects('missing arguments', () => subtle.digest('SHA-256'), 'TypeError');
                """, 19);
    }

    @Test
    void hmacRfc4231AndKeyHandling() throws Exception {
        runChecks("crypto-hmac", """
                const hmac = async (hash, key, data) => {
                  const k = await subtle.importKey('raw', key, { name: 'HMAC', hash }, false, ['sign']);
                  return hex(await subtle.sign('HMAC', k, data));
                };
                const hiThere = ascii('Hi There');
                const jefe = ascii('what do ya want for nothing?');
                const large = ascii('Test Using Larger Than Block-Size Key - Hash Key First');
                await same('RFC 4231 1 SHA-256', () => hmac('SHA-256', repeat(0x0b, 20), hiThere),
                  'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
                await same('RFC 4231 1 SHA-384', () => hmac('SHA-384', repeat(0x0b, 20), hiThere),
                  'afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6');
                await same('RFC 4231 1 SHA-512', () => hmac({ name: 'SHA-512' }, repeat(0x0b, 20), hiThere),
                  '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854');
                await same('RFC 4231 2 SHA-256', () => hmac('SHA-256', ascii('Jefe'), jefe),
                  '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
                await same('RFC 4231 2 SHA-512', () => hmac('SHA-512', ascii('Jefe'), jefe),
                  '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737');
                await same('RFC 4231 6 SHA-256', () => hmac('SHA-256', repeat(0xaa, 131), large),
                  '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');

                const key = await subtle.importKey('raw', ascii('Jefe'), { name: 'hmac', hash: 'sha-256' }, true, ['verify', 'sign', 'sign']);
                await check('key attributes', () => key.type === 'secret' && key.extractable === true
                  && key.algorithm.name === 'HMAC' && key.algorithm.hash.name === 'SHA-256' && key.algorithm.length === 32
                  && JSON.stringify(key.usages) === '["sign","verify"]' && key.algorithm === key.algorithm
                  && String(key) === '[object CryptoKey]');
                const mac = unhex('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
                await check('verify a good MAC', () => subtle.verify('HMAC', key, mac, jefe));
                await check('verify a tampered message', async () => !(await subtle.verify('HMAC', key, mac, ascii('what do ya want for nothing!'))));
                await check('verify a short MAC', async () => !(await subtle.verify('HMAC', key, mac.slice(0, 16), jefe)));
                await same('export raw', async () => hex(await subtle.exportKey('raw', key)), hex(ascii('Jefe')));
                await check('export jwk', async () => {
                  const jwk = await subtle.exportKey('jwk', key);
                  return (jwk.kty === 'oct' && jwk.k === 'SmVmZQ' && jwk.alg === 'HS256' && jwk.ext === true
                    && JSON.stringify(jwk.key_ops) === '["sign","verify"]') || JSON.stringify(jwk);
                });
                await same('import jwk', async () => {
                  const k = await subtle.importKey('jwk', { kty: 'oct', k: 'SmVmZQ', alg: 'HS256' }, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
                  return hex(await subtle.sign('HMAC', k, jefe));
                }, hex(mac));
                await check('generateKey uses the block size', async () => {
                  const k = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-512' }, true, ['sign', 'verify']);
                  return k.algorithm.length === 1024 && (await subtle.exportKey('raw', k)).byteLength === 128;
                });
                await check('timingSafeEqual', () => subtle.timingSafeEqual(ascii('abc'), ascii('abc'))
                  && !subtle.timingSafeEqual(ascii('abc'), ascii('abd').buffer));
                throwsSync('timingSafeEqual of different lengths', () => subtle.timingSafeEqual(ascii('a'), ascii('ab')), 'TypeError');
                await rejects('jwk alg of another hash', () => subtle.importKey('jwk', { kty: 'oct', k: 'SmVmZQ', alg: 'HS512' },
                  { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']), 'DataError');
                await rejects('jwk key_ops without the usage', () => subtle.importKey('jwk', { kty: 'oct', k: 'SmVmZQ', key_ops: ['verify'] },
                  { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']), 'DataError');
                await rejects('jwk ext false but extractable', () => subtle.importKey('jwk', { kty: 'oct', k: 'SmVmZQ', ext: false },
                  { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']), 'DataError');
                await rejects('jwk of the wrong kty', () => subtle.importKey('jwk', { kty: 'RSA', k: 'SmVmZQ' },
                  { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']), 'DataError');
                await rejects('empty raw key', () => subtle.importKey('raw', new Uint8Array(0), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']), 'DataError');
                await rejects('empty usages', () => subtle.importKey('raw', ascii('k'), { name: 'HMAC', hash: 'SHA-256' }, false, []), 'SyntaxError');
                await rejects('encrypt is not an HMAC usage', () => subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'encrypt']), 'SyntaxError');
                await rejects('not a KeyUsage', () => subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['launch']), 'TypeError');
                await rejects('hash is required', () => subtle.importKey('raw', ascii('k'), { name: 'HMAC' }, false, ['sign']), 'TypeError');
                await rejects('unknown hash', () => subtle.importKey('raw', ascii('k'), { name: 'HMAC', hash: 'SHA-3' }, false, ['sign']), 'NotSupportedError');
                await rejects('pkcs8 is not an HMAC format', () => subtle.importKey('pkcs8', ascii('k'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']), 'NotSupportedError');
                const verifyOnly = await subtle.importKey('raw', ascii('k'), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
                await rejects('sign with a verify-only key', () => subtle.sign('HMAC', verifyOnly, jefe), 'InvalidAccessError');
                await rejects('export a non-extractable key', () => subtle.exportKey('raw', verifyOnly), 'InvalidAccessError');
                await rejects('an HMAC key for ECDSA', () => subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, jefe), 'InvalidAccessError');
                await rejects('not a key', () => subtle.sign('HMAC', {}, jefe), 'TypeError');
                await rejects('an object made from CryptoKey.prototype is not a key', () => subtle.sign('HMAC', Object.create(CryptoKey.prototype), jefe), 'TypeError');
                throwsSync('CryptoKey getters check their receiver', () => Object.getOwnPropertyDescriptor(CryptoKey.prototype, 'type').get.call({}), 'TypeError');
                await rejects('SubtleCrypto methods check their receiver', () => subtle.digest.call({}, 'SHA-256', jefe), 'TypeError');
                await rejects('unknown format', () => subtle.exportKey('pem', key), 'TypeError');
                """, 35);
    }

    @Test
    void aesKnownAnswers() throws Exception {
        runChecks("crypto-aes", """
                const aes = (name, bytes, usages = ['encrypt', 'decrypt']) => subtle.importKey('raw', bytes, name, true, usages);
                // The GCM specification's test cases 2, 3, 4 and 6.
                const k0 = await aes('AES-GCM', new Uint8Array(16));
                await same('GCM test case 2', async () => hex(await subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, k0, new Uint8Array(16))),
                  '0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf');
                const k3 = await aes('AES-GCM', unhex('feffe9928665731c6d6a8f9467308308'));
                const iv3 = unhex('cafebabefacedbaddecaf888');
                const p3 = unhex('d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255');
                const c3 = '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985';
                await same('GCM test case 3', async () => hex(await subtle.encrypt({ name: 'AES-GCM', iv: iv3 }, k3, p3)),
                  c3 + '4d5c2af327cd64a62cf35abd2ba6fab4');
                const aad = unhex('feedfacedeadbeeffeedfacedeadbeefabaddad2');
                const c4 = c3.slice(0, 120);
                const t4 = '5bc94fbc3221a5db94fae95ae7121a47';
                await same('GCM test case 4 (additional data)', async () => hex(await subtle.encrypt(
                  { name: 'AES-GCM', iv: iv3, additionalData: aad }, k3, p3.subarray(0, 60))), c4 + t4);
                await same('GCM test case 4 decrypt', async () => hex(await subtle.decrypt(
                  { name: 'AES-GCM', iv: iv3, additionalData: aad }, k3, unhex(c4 + t4))), hex(p3.subarray(0, 60)));
                const iv6 = unhex('9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b');
                await same('GCM test case 6 (60-byte iv)', async () => hex(await subtle.encrypt(
                  { name: 'AES-GCM', iv: iv6, additionalData: aad }, k3, p3.subarray(0, 60))),
                  '8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca701e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5'
                  + '619cc5aefffe0bfa462af43c1699d050');
                for (const tagLength of [96, 64, 32]) {
                  const params = { name: 'AES-GCM', iv: iv3, additionalData: aad, tagLength };
                  const tag = t4.slice(0, tagLength / 4);
                  await same('GCM tagLength ' + tagLength, async () => hex(await subtle.encrypt(params, k3, p3.subarray(0, 60))), c4 + tag);
                  await same('GCM tagLength ' + tagLength + ' decrypt', async () => hex(await subtle.decrypt(params, k3, unhex(c4 + tag))),
                    hex(p3.subarray(0, 60)));
                  const bad = unhex(c4 + tag);
                  bad[bad.length - 1] ^= 1;
                  await rejects('GCM tagLength ' + tagLength + ' tag mismatch', () => subtle.decrypt(params, k3, bad), 'OperationError');
                }
                const tampered = unhex(c4 + t4);
                tampered[3] ^= 0x80;
                await rejects('GCM tampered ciphertext', () => subtle.decrypt({ name: 'AES-GCM', iv: iv3, additionalData: aad }, k3, tampered), 'OperationError');
                await rejects('GCM wrong additional data', () => subtle.decrypt({ name: 'AES-GCM', iv: iv3 }, k3, unhex(c4 + t4)), 'OperationError');
                await rejects('GCM bad tagLength', () => subtle.encrypt({ name: 'AES-GCM', iv: iv3, tagLength: 100 }, k3, p3), 'OperationError');
                await rejects('GCM without iv', () => subtle.encrypt({ name: 'AES-GCM' }, k3, p3), 'TypeError');

                // NIST SP 800-38A F.2.1 (CBC-AES128) and F.5.1 (CTR-AES128).
                const k38a = unhex('2b7e151628aed2a6abf7158809cf4f3c');
                const p38a = unhex('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710');
                const cbc = await aes('AES-CBC', k38a);
                const cbcParams = { name: 'AES-CBC', iv: range(0, 16) };
                const cbcOut = await subtle.encrypt(cbcParams, cbc, p38a);
                await same('SP 800-38A F.2.1 (then one block of PKCS#7 padding)', () => cbcOut.byteLength === 80 && hex(cbcOut.slice(0, 64)),
                  '7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b273bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7');
                await same('CBC decrypt', async () => hex(await subtle.decrypt(cbcParams, cbc, cbcOut)), hex(p38a));
                await rejects('CBC iv of 12 bytes', () => subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(12) }, cbc, p38a), 'OperationError');
                await rejects('CBC bad padding', () => subtle.decrypt(cbcParams, cbc, cbcOut.slice(0, 64)), 'OperationError');
                const ctr = await aes('AES-CTR', k38a);
                const counter = unhex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff');
                const c38a = '874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee';
                await same('SP 800-38A F.5.1', async () => hex(await subtle.encrypt({ name: 'AES-CTR', counter, length: 128 }, ctr, p38a)), c38a);
                await same('SP 800-38A F.5.2 (decrypt)', async () => hex(await subtle.decrypt({ name: 'AES-CTR', counter, length: 64 }, ctr, unhex(c38a))), hex(p38a));
                await check('CTR counter wraps within its length bits', async () => {
                  const two = new Uint8Array(await subtle.encrypt({ name: 'AES-CTR', counter, length: 8 }, ctr, new Uint8Array(32)));
                  const restart = counter.slice();
                  restart[15] = 0;
                  const first = await subtle.encrypt({ name: 'AES-CTR', counter, length: 128 }, ctr, new Uint8Array(16));
                  const second = await subtle.encrypt({ name: 'AES-CTR', counter: restart, length: 128 }, ctr, new Uint8Array(16));
                  return hex(two.subarray(0, 16)) === hex(first) && hex(two.subarray(16)) === hex(second);
                });
                await rejects('CTR counter repeats', () => subtle.encrypt({ name: 'AES-CTR', counter, length: 1 }, ctr, new Uint8Array(48)), 'OperationError');
                await check('CTR of no data', async () => (await subtle.encrypt({ name: 'AES-CTR', counter, length: 64 }, ctr, new Uint8Array(0))).byteLength === 0);
                await rejects('CTR length 0', () => subtle.encrypt({ name: 'AES-CTR', counter, length: 0 }, ctr, p38a), 'OperationError');

                // RFC 3394 4.1 and 4.6, through wrapKey and unwrapKey.
                const kek128 = await aes('AES-KW', range(0, 16), ['wrapKey', 'unwrapKey']);
                const data128 = await aes('AES-GCM', unhex('00112233445566778899aabbccddeeff'));
                await same('RFC 3394 4.1 wrap', async () => hex(await subtle.wrapKey('raw', data128, kek128, 'AES-KW')),
                  '1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5');
                await same('RFC 3394 4.1 unwrap', async () => {
                  const k = await subtle.unwrapKey('raw', unhex('1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5'), kek128, 'AES-KW',
                    'AES-GCM', true, ['encrypt']);
                  return k.algorithm.length + ' ' + hex(await subtle.exportKey('raw', k));
                }, '128 00112233445566778899aabbccddeeff');
                const kek256 = await aes('AES-KW', range(0, 32), ['wrapKey', 'unwrapKey']);
                const data256 = await aes('AES-CBC', unhex('00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f'));
                await same('RFC 3394 4.6 wrap', async () => hex(await subtle.wrapKey('raw', data256, kek256, { name: 'aes-kw' })),
                  '28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21');
                const badWrap = unhex('1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5');
                badWrap[0] ^= 1;
                await rejects('AES-KW integrity check', () => subtle.unwrapKey('raw', badWrap, kek128, 'AES-KW', 'AES-GCM', true, ['encrypt']), 'OperationError');
                await rejects('AES-KW cannot encrypt', () => subtle.encrypt('AES-KW', kek128, range(0, 16)), 'NotSupportedError');
                await rejects('wrapKey needs the wrapKey usage', () => subtle.wrapKey('raw', data128, data128, { name: 'AES-GCM', iv: new Uint8Array(12) }), 'InvalidAccessError');
                await check('wrap a jwk with AES-GCM', async () => {
                  const wrapper = await aes('AES-GCM', range(0, 32), ['wrapKey', 'unwrapKey']);
                  const params = { name: 'AES-GCM', iv: range(0, 12) };
                  const wrapped = await subtle.wrapKey('jwk', data256, wrapper, params);
                  const k = await subtle.unwrapKey('jwk', wrapped, wrapper, params, 'AES-CBC', true, ['decrypt']);
                  return k.algorithm.name === 'AES-CBC' && hex(await subtle.exportKey('raw', k)) === hex(await subtle.exportKey('raw', data256));
                });

                // Keys and formats.
                await check('generateKey AES-GCM 256', async () => {
                  const k = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
                  const iv = crypto.getRandomValues(new Uint8Array(12));
                  const c = await subtle.encrypt({ name: 'AES-GCM', iv }, k, ascii('hello'));
                  return k.algorithm.length === 256 && (await subtle.exportKey('raw', k)).byteLength === 32
                    && hex(await subtle.decrypt({ name: 'AES-GCM', iv }, k, c)) === hex(ascii('hello'));
                });
                await check('jwk export and import', async () => {
                  const jwk = await subtle.exportKey('jwk', cbc);
                  const again = await subtle.importKey('jwk', jwk, 'AES-CBC', true, ['encrypt']);
                  return (jwk.alg === 'A128CBC' && jwk.k === 'K34VFiiu0qar9xWICc9PPA'
                    && hex(await subtle.exportKey('raw', again)) === hex(k38a)) || JSON.stringify(jwk);
                });
                await rejects('jwk alg of another length', () => subtle.importKey('jwk', { kty: 'oct', k: 'K34VFiiu0qar9xWICc9PPA', alg: 'A256CBC' },
                  'AES-CBC', true, ['encrypt']), 'DataError');
                await rejects('raw key of 20 bytes', () => aes('AES-GCM', new Uint8Array(20)), 'DataError');
                await rejects('generateKey of 100 bits', () => subtle.generateKey({ name: 'AES-CTR', length: 100 }, true, ['encrypt']), 'OperationError');
                await rejects('sign is not an AES usage', () => aes('AES-GCM', new Uint8Array(16), ['sign']), 'SyntaxError');
                await rejects('decrypt with an encrypt-only key', async () => subtle.decrypt({ name: 'AES-CBC', iv: range(0, 16) },
                  await aes('AES-CBC', k38a, ['encrypt']), cbcOut), 'InvalidAccessError');
                await rejects('an AES-CBC key for AES-GCM', () => subtle.encrypt({ name: 'AES-GCM', iv: iv3 }, cbc, p38a), 'InvalidAccessError');
                """, 43);
    }

    @Test
    void pbkdf2AndHkdfKnownAnswers() throws Exception {
        runChecks("crypto-kdf", """
                const pbkdf2 = async (hash, password, salt, iterations, bytes) => {
                  const k = await subtle.importKey('raw', password, 'PBKDF2', false, ['deriveBits']);
                  return hex(await subtle.deriveBits({ name: 'PBKDF2', hash, salt, iterations }, k, bytes * 8));
                };
                // RFC 6070 (PBKDF2-HMAC-SHA1).
                await same('RFC 6070 c=1', () => pbkdf2('SHA-1', ascii('password'), ascii('salt'), 1, 20), '0c60c80f961f0e71f3a9b524af6012062fe037a6');
                await same('RFC 6070 c=2', () => pbkdf2('SHA-1', ascii('password'), ascii('salt'), 2, 20), 'ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957');
                await same('RFC 6070 c=4096', () => pbkdf2('SHA-1', ascii('password'), ascii('salt'), 4096, 20), '4b007901b765489abead49d926f721d065a429c1');
                await same('RFC 6070 long password and salt', () => pbkdf2('SHA-1', ascii('passwordPASSWORDpassword'),
                  ascii('saltSALTsaltSALTsaltSALTsaltSALTsalt'), 4096, 25), '3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038');
                await same('RFC 6070 NUL bytes', () => pbkdf2('SHA-1', unhex('7061737300776f7264'), unhex('7361006c74'), 4096, 16),
                  '56fa6aa75548099dcc37d7f03425e0c3');
                // PBKDF2-HMAC-SHA256 for the same inputs.
                await same('PBKDF2-SHA256 c=1', () => pbkdf2('SHA-256', ascii('password'), ascii('salt'), 1, 32),
                  '120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b');
                await same('PBKDF2-SHA256 c=4096', () => pbkdf2('SHA-256', ascii('password'), ascii('salt'), 4096, 32),
                  'c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a');
                // RFC 5869 A.1-A.3 (HKDF-SHA256).
                const hkdf = async (ikm, salt, info, bytes) => {
                  const k = await subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
                  return hex(await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, k, bytes * 8));
                };
                await same('RFC 5869 A.1', () => hkdf(repeat(0x0b, 22), range(0, 13), range(0xf0, 0xfa), 42),
                  '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
                await same('RFC 5869 A.2', () => hkdf(range(0, 0x50), range(0x60, 0xb0), range(0xb0, 0x100), 82),
                  'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87');
                await same('RFC 5869 A.3 (empty salt and info)', () => hkdf(repeat(0x0b, 22), new Uint8Array(0), new Uint8Array(0), 42),
                  '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');

                const password = await subtle.importKey('raw', ascii('password'), { name: 'pbkdf2' }, false, ['deriveKey', 'deriveBits']);
                await check('deriveKey PBKDF2 to AES-GCM', async () => {
                  const k = await subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: ascii('salt'), iterations: 1 }, password,
                    { name: 'AES-GCM', length: 256 }, true, ['encrypt']);
                  return k.algorithm.name === 'AES-GCM' && k.algorithm.length === 256
                    && hex(await subtle.exportKey('raw', k)) === '120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b';
                });
                await check('deriveKey HKDF to HMAC', async () => {
                  const ikm = await subtle.importKey('raw', repeat(0x0b, 22), 'HKDF', false, ['deriveKey']);
                  const k = await subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new Uint8Array(0) }, ikm,
                    { name: 'HMAC', hash: 'SHA-256', length: 336 }, true, ['sign']);
                  return k.algorithm.length === 336 && hex(await subtle.exportKey('raw', k))
                    === '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8';
                });
                await check('PBKDF2 key attributes', () => password.type === 'secret' && password.extractable === false
                  && password.algorithm.name === 'PBKDF2' && JSON.stringify(password.usages) === '["deriveKey","deriveBits"]');
                await rejects('PBKDF2 keys cannot be extractable', () => subtle.importKey('raw', ascii('p'), 'PBKDF2', true, ['deriveBits']), 'SyntaxError');
                await rejects('PBKDF2 keys cannot be exported', () => subtle.exportKey('raw', password), 'NotSupportedError');
                await rejects('PBKDF2 jwk import', () => subtle.importKey('jwk', { kty: 'oct', k: 'cA' }, 'PBKDF2', false, ['deriveBits']), 'NotSupportedError');
                await rejects('PBKDF2 length not a multiple of 8', () => subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: ascii('s'), iterations: 1 },
                  password, 100), 'OperationError');
                await rejects('PBKDF2 without a length', () => subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: ascii('s'), iterations: 1 },
                  password, null), 'OperationError');
                await rejects('PBKDF2 zero iterations', () => subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: ascii('s'), iterations: 0 },
                  password, 256), 'OperationError');
                await rejects('PBKDF2 over 100000 iterations (as Workers)', () => subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: ascii('s'),
                  iterations: 100001 }, password, 256), 'NotSupportedError');
                await rejects('PBKDF2 without salt', () => subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', iterations: 1 }, password, 256), 'TypeError');
                await rejects('deriveKey needs the deriveKey usage', async () => subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: ascii('s'), iterations: 1 },
                  await subtle.importKey('raw', ascii('p'), 'PBKDF2', false, ['deriveBits']), { name: 'AES-GCM', length: 128 }, true, ['encrypt']), 'InvalidAccessError');
                await rejects('deriveKey to an AES key of 100 bits', () => subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: ascii('s'), iterations: 1 },
                  password, { name: 'AES-GCM', length: 100 }, true, ['encrypt']), 'OperationError');
                await rejects('HKDF with a PBKDF2 key', () => subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: ascii('s'), info: ascii('') }, password, 256),
                  'InvalidAccessError');
                """, 24);
    }

    @Test
    void ecdsaAndEcdh() throws Exception {
        runChecks("crypto-ec", """
                // RFC 6979 A.2.5: P-256, SHA-256, message "sample".
                const d = 'c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721';
                const ux = '60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6';
                const uy = '7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299';
                const sig = unhex('efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716'
                  + 'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8');
                const ecdsa256 = { name: 'ECDSA', namedCurve: 'P-256' };
                const sha256 = { name: 'ECDSA', hash: 'SHA-256' };
                const rawPublic = await subtle.importKey('raw', unhex('04' + ux + uy), ecdsa256, true, ['verify']);
                await check('RFC 6979 A.2.5 verify (raw public key)', () => subtle.verify(sha256, rawPublic, sig, ascii('sample')));
                await check('tampered message', async () => !(await subtle.verify(sha256, rawPublic, sig, ascii('samplf'))));
                await check('wrong hash', async () => !(await subtle.verify({ name: 'ECDSA', hash: 'SHA-384' }, rawPublic, sig, ascii('sample'))));
                await check('public key attributes', () => rawPublic.type === 'public' && rawPublic.extractable
                  && rawPublic.algorithm.namedCurve === 'P-256' && JSON.stringify(rawPublic.usages) === '["verify"]');
                const pkcs8 = unhex('3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420' + d);
                const fromPkcs8 = await subtle.importKey('pkcs8', pkcs8, ecdsa256, true, ['sign']);
                await check('pkcs8 without a public key exports the computed public key as jwk', async () => {
                  const jwk = await subtle.exportKey('jwk', fromPkcs8);
                  return (jwk.kty === 'EC' && jwk.crv === 'P-256' && jwk.alg === 'ES256' && jwk.x === b64u(unhex(ux))
                    && jwk.y === b64u(unhex(uy)) && jwk.d === b64u(unhex(d))) || JSON.stringify(jwk);
                });
                await check('sign with the RFC key, verify with the raw key', async () => {
                  const s = new Uint8Array(await subtle.sign(sha256, fromPkcs8, ascii('sample')));
                  return s.length === 64 && await subtle.verify(sha256, rawPublic, s, ascii('sample'));
                });
                const jwkPublic = { kty: 'EC', crv: 'P-256', x: b64u(unhex(ux)), y: b64u(unhex(uy)) };
                await check('jwk public key verifies', async () => subtle.verify(sha256,
                  await subtle.importKey('jwk', jwkPublic, ecdsa256, true, ['verify']), sig, ascii('sample')));
                await same('spki round trip', async () => {
                  const spki = await subtle.exportKey('spki', rawPublic);
                  const again = await subtle.importKey('spki', spki, ecdsa256, true, ['verify']);
                  return hex(await subtle.exportKey('raw', again));
                }, '04' + ux + uy);
                await check('pkcs8 round trip', async () => {
                  const again = await subtle.importKey('pkcs8', await subtle.exportKey('pkcs8', fromPkcs8), ecdsa256, false, ['sign']);
                  return subtle.verify(sha256, rawPublic, await subtle.sign(sha256, again, ascii('x')), ascii('x'));
                });
                await check('jwk private round trip', async () => {
                  const again = await subtle.importKey('jwk', await subtle.exportKey('jwk', fromPkcs8), ecdsa256, false, ['sign']);
                  return subtle.verify(sha256, rawPublic, await subtle.sign(sha256, again, ascii('y')), ascii('y'));
                });
                for (const [curve, hash, size] of [['P-256', 'SHA-256', 64], ['P-384', 'SHA-384', 96], ['P-521', 'SHA-512', 132]]) {
                  await check('generate, sign and verify on ' + curve, async () => {
                    const pair = await subtle.generateKey({ name: 'ECDSA', namedCurve: curve }, false, ['sign', 'verify']);
                    const s = await subtle.sign({ name: 'ECDSA', hash }, pair.privateKey, ascii('message'));
                    const raw = await subtle.exportKey('raw', pair.publicKey);
                    return s.byteLength === size && raw.byteLength === 1 + size
                      && pair.privateKey.extractable === false && pair.publicKey.extractable === true
                      && JSON.stringify(pair.privateKey.usages) === '["sign"]' && JSON.stringify(pair.publicKey.usages) === '["verify"]'
                      && await subtle.verify({ name: 'ECDSA', hash }, pair.publicKey, s, ascii('message'))
                      && !(await subtle.verify({ name: 'ECDSA', hash }, pair.publicKey, s, ascii('messagf')));
                  });
                }
                await rejects('jwk of another curve', () => subtle.importKey('jwk', jwkPublic, { name: 'ECDSA', namedCurve: 'P-384' }, true, ['verify']), 'DataError');
                await rejects('jwk alg of another curve', () => subtle.importKey('jwk', { ...jwkPublic, alg: 'ES384' }, ecdsa256, true, ['verify']), 'DataError');
                await rejects('raw key of the wrong size', () => subtle.importKey('raw', unhex('04' + ux), ecdsa256, true, ['verify']), 'DataError');
                await rejects('raw point off the curve', () => subtle.importKey('raw', unhex('04' + ux + uy.slice(0, 62) + '00'), ecdsa256, true, ['verify']), 'DataError');
                await rejects('jwk point off the curve', () => subtle.importKey('jwk', { ...jwkPublic, y: jwkPublic.x }, ecdsa256, true, ['verify']), 'DataError');
                await rejects('garbage spki', () => subtle.importKey('spki', ascii('not der'), ecdsa256, true, ['verify']), 'DataError');
                await check('host errors are plain DOMExceptions', async () => {
                  try {
                    await subtle.importKey('spki', ascii('not der'), ecdsa256, true, ['verify']);
                    return 'resolved';
                  } catch (e) {
                    return (Object.getPrototypeOf(e) === DOMException.prototype && !/java|jdk|Exception/.test(e.message + e.stack))
                      || e.message;
                  }
                });
                await rejects('pkcs8 of another curve', () => subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign']), 'DataError');
                await rejects('unknown curve', () => subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-192' }, true, ['sign']), 'NotSupportedError');
                await rejects('sign is not a public key usage', () => subtle.importKey('raw', unhex('04' + ux + uy), ecdsa256, true, ['sign']), 'SyntaxError');
                await rejects('verify with a private key', () => subtle.verify(sha256, fromPkcs8, sig, ascii('sample')), 'InvalidAccessError');
                await rejects('pkcs8 export of a public key', () => subtle.exportKey('pkcs8', rawPublic), 'InvalidAccessError');
                await rejects('raw export of a private key', () => subtle.exportKey('raw', fromPkcs8), 'InvalidAccessError');

                // ECDH: both sides agree.
                const alice = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits', 'deriveKey']);
                const bob = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
                await check('ECDH both sides derive the same bits', async () => {
                  const a = hex(await subtle.deriveBits({ name: 'ECDH', public: bob.publicKey }, alice.privateKey, 256));
                  const b = hex(await subtle.deriveBits({ name: 'ECDH', public: alice.publicKey }, bob.privateKey, null));
                  return a === b && a.length === 64;
                });
                await check('ECDH length cuts the secret', async () => {
                  const full = hex(await subtle.deriveBits({ name: 'ECDH', public: bob.publicKey }, alice.privateKey, 256));
                  const part = hex(await subtle.deriveBits({ name: 'ECDH', public: bob.publicKey }, alice.privateKey, 128));
                  return part === full.slice(0, 32);
                });
                await check('ECDH public key has no usages', () => alice.publicKey.usages.length === 0);
                await check('ECDH deriveKey to AES-GCM', async () => {
                  const k = await subtle.deriveKey({ name: 'ECDH', public: bob.publicKey }, alice.privateKey, { name: 'AES-GCM', length: 128 }, true, ['encrypt']);
                  const full = hex(await subtle.deriveBits({ name: 'ECDH', public: bob.publicKey }, alice.privateKey, 256));
                  return hex(await subtle.exportKey('raw', k)) === full.slice(0, 32);
                });
                await check('ECDH jwk round trip agrees', async () => {
                  const jwk = await subtle.exportKey('jwk', alice.privateKey);
                  const again = await subtle.importKey('jwk', jwk, { name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
                  return jwk.alg === undefined && hex(await subtle.deriveBits({ name: 'ECDH', public: bob.publicKey }, again, 256))
                    === hex(await subtle.deriveBits({ name: 'ECDH', public: bob.publicKey }, alice.privateKey, 256));
                });
                const other = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-384' }, true, ['deriveBits']);
                await rejects('ECDH with a key of another curve', () => subtle.deriveBits({ name: 'ECDH', public: other.publicKey }, alice.privateKey, 256), 'InvalidAccessError');
                await rejects('ECDH with an ECDSA public key', () => subtle.deriveBits({ name: 'ECDH', public: rawPublic }, alice.privateKey, 256), 'InvalidAccessError');
                await rejects('ECDH with a private key as public', () => subtle.deriveBits({ name: 'ECDH', public: bob.privateKey }, alice.privateKey, 256), 'InvalidAccessError');
                await rejects('ECDH longer than the secret', () => subtle.deriveBits({ name: 'ECDH', public: bob.publicKey }, alice.privateKey, 512), 'OperationError');
                await rejects('ECDH public is not a key', () => subtle.deriveBits({ name: 'ECDH', public: 'key' }, alice.privateKey, 256), 'TypeError');
                """, 36);
    }

    @Test
    void ed25519AndX25519KnownAnswers() throws Exception {
        runChecks("crypto-okp", """
                const edPkcs8 = (seed) => unhex('302e020100300506032b657004220420' + seed);
                // RFC 8032 7.1 TEST 1 and TEST 2.
                const tests = [
                  ['TEST 1', '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
                    'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', '',
                    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'],
                  ['TEST 2', '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
                    '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', '72',
                    '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00'],
                ];
                for (const [name, secret, publicKey, message, signature] of tests) {
                  const priv = await subtle.importKey('pkcs8', edPkcs8(secret), 'Ed25519', true, ['sign']);
                  await same(name + ' public key from private', async () => (await subtle.exportKey('jwk', priv)).x, b64u(unhex(publicKey)));
                  await same(name + ' signature', async () => hex(await subtle.sign('Ed25519', priv, unhex(message))), signature);
                  const pub = await subtle.importKey('raw', unhex(publicKey), { name: 'ed25519' }, true, ['verify']);
                  await check(name + ' verify', () => subtle.verify('Ed25519', pub, unhex(signature), unhex(message)));
                  await check(name + ' tampered message', async () => !(await subtle.verify('Ed25519', pub, unhex(signature), unhex(message + '00'))));
                  await same(name + ' jwk private import signs the same', async () => {
                    const k = await subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: b64u(unhex(publicKey)), d: b64u(unhex(secret)) },
                      'Ed25519', false, ['sign']);
                    return hex(await subtle.sign('Ed25519', k, unhex(message)));
                  }, signature);
                  await same(name + ' spki round trip', async () => {
                    const again = await subtle.importKey('spki', await subtle.exportKey('spki', pub), 'Ed25519', true, ['verify']);
                    return hex(await subtle.exportKey('raw', again));
                  }, publicKey);
                  await same(name + ' pkcs8 round trip', async () => hex(await subtle.exportKey('pkcs8', priv)), hex(edPkcs8(secret)));
                }
                await check('generateKey Ed25519', async () => {
                  const pair = await subtle.generateKey('Ed25519', true, ['sign', 'verify']);
                  const s = await subtle.sign('Ed25519', pair.privateKey, ascii('hi'));
                  const jwk = await subtle.exportKey('jwk', pair.publicKey);
                  return s.byteLength === 64 && jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && jwk.d === undefined && jwk.alg === 'EdDSA'
                    && await subtle.verify('Ed25519', pair.publicKey, s, ascii('hi'));
                });
                await check("Workers' NODE-ED25519 verifies RFC 8032 TEST 1", async () => {
                  const k = await subtle.importKey('raw', unhex(tests[0][2]), { name: 'NODE-ED25519', namedCurve: 'NODE-ED25519' }, true, ['verify']);
                  return k.algorithm.name === 'NODE-ED25519' && k.algorithm.namedCurve === 'NODE-ED25519'
                    && (await subtle.exportKey('jwk', k)).x === b64u(unhex(tests[0][2]))
                    && await subtle.verify('NODE-ED25519', k, unhex(tests[0][4]), new Uint8Array(0))
                    && !(await subtle.verify({ name: 'NODE-ED25519' }, k, unhex(tests[0][4]), new Uint8Array(1)));
                });
                await rejects('NODE-ED25519 needs its namedCurve', () => subtle.importKey('raw', unhex(tests[0][2]), { name: 'NODE-ED25519', namedCurve: 'Ed25519' },
                  true, ['verify']), 'NotSupportedError');
                await rejects('Ed25519 raw public key of 31 bytes', () => subtle.importKey('raw', new Uint8Array(31), 'Ed25519', true, ['verify']), 'DataError');
                await rejects('Ed25519 jwk with the X25519 curve', () => subtle.importKey('jwk', { kty: 'OKP', crv: 'X25519', x: 'AAAA' },
                  'Ed25519', true, ['verify']), 'DataError');
                await rejects('Ed25519 raw private import', () => subtle.importKey('raw', unhex(tests[0][1]), 'Ed25519', true, ['sign']), 'SyntaxError');

                // RFC 7748 6.1 (X25519).
                const xPkcs8 = (k) => unhex('302e020100300506032b656e04220420' + k);
                const alicePriv = '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a';
                const alicePub = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';
                const bobPriv = '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb';
                const bobPub = 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f';
                const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
                const alice = await subtle.importKey('pkcs8', xPkcs8(alicePriv), 'X25519', true, ['deriveBits']);
                const bob = await subtle.importKey('pkcs8', xPkcs8(bobPriv), 'X25519', true, ['deriveBits', 'deriveKey']);
                const alicePublic = await subtle.importKey('raw', unhex(alicePub), 'X25519', true, []);
                const bobPublic = await subtle.importKey('raw', unhex(bobPub), 'X25519', true, []);
                await same('RFC 7748 Alice public key', async () => (await subtle.exportKey('jwk', alice)).x, b64u(unhex(alicePub)));
                await same('RFC 7748 shared secret, Alice', async () => hex(await subtle.deriveBits({ name: 'X25519', public: bobPublic }, alice, 256)), shared);
                await same('RFC 7748 shared secret, Bob', async () => hex(await subtle.deriveBits({ name: 'X25519', public: alicePublic }, bob, null)), shared);
                await same('X25519 deriveKey', async () => {
                  const k = await subtle.deriveKey({ name: 'X25519', public: alicePublic }, bob, { name: 'HMAC', hash: 'SHA-256', length: 256 }, true, ['sign']);
                  return hex(await subtle.exportKey('raw', k));
                }, shared);
                await check('generateKey X25519 agrees', async () => {
                  const a = await subtle.generateKey('X25519', false, ['deriveBits']);
                  const b = await subtle.generateKey('X25519', false, ['deriveBits']);
                  return hex(await subtle.deriveBits({ name: 'X25519', public: b.publicKey }, a.privateKey, 256))
                    === hex(await subtle.deriveBits({ name: 'X25519', public: a.publicKey }, b.privateKey, 256));
                });
                await rejects('X25519 with an Ed25519 key', async () => subtle.deriveBits({ name: 'X25519',
                  public: await subtle.importKey('raw', unhex(tests[0][2]), 'Ed25519', true, ['verify']) }, alice, 256), 'InvalidAccessError');
                await rejects('X25519 public keys have no usages', () => subtle.importKey('raw', unhex(alicePub), 'X25519', true, ['deriveBits']), 'SyntaxError');
                await rejects('X25519 with an all-zero public key', async () => subtle.deriveBits({ name: 'X25519',
                  public: await subtle.importKey('raw', new Uint8Array(32), 'X25519', true, []) }, alice, 256), 'OperationError');
                """, 28);
    }

    @Test
    void rsaRoundTrips() throws Exception {
        runChecks("crypto-rsa", """
                const e = new Uint8Array([1, 0, 1]);
                const pkcs1 = await subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: e, hash: 'SHA-256' },
                  true, ['sign', 'verify']);
                const message = ascii('a message to sign');
                const tampered = ascii('a message to sigh');
                await check('RSASSA-PKCS1-v1_5 key attributes', () => {
                  const a = pkcs1.publicKey.algorithm;
                  return a.name === 'RSASSA-PKCS1-v1_5' && a.modulusLength === 2048 && hex(a.publicExponent) === '010001'
                    && a.hash.name === 'SHA-256' && pkcs1.publicKey.type === 'public' && pkcs1.privateKey.type === 'private';
                });
                const s1 = await subtle.sign('RSASSA-PKCS1-v1_5', pkcs1.privateKey, message);
                await check('RSASSA-PKCS1-v1_5 sign and verify', async () => s1.byteLength === 256
                  && await subtle.verify('RSASSA-PKCS1-v1_5', pkcs1.publicKey, s1, message));
                await check('RSASSA-PKCS1-v1_5 is deterministic', async () => hex(s1) === hex(await subtle.sign('RSASSA-PKCS1-v1_5', pkcs1.privateKey, message)));
                await check('RSASSA-PKCS1-v1_5 tampered message', async () => !(await subtle.verify('RSASSA-PKCS1-v1_5', pkcs1.publicKey, s1, tampered)));
                await check('RSASSA-PKCS1-v1_5 spki and pkcs8 round trip', async () => {
                  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
                  const pub = await subtle.importKey('spki', await subtle.exportKey('spki', pkcs1.publicKey), alg, true, ['verify']);
                  const priv = await subtle.importKey('pkcs8', await subtle.exportKey('pkcs8', pkcs1.privateKey), alg, true, ['sign']);
                  return pub.algorithm.modulusLength === 2048 && hex(pub.algorithm.publicExponent) === '010001'
                    && hex(await subtle.sign(alg, priv, message)) === hex(s1) && await subtle.verify(alg, pub, s1, message);
                });
                await check('RSASSA-PKCS1-v1_5 jwk round trip', async () => {
                  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
                  const jwkPriv = await subtle.exportKey('jwk', pkcs1.privateKey);
                  const jwkPub = await subtle.exportKey('jwk', pkcs1.publicKey);
                  const priv = await subtle.importKey('jwk', jwkPriv, alg, true, ['sign']);
                  const pub = await subtle.importKey('jwk', jwkPub, alg, true, ['verify']);
                  return (jwkPriv.kty === 'RSA' && jwkPriv.alg === 'RS256' && jwkPriv.e === 'AQAB' && typeof jwkPriv.qi === 'string'
                    && jwkPub.d === undefined && JSON.stringify(jwkPub.key_ops) === '["verify"]'
                    && hex(await subtle.sign(alg, priv, message)) === hex(s1) && await subtle.verify(alg, pub, s1, message))
                    || JSON.stringify(jwkPub);
                });
                await rejects('RSA jwk alg of another hash', async () => subtle.importKey('jwk', await subtle.exportKey('jwk', pkcs1.publicKey),
                  { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' }, true, ['verify']), 'DataError');
                await rejects('RSA raw export', () => subtle.exportKey('raw', pkcs1.publicKey), 'NotSupportedError');
                await rejects('RSA raw import', () => subtle.importKey('raw', new Uint8Array(8), { name: 'RSA-PSS', hash: 'SHA-256' }, true, ['verify']), 'NotSupportedError');
                await rejects('RSA spki as pkcs8', async () => subtle.importKey('pkcs8', await subtle.exportKey('spki', pkcs1.publicKey),
                  { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['sign']), 'DataError');
                await rejects('RSA key for RSA-PSS', () => subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, pkcs1.privateKey, message), 'InvalidAccessError');

                const pss = await subtle.generateKey({ name: 'RSA-PSS', modulusLength: 2048, publicExponent: e, hash: 'SHA-384' }, true, ['sign', 'verify']);
                await check('RSA-PSS sign and verify', async () => {
                  const s = await subtle.sign({ name: 'RSA-PSS', saltLength: 48 }, pss.privateKey, message);
                  const again = await subtle.sign({ name: 'RSA-PSS', saltLength: 48 }, pss.privateKey, message);
                  return hex(s) !== hex(again) && await subtle.verify({ name: 'RSA-PSS', saltLength: 48 }, pss.publicKey, s, message)
                    && !(await subtle.verify({ name: 'RSA-PSS', saltLength: 48 }, pss.publicKey, s, tampered))
                    && !(await subtle.verify({ name: 'RSA-PSS', saltLength: 20 }, pss.publicKey, s, message));
                });
                await check('RSA-PSS saltLength 0 is deterministic', async () => hex(await subtle.sign({ name: 'RSA-PSS', saltLength: 0 }, pss.privateKey, message))
                  === hex(await subtle.sign({ name: 'RSA-PSS', saltLength: 0 }, pss.privateKey, message)));
                await same('RSA-PSS jwk alg', async () => (await subtle.exportKey('jwk', pss.publicKey)).alg, 'PS384');
                await rejects('RSA-PSS needs a saltLength', () => subtle.sign('RSA-PSS', pss.privateKey, message), 'TypeError');

                const oaep = await subtle.generateKey({ name: 'RSA-OAEP', modulusLength: 2048, publicExponent: e, hash: 'SHA-256' },
                  true, ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey']);
                await check('RSA-OAEP usages split between the keys', () => JSON.stringify(oaep.publicKey.usages) === '["encrypt","wrapKey"]'
                  && JSON.stringify(oaep.privateKey.usages) === '["decrypt","unwrapKey"]');
                await check('RSA-OAEP round trip with a label', async () => {
                  const params = { name: 'RSA-OAEP', label: ascii('label') };
                  const c = await subtle.encrypt(params, oaep.publicKey, message);
                  const c2 = await subtle.encrypt(params, oaep.publicKey, message);
                  return c.byteLength === 256 && hex(c) !== hex(c2)
                    && hex(await subtle.decrypt(params, oaep.privateKey, c)) === hex(message);
                });
                await rejects('RSA-OAEP wrong label', async () => subtle.decrypt({ name: 'RSA-OAEP', label: ascii('other') }, oaep.privateKey,
                  await subtle.encrypt({ name: 'RSA-OAEP', label: ascii('label') }, oaep.publicKey, message)), 'OperationError');
                await rejects('RSA-OAEP message too long', () => subtle.encrypt('RSA-OAEP', oaep.publicKey, new Uint8Array(300)), 'OperationError');
                await same('RSA-OAEP jwk alg', async () => (await subtle.exportKey('jwk', oaep.privateKey)).alg, 'RSA-OAEP-256');
                await check('RSA-OAEP wraps an AES key', async () => {
                  const aes = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
                  const wrapped = await subtle.wrapKey('raw', aes, oaep.publicKey, 'RSA-OAEP');
                  const back = await subtle.unwrapKey('raw', wrapped, oaep.privateKey, 'RSA-OAEP', 'AES-GCM', true, ['encrypt']);
                  return hex(await subtle.exportKey('raw', back)) === hex(await subtle.exportKey('raw', aes));
                });
                await rejects('RSA exponent other than 3 and 65537', () => subtle.generateKey({ name: 'RSA-PSS', modulusLength: 2048,
                  publicExponent: new Uint8Array([17]), hash: 'SHA-256' }, true, ['sign']), 'OperationError');
                await rejects('RSA modulus not a multiple of 8', () => subtle.generateKey({ name: 'RSA-PSS', modulusLength: 2047,
                  publicExponent: e, hash: 'SHA-256' }, true, ['sign']), 'OperationError');
                await rejects('RSA modulus too small', () => subtle.generateKey({ name: 'RSA-OAEP', modulusLength: 16, publicExponent: e, hash: 'SHA-256' },
                  true, ['encrypt', 'decrypt']), 'OperationError');
                """, 24);
    }

    @Test
    void signaturesAndCiphertextsFromOpenSsl() throws Exception {
        // Keys, signatures and a ciphertext made once with OpenSSL (through Python's cryptography package).
        runChecks("crypto-openssl", """
                const rsaSpki = '30820122300d06092a864886f70d01010105000382010f003082010a0282010100e01ff5aecdcc07325082bb0e88c3b25d01'
                  + 'acb5106114fcecd8b9b6d83eecad9e980b4191081cb9fdd56d9e18debcc9cd016d8382c9482664ee3a2c8f858b933cb6282a'
                  + '0514b26c8a1c7ddd842e5354192f227736a50a5c132dce86f075a874ff0b71f552e266d8638bc76a26ebc2ed49fbabdee239'
                  + '2f92f5b9b34d39a69cf072e617a18e44bced33ccde8a1c6739c52505379a3f5ef29202cf269bf127e01fc156bb699215c4b2'
                  + 'a9c0551b4761a338c2fe4b53f4ed9c5080e5fbedbead34f6d58ebbf44f94b7c7f6bc790366a4a2be6941e58569c606cf55bf'
                  + '7af8d1a3878fcab21c4bc013a4e0cfd7c5d775d6c7e706dc7ee69999fe4749f920a8560addc4c70203010001';
                const rsaPkcs8 = '308204be020100300d06092a864886f70d0101010500048204a8308204a40201000282010100e01ff5aecdcc07325082bb0e'
                  + '88c3b25d01acb5106114fcecd8b9b6d83eecad9e980b4191081cb9fdd56d9e18debcc9cd016d8382c9482664ee3a2c8f858b'
                  + '933cb6282a0514b26c8a1c7ddd842e5354192f227736a50a5c132dce86f075a874ff0b71f552e266d8638bc76a26ebc2ed49'
                  + 'fbabdee2392f92f5b9b34d39a69cf072e617a18e44bced33ccde8a1c6739c52505379a3f5ef29202cf269bf127e01fc156bb'
                  + '699215c4b2a9c0551b4761a338c2fe4b53f4ed9c5080e5fbedbead34f6d58ebbf44f94b7c7f6bc790366a4a2be6941e58569'
                  + 'c606cf55bf7af8d1a3878fcab21c4bc013a4e0cfd7c5d775d6c7e706dc7ee69999fe4749f920a8560addc4c7020301000102'
                  + '820100691593140ada06e5c86a035aa5355c83cf2d331822ecbc4a30b3a2cf717177564ce3ba324e2369f16208ab7fedaf86'
                  + 'cee04480cce9a3329d5035667f449654caba7dca75e766610dc09e2326beb1c354ab8cf56861a9a1d23c400174ed35b6e57e'
                  + '70481e3c990c0c609577681852a4ff7348fa9007500f0fb7aa22234dc377d906e000b69df525fd7495095423565855172346'
                  + '1044caedaf2f1e94e854b4d27940afd8e742ec91116aa541485a98ffb06e4f4ebccafdd859b088315453af9fc55095db1dda'
                  + '96a3f09e44527f0aaccfaa3af67c3cad29be677da76ea0c841a1e7431b9edc87b121379d33241c3f5583d3a88a9bad9ebf00'
                  + '2020c08d5a45151a0102818100f6e6c31d0f43b03f3781372785e1e96bac93eb87386a0419351842a88f029c1a1f1b90215f'
                  + 'acc3fa117d02f63dfc04a1fd24210ef721d395f96bab084d90018a021eab3f607b97346cacf7795586fbe27d7e451f41058e'
                  + 'd85bd99475b9d5e7c18a2135d5cc640dcd037a57e2b36129b9b82f9dccab1fb2f3fd3b835188e68da702818100e862537d6a'
                  + 'b1ec7ced300519b2cd21691ada399644d50c0fe296d020dc568e6657571f29b2a9983137e2dc04ed418b5c67dca4915ed44d'
                  + 'aaccd2a0b788114d1906b084267be98ebda0bc1c6d90dbf4fcea1ef17c3a6ffe4bf7de12e96b2c680b83886eb0d6b3b8585a'
                  + '80f0af092076f9fe66939442cf204e830de214044533e102818100aa8c607eb44a9776338b08643eb0fca22a05cb8e0e43fd'
                  + '2cc4664bb54f8407fc6b3c88e4e4c7dc5fe2b0add9169bfd3f403332bab9af1e0edcc9a8cd0576d1f958d9828536ca687a08'
                  + '0fbaaa8f8fbc7289292dea16ea15f012124be0be4ba9d920e72bded15ed3c1a8035cadf626c9c1c61eee2bb09126f62f186a'
                  + 'ef695788c50281802083092d45cd28c9fda1374576278ee21698ab6fe3a76eed9605058f636454bdeac04ca2d7d5346ec663'
                  + 'dde66e8f3a012ea2c6ff73a5fe4bc4263fc80da86601f756a0d6858592abe31e0e5821e934286254fbf22676debc202c98b6'
                  + 'c180cff9b468551c369da44ff03193fad92b0a9a454672a54e878dfc8e075636f8b5f9e10281810094be9a7d68b21425dbb4'
                  + 'a9bbdfd70898f05d18d734b25958bb86a203fb544960aaae6091878be7c805f329ce8bb6d571bb68e5632fd5319555d6b6b3'
                  + 'f7b4c56ac4b935107224b853429073db043bd57ebcd84952d7fa49a93ea2d18dd1c5eaf9844a2ac846ca0528522719bf0f24'
                  + 'ea4212b375961473e6d399294d43ad2e20a6';
                const rsaPkcs1Sig = 'ca2e6f339f0d3759a98bc14ad14a86a3261304c4f3a1dd0daeca177929cecc43f9773b379d8a7993f24f37706802016f7901'
                  + '30c8740d0446c5a53100c15a220a5722585085ff6976cfa9ee9496d6e329d4a1cc7ab643973ca8fefdea1bd0febb35526ac0'
                  + 'fe33eaf27bb47949fe50b7fe6ae8e68c913691c588a08dad52582fdc6c6687a030b942bb5158c2a9feac2b2962e77e4dea9a'
                  + '709041a13c34beb0b31ab884dad8c69ee7928fa716fee6df397915aba0a02452e5c3fc3fdb3ebbc246b8cf7c76c7660c7ede'
                  + '33f58ed0d34a44f1ceb81a11bc7eed79d231a3b27a0a6e0d4d8b83427e45749ac3f4ce311ead839b48892bce29ee0045996f'
                  + 'f05bad5a6990';
                const rsaPssSig = '3314b67f339cf69632d8234e4012e523f5dba0af1f113ac095ccba1a3b8530f6be97c7f440fca5c1c93fb2977edc6bd91ec4'
                  + '799d4509cda5f7670577d42a2c8640082c72222f5e1cabedb631296c0520ec58a932b5ed7a76bb36be207243b925fb699eb9'
                  + 'f4b4483f029cc8cfa9dfbb4a689bf302e93036493115a618bfdd3ddf928f74763827238120e196ab628287c8557f98f91c8e'
                  + '2d52213851ace0b03f0f4e9cb3c2d7fe4c2cf34c5095a83d416472936488eab75d609cf6512a146f46deac9a7d7e8c3c0a92'
                  + '8146a9ac5e9d411bcc58f72f4c61a7cc9cbd6cc06fd629b837e2e889cd95507406ea39112653aed6cd979dd2e5c4e435c45f'
                  + 'c690d45263ed';
                const rsaOaep = 'd8eaf44c627cd73272824339e2a1a2fa1347dcf3274e3ef0eef65eec6346b1b3bebe36261e02ae05869d72c1bdc41bc24130'
                  + '1c4148f57b086ab3e48a3258ca66446a0ccd1aeb98cf92927d879572feb25f3122b3e0486f140243811c9be918bf7d5510bd'
                  + 'ed5c661f3237b20c1ff10a716f9e91e9f4f3738eed332a350b238c87a5a9e381a3d9fb3fd44e99e7738b45311cb5a55d3ef1'
                  + 'b1a025df37777ffe11495af2c512feee059cb20837588abac5576d32e00e7a966723a3a3b048703548d20f2964fe21c9fbf3'
                  + '70f10b69e21568acb2dd0b4cdaacd91c544dfaa5a62f479e8b741ee8b450fc569ebfc80c68b699a25208ae7279350847a919'
                  + 'c4074183bbfe';
                const p384Spki = '3076301006072a8648ce3d020106052b8104002203620004bddbc469e52f5bcd4b757f80e08e2efd6af97cad21f0fc09d284'
                  + '92649d8090c740e7cd8ef4bccbad9d337d02e327c0945b1e96250b90537e32548ce5827869d51d6c897f9355bca4a69bc699'
                  + '641e5ace3083c51889c8c8f66a7e916c00ce2704';
                const p384Sig = 'a88b64c7a15a9456b9b7b5ccea4e19f13a9501c5792901c6571599adbfa5b1a9c193191fbd9626f795bd5d4d73eac11b9596'
                  + 'b32bc12eee9b4dbdcf9a67bb28106c9727f4a8e0cf5b008530574d5fd0ff1ac00f0451050cf32bb98c12605a49b0';
                const p521Pkcs8 = '3081ee020100301006072a8648ce3d020106052b810400230481d63081d3020101044200aab5acc451d5dfc6b16ae31288a9'
                  + 'd05accdcbe76eedd5c43df583d399feef4416a6937b4a85e20f9fd50e393f8d558054a20cf9ee0f20d246c5e877d2379ffc7'
                  + '35a18189038186000400fe44799c146f960ce43446a24717e4dfe5c98db2cc56f416d4884dbc78b6c3bdb8c7423479df92ec'
                  + '9aca02fc10c1ace07767343249b691f21dd01e2b187ab269c600dd365f783ea1209d59ec02ac949393769f956a488edda7ef'
                  + 'cf315fca30265547a1e8839b72a1c1f9582f248224aaa06a624d641897d2b9f7e3fdf92f1ce1e37da3';
                const p521Raw = '0400fe44799c146f960ce43446a24717e4dfe5c98db2cc56f416d4884dbc78b6c3bdb8c7423479df92ec9aca02fc10c1ace0'
                  + '7767343249b691f21dd01e2b187ab269c600dd365f783ea1209d59ec02ac949393769f956a488edda7efcf315fca30265547'
                  + 'a1e8839b72a1c1f9582f248224aaa06a624d641897d2b9f7e3fdf92f1ce1e37da3';
                const message = ascii('isoworker known answer');
                const rsa = (name) => ({ name, hash: 'SHA-256' });
                const pub = (name) => subtle.importKey('spki', unhex(rsaSpki), rsa(name), true, [name === 'RSA-OAEP' ? 'encrypt' : 'verify']);
                const priv = (name) => subtle.importKey('pkcs8', unhex(rsaPkcs8), rsa(name), true, [name === 'RSA-OAEP' ? 'decrypt' : 'sign']);
                await same('RSASSA-PKCS1-v1_5 signs as OpenSSL does', async () => hex(await subtle.sign('RSASSA-PKCS1-v1_5',
                  await priv('RSASSA-PKCS1-v1_5'), message)), rsaPkcs1Sig);
                await check('RSASSA-PKCS1-v1_5 verifies the OpenSSL signature', async () => subtle.verify('RSASSA-PKCS1-v1_5',
                  await pub('RSASSA-PKCS1-v1_5'), unhex(rsaPkcs1Sig), message));
                await check('RSA-PSS verifies the OpenSSL signature', async () => {
                  const k = await pub('RSA-PSS');
                  return await subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, k, unhex(rsaPssSig), message)
                    && !(await subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, k, unhex(rsaPssSig), ascii('isoworker known answe')));
                });
                await same('RSA-OAEP decrypts the OpenSSL ciphertext', async () => hex(await subtle.decrypt({ name: 'RSA-OAEP', label: ascii('label') },
                  await priv('RSA-OAEP'), unhex(rsaOaep))), hex(message));
                await check('the imported RSA key describes itself', async () => {
                  const k = await pub('RSA-PSS');
                  return k.algorithm.modulusLength === 2048 && hex(k.algorithm.publicExponent) === '010001' && k.algorithm.hash.name === 'SHA-256';
                });
                await same('spki export is the imported DER', async () => hex(await subtle.exportKey('spki', await pub('RSA-OAEP'))), rsaSpki);
                await check('ECDSA P-384 verifies the OpenSSL signature', async () => {
                  const k = await subtle.importKey('spki', unhex(p384Spki), { name: 'ECDSA', namedCurve: 'P-384' }, true, ['verify']);
                  return await subtle.verify({ name: 'ECDSA', hash: 'SHA-384' }, k, unhex(p384Sig), message)
                    && !(await subtle.verify({ name: 'ECDSA', hash: 'SHA-384' }, k, unhex(p384Sig), ascii('isoworker known answe')));
                });
                await check('P-521 pkcs8 gives the public key OpenSSL computed', async () => {
                  const k = await subtle.importKey('pkcs8', unhex(p521Pkcs8), { name: 'ECDSA', namedCurve: 'P-521' }, true, ['sign']);
                  const jwk = await subtle.exportKey('jwk', k);
                  const raw = await subtle.importKey('raw', unhex(p521Raw), { name: 'ECDSA', namedCurve: 'P-521' }, true, ['verify']);
                  const rawJwk = await subtle.exportKey('jwk', raw);
                  const s = await subtle.sign({ name: 'ECDSA', hash: 'SHA-512' }, k, message);
                  return jwk.x === rawJwk.x && jwk.y === rawJwk.y && jwk.alg === 'ES512'
                    && await subtle.verify({ name: 'ECDSA', hash: 'SHA-512' }, raw, s, message);
                });
                """, 8);
    }
}
