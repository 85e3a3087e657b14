package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/** URL, URLSearchParams, URLPattern and URL parsing in Request and Response, beyond what the WPT data covers. */
class UrlTest {

    static TestServer s;

    /** Helpers every check worker gets: eq(actual, expected, label) and throws(fn, ErrorType, label). */
    private static final String CHECKS = """
            const failures = [];
            let checks = 0;
            function eq(actual, expected, label) {
              checks++;
              const a = JSON.stringify(actual);
              const e = JSON.stringify(expected);
              if (a !== e) {
                failures.push(label + ': got ' + a + ', expected ' + e);
              }
            }
            function throws(fn, type, label, message = undefined) {
              checks++;
              try {
                fn();
              } catch (err) {
                if (!(err instanceof type)) {
                  failures.push(label + ': threw ' + err);
                } else if (message !== undefined && err.message !== message) {
                  failures.push(label + ': message ' + JSON.stringify(err.message));
                }
                return;
              }
              failures.push(label + ': did not throw');
            }
            """;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    /** Deploys a worker running {@code body} (checks) in its fetch handler, and asserts that all of them passed. */
    private static void assertChecks(String name, String body, int minimumChecks) throws Exception {
        s.deploy(name, CHECKS + """
                export default {
                  async fetch(request) {
                    try {
                """ + body + """
                    } catch (e) {
                      failures.push('uncaught ' + e + ' ' + e.stack);
                    }
                    return Response.json({ checks, failures });
                  },
                };
                """);
        HttpResponse<String> r = s.get(name + ".localhost", "/");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject answer = new JsonObject(r.body());
        assertEquals("[]", answer.getJsonArray("failures").encode());
        assertTrue(answer.getInteger("checks") >= minimumChecks, "only " + answer.getInteger("checks") + " checks ran");
    }

    @Test
    void urlBasics() throws Exception {
        assertChecks("url-basics", """
                const u = new URL('HTTPS://user:pa ss@Example.COM:443/a/./b/../c?q=1 2#frag ment');
                eq(u.href, 'https://user:pa%20ss@example.com/a/c?q=1%202#frag%20ment', 'href');
                eq([u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash],
                   ['https:', 'user', 'pa%20ss', 'example.com', 'example.com', '', '/a/c', '?q=1%202', '#frag%20ment'], 'components');
                eq(u.origin, 'https://example.com', 'origin');
                eq(String(u), u.href, 'toString');
                eq(JSON.stringify({ u }), '{"u":"' + u.href + '"}', 'toJSON');
                eq(Object.prototype.toString.call(u), '[object URL]', 'toStringTag');
                eq(new URL('../x?y', 'http://h/a/b/c').href, 'http://h/a/x?y', 'relative');
                eq(new URL('http://0x7f.1/').host, '127.0.0.1', 'hex IPv4');
                eq(new URL('http://0300.0250.1.1/').host, '192.168.1.1', 'octal IPv4');
                eq(new URL('http://4294967295/').host, '255.255.255.255', 'one-number IPv4');
                throws(() => new URL('http://4294967296/'), TypeError, 'IPv4 out of range');
                eq(new URL('http://[0:0:0:0:0:ffff:7f00:1]/').host, '[::ffff:7f00:1]', 'IPv6 compression');
                eq(new URL('http://[1:0:0:2:0:0:0:3]/').host, '[1:0:0:2::3]', 'IPv6 longest run');
                eq(new URL('http://[::127.0.0.1]/').host, '[::7f00:1]', 'IPv6 with IPv4');
                eq(new URL('http://bücher.de/').host, 'xn--bcher-kva.de', 'IDNA');
                eq(new URL('http://ＥＸＡＭＰＬＥ.com/').host, 'example.com', 'IDNA mapping');
                throws(() => new URL('http://a\\u200db.com/'), TypeError, 'CheckJoiners');
                eq(new URL('http://example.com:80/').port, '', 'default port');
                eq(new URL('ws://x:81/').port, '81', 'port');
                throws(() => new URL('http://x:65536/'), TypeError, 'port range');
                eq(new URL('file:///C|/x').pathname, '/C:/x', 'drive letter');
                eq(new URL('data:text/plain,a b').pathname, 'text/plain,a b', 'opaque path');
                eq(new URL('sc://h/\\ud800').pathname, '/%EF%BF%BD', 'lone surrogate');
                throws(() => new URL('/relative'), TypeError, 'relative without base', 'Invalid URL string.');
                throws(() => new URL('http://x/', 'nope'), TypeError, 'bad base');
                throws(() => new URL(), TypeError, 'no argument');
                eq(URL.canParse('x', 'http://h/'), true, 'canParse');
                eq(URL.canParse('x'), false, 'canParse without base');
                eq(URL.parse('x'), null, 'parse failure');
                eq(URL.parse('x', 'http://h/') instanceof URL, true, 'parse result');
                eq(URL.parse('x', 'http://h/').href, 'http://h/x', 'parse href');
                eq(typeof URL.createObjectURL, 'undefined', 'no createObjectURL');
                const v = new URL('http://h/p');
                v.protocol = 'https';
                v.username = 'a b';
                v.password = 'c@d';
                v.hostname = 'Other.Host';
                v.port = '8443';
                v.pathname = 'x y';
                v.search = 'a=1';
                v.hash = 'h';
                eq(v.href, 'https://a%20b:c%40d@other.host:8443/x%20y?a=1#h', 'setters');
                v.host = 'h2:99';
                eq(v.host, 'h2:99', 'host setter');
                v.hash = '';
                v.search = '';
                eq(v.href, 'https://a%20b:c%40d@h2:99/x%20y', 'clear search and hash');
                throws(() => { v.href = 'nope'; }, TypeError, 'href setter failure');
                """, 36);
    }

    @Test
    void searchParamsConstructionAndMethods() throws Exception {
        assertChecks("usp-methods", """
                const list = (p) => [...p];
                eq(list(new URLSearchParams('?a=1&b=2&a=3')), [['a', '1'], ['b', '2'], ['a', '3']], 'string with ?');
                eq(list(new URLSearchParams('a=b+c&%20d=%zz&=x&y&&')), [['a', 'b c'], [' d', '%zz'], ['', 'x'], ['y', '']], 'decoding');
                eq(list(new URLSearchParams('%E2%82%AC=%FF')), [['€', '\\ufffd']], 'UTF-8 decoding');
                eq(list(new URLSearchParams('%EF%BB%BFa=%EF%BB%BF')), [['\\ufeffa', '\\ufeff']], 'a BOM is kept');
                eq(list(new URLSearchParams('a=%C3%A9' + 'x'.repeat(300))), [['a', 'é' + 'x'.repeat(300)]], 'long non-ASCII value');
                eq(list(new URLSearchParams({ a: '1', b: 2 })), [['a', '1'], ['b', '2']], 'record');
                eq(list(new URLSearchParams([['a', '1'], ['a', '2']])), [['a', '1'], ['a', '2']], 'sequence');
                const other = new URLSearchParams('x=1');
                const copy = new URLSearchParams(other);
                other.append('y', '2');
                eq(list(copy), [['x', '1']], 'copy is independent');
                throws(() => new URLSearchParams([['a']]), TypeError, 'short pair');
                throws(() => new URLSearchParams([['a', 'b', 'c']]), TypeError, 'long pair');
                throws(() => new URLSearchParams([1]), TypeError, 'non-sequence pair');
                eq(list(new URLSearchParams(null)), [['null', '']], 'null init');
                eq(list(new URLSearchParams()), [], 'no init');
                eq(list(new URLSearchParams(undefined)), [], 'undefined init');
                eq(list(new URLSearchParams([['\\ud800', 'x']])), [['\\ufffd', 'x']], 'USVString');
                const p = new URLSearchParams('a=1&b=2&a=3&c=4');
                eq(p.size, 4, 'size');
                eq(p.get('a'), '1', 'get');
                eq(p.get('z'), null, 'get missing');
                eq(p.getAll('a'), ['1', '3'], 'getAll');
                eq(p.has('b'), true, 'has');
                eq(p.has('a', '3'), true, 'has with value');
                eq(p.has('a', '2'), false, 'has with other value');
                p.delete('a', '3');
                eq(p.toString(), 'a=1&b=2&c=4', 'delete with value');
                p.delete('a', undefined);
                eq(p.toString(), 'b=2&c=4', 'delete with undefined value deletes all');
                p.append('b', '5');
                p.set('b', '6');
                eq(p.toString(), 'b=6&c=4', 'set replaces the first and removes the rest');
                p.set('d', '7');
                eq(p.toString(), 'b=6&c=4&d=7', 'set appends');
                throws(() => p.append('x'), TypeError, 'append arity');
                throws(() => p.get(), TypeError, 'get arity');
                const q = new URLSearchParams('z=1&\\ufb03=2&\\ud83c\\udf08=3&a=4&z=0&a=5');
                q.sort();
                eq([...q.keys()], ['a', 'a', 'z', 'z', '\\ud83c\\udf08', '\\ufb03'], 'sort by code units');
                eq([...q.values()].slice(0, 4), ['4', '5', '1', '0'], 'sort is stable');
                eq(new URLSearchParams([['a b', 'c+d'], ['*-._', '~!\\'()'], ['€', '\\n']]).toString(),
                   'a+b=c%2Bd&*-._=%7E%21%27%28%29&%E2%82%AC=%0A', 'serializer');
                const seen = [];
                const r = new URLSearchParams('a=1&b=2');
                r.forEach(function (value, name, obj) { seen.push([name, value, obj === r, this.tag]); if (name === 'a') r.append('c', '3'); }, { tag: 't' });
                eq(seen, [['a', '1', true, 't'], ['b', '2', true, 't'], ['c', '3', true, 't']], 'forEach is live');
                throws(() => r.forEach(1), TypeError, 'forEach callback');
                const it = r.entries();
                eq(it.next(), { value: ['a', '1'], done: false }, 'iterator next');
                r.delete('a');
                eq(it.next(), { value: ['c', '3'], done: false }, 'iterator is live');
                eq(it.next().done, true, 'iterator done');
                eq(Object.prototype.toString.call(it), '[object URLSearchParams Iterator]', 'iterator tag');
                eq(typeof it[Symbol.iterator], 'function', 'iterator is iterable');
                eq(URLSearchParams.prototype[Symbol.iterator] === URLSearchParams.prototype.entries, true, '@@iterator');
                eq(Object.prototype.toString.call(r), '[object URLSearchParams]', 'toStringTag');
                eq(list(new URLSearchParams('a=1&b=2')).length, 2, 'spread');
                """, 41);
    }

    @Test
    void searchParamsAreLiveWithTheirUrl() throws Exception {
        assertChecks("usp-live", """
                const u = new URL('https://h/p?a=1&b=2#f');
                const p = u.searchParams;
                eq(u.searchParams === p, true, 'same object each time');
                p.append('c', 'x y');
                eq(u.href, 'https://h/p?a=1&b=2&c=x+y#f', 'append updates the URL');
                eq(u.search, '?a=1&b=2&c=x+y', 'search');
                u.search = '?z=9';
                eq([...p], [['z', '9']], 'search setter updates the params');
                u.href = 'https://h/other?k=v';
                eq(p.get('k'), 'v', 'href setter updates the params');
                eq(u.searchParams === p, true, 'still the same object');
                p.delete('k');
                eq(u.href, 'https://h/other', 'empty params remove the query');
                eq(u.search, '', 'empty search');
                u.search = '';
                eq(p.size, 0, 'cleared search');
                p.set('q', '1');
                eq(u.href, 'https://h/other?q=1', 'set on an empty query');
                const o = new URL('data:space ?x=1#f');
                o.searchParams.delete('x');
                eq(o.href, 'data:space%20#f', 'opaque path keeps its encoded space');
                const e = new URL('http://h/?a=%20b');
                e.searchParams.sort();
                eq(e.search, '?a=+b', 'params rewrite the query in their serialization');
                eq(new URL('http://h/?q=%E2%82%AC').searchParams.get('q'), '€', 'decoding');
                """, 13);
    }

    @Test
    void requestAndRedirectParseUrls() throws Exception {
        assertChecks("url-request", """
                eq(new Request('HTTP://EXAMPLE.com:80/a/../b?c d').url, 'http://example.com/b?c%20d', 'Request normalizes');
                eq(new Request(new URL('https://h/x')).url, 'https://h/x', 'Request from a URL');
                eq(new Request('https://h/x', { method: 'POST', body: 'x' }).url, 'https://h/x', 'Request with init');
                throws(() => new Request('/relative'), TypeError, 'relative Request', 'Invalid URL: /relative');
                throws(() => new Request('http://a b/'), TypeError, 'invalid Request URL', 'Invalid URL: http://a b/');
                eq(new Request(new Request('https://H/y')).url, 'https://h/y', 'Request from a Request');
                eq(new Request('https://h/x').clone().url, 'https://h/x', 'clone');
                const r = Response.redirect('https://EXAMPLE.com/x y', 301);
                eq([r.status, r.headers.get('location')], [301, 'https://example.com/x%20y'], 'redirect location');
                throws(() => Response.redirect('/relative'), TypeError, 'relative redirect', 'Invalid URL: /relative');
                throws(() => Response.redirect('https://h/', 200), RangeError, 'redirect status');
                eq(request.url, 'http://url-request.localhost/', 'incoming URL');
                eq(new URL(request.url).hostname, 'url-request.localhost', 'new URL(request.url)');
                """, 12);
    }

    @Test
    void urlPattern() throws Exception {
        assertChecks("url-pattern", """
                const books = new URLPattern({ pathname: '/books/:id' });
                eq([books.protocol, books.hostname, books.pathname, books.search, books.hash], ['*', '*', '/books/:id', '*', '*'], 'init getters');
                const m = books.exec('https://example.com/books/123');
                eq(m.pathname, { input: '/books/123', groups: { id: '123' } }, 'exec pathname');
                eq(m.hostname, { input: 'example.com', groups: { 0: 'example.com' } }, 'exec wildcard hostname');
                eq(m.inputs, ['https://example.com/books/123'], 'exec inputs');
                eq(books.test('https://example.com/books/'), false, 'no match');
                eq(books.exec('https://example.com/other'), null, 'exec no match');
                eq(books.test('/books/7', 'https://example.com'), true, 'test with baseURL');
                eq(books.exec({ pathname: '/books/8' }).inputs, [{ pathname: '/books/8' }], 'exec init inputs');
                throws(() => books.test({ pathname: '/x' }, 'https://example.com'), TypeError, 'init with baseURL');
                const full = new URLPattern('https://example.com/books/:id');
                eq([full.protocol, full.username, full.password, full.hostname, full.port, full.pathname, full.search, full.hash],
                   ['https', '*', '*', 'example.com', '', '/books/:id', '*', '*'], 'string getters');
                const based = new URLPattern('/books/:id', 'https://example.com');
                eq([based.protocol, based.hostname, based.pathname, based.search, based.hash], ['https', 'example.com', '/books/:id', '*', '*'], 'string with baseURL');
                throws(() => new URLPattern('/books'), TypeError, 'relative string without base');
                throws(() => new URLPattern({ pathname: '/x' }, 'https://example.com'), TypeError, 'init with base');
                eq(new URLPattern({ pathname: '/files/*' }).exec({ pathname: '/files/a/b' }).pathname.groups, { 0: 'a/b' }, 'wildcard');
                const digits = new URLPattern({ pathname: '/(\\\\d+)' });
                eq([digits.pathname, digits.test({ pathname: '/123' }), digits.test({ pathname: '/abc' }), digits.hasRegExpGroups],
                   ['/(\\\\d+)', true, false, true], 'regexp group');
                eq(books.hasRegExpGroups, false, 'no regexp groups');
                const named = new URLPattern({ pathname: '/foo/:bar(\\\\d+)' });
                eq([named.pathname, named.exec({ pathname: '/foo/42' }).pathname.groups], ['/foo/:bar(\\\\d+)', { bar: '42' }], 'named regexp group');
                const optional = new URLPattern({ pathname: '/books/:id?' });
                eq([optional.test({ pathname: '/books' }), optional.test({ pathname: '/books/1' }), optional.test({ pathname: '/books/' })],
                   [true, true, false], 'optional');
                eq(optional.exec({ pathname: '/books' }).pathname.groups, { id: undefined }, 'unmatched group');
                const plus = new URLPattern({ pathname: '/books/:id+' });
                eq([plus.exec({ pathname: '/books/1/2' }).pathname.groups, plus.test({ pathname: '/books' })], [{ id: '1/2' }, false], 'one or more');
                const star = new URLPattern({ pathname: '/books/:id*' });
                eq([star.test({ pathname: '/books' }), star.exec({ pathname: '/books/a/b' }).pathname.groups], [true, { id: 'a/b' }], 'zero or more');
                const group = new URLPattern({ pathname: '/product{/:type}?' });
                eq([group.pathname, group.test({ pathname: '/product' }), group.exec({ pathname: '/product/shoes' }).pathname.groups],
                   ['/product/:type?', true, { type: 'shoes' }], 'group with modifier');
                eq([new URLPattern({ pathname: '/FOO' }, { ignoreCase: true }).test({ pathname: '/foo' }),
                    new URLPattern({ pathname: '/FOO' }).test({ pathname: '/foo' })], [true, false], 'ignoreCase');
                eq(new URLPattern('https://example.com/FOO', { ignoreCase: true }).test('https://example.com/foo'), true, 'ignoreCase with a string');
                eq(new URLPattern({ hostname: ':sub.example.com' }).exec({ hostname: 'api.example.com' }).hostname.groups, { sub: 'api' }, 'hostname group');
                const wide = new URLPattern('https://:sub.example.com:8080/api/:rest/x?q=:q#frag');
                eq([wide.hostname, wide.port, wide.pathname, wide.search, wide.hash], [':sub.example.com', '8080', '/api/:rest/x', 'q=:q', 'frag'], 'all components');
                const w = wide.exec('https://a.example.com:8080/api/y/x?q=1#frag');
                eq([w.hostname.groups, w.pathname.groups, w.search.groups], [{ sub: 'a' }, { rest: 'y' }, { q: '1' }], 'all groups');
                eq(new URLPattern('https://h/a/:b?c').pathname, '/a/:b?c', 'a ? after a group is a modifier');
                eq(new URLPattern('https://example.com:443/').port, '', 'default port dropped');
                const anyScheme = new URLPattern('*://example.com/*');
                eq([anyScheme.protocol, anyScheme.test('http://example.com/x'), anyScheme.test('https://other.com/')], ['*', true, false], 'protocol wildcard');
                eq(new URLPattern({ search: 'q=:q' }).exec('https://x/?q=hello').search.groups, { q: 'hello' }, 'search group');
                const escaped = new URLPattern({ pathname: '/a\\\\:b' });
                eq([escaped.pathname, escaped.test({ pathname: '/a:b' })], ['/a\\\\:b', true], 'escaped colon');
                eq(new URLPattern({ hostname: '[\\\\:\\\\:1]' }).test('http://[::1]/'), true, 'IPv6 hostname');
                const opaque = new URLPattern('data\\\\:foo*');
                eq([opaque.protocol, opaque.pathname], ['data', 'foo*'], 'non-special scheme');
                const empty = new URLPattern();
                eq([empty.protocol, empty.pathname, empty.test('https://anything/x?y#z')], ['*', '*', true], 'empty pattern');
                eq([new URLPattern({ pathname: '/:foo(.*)' }).pathname, new URLPattern({ pathname: '/(.*)' }).pathname,
                    new URLPattern({ pathname: '/{:a}?' }).pathname], ['/:foo(.*)', '/*', '/{:a}?'], 'pattern strings');
                throws(() => new URLPattern({ pathname: '/:a/:a' }), TypeError, 'duplicate names');
                throws(() => new URLPattern({ pathname: '/(' }), TypeError, 'bad regexp');
                throws(() => new URLPattern({ pathname: '/([a-' + 'z)' }), TypeError, 'invalid regexp');
                eq(Object.prototype.toString.call(empty), '[object URLPattern]', 'toStringTag');
                eq(new URLPattern({ pathname: '/caf\\u00e9' }).test('https://x/caf%C3%A9'), true, 'fixed text is canonicalized');
                """, 40);
    }

    @Test
    void urlPatternParsingDetails() throws Exception {
        assertChecks("url-pattern-details", """
                const g = (p, c) => new URLPattern(...p)[c];
                eq(g(['https://example.com/:name\\\\?foo'], 'pathname'), '/:name', 'escaped ? ends the pathname');
                eq(g(['https://example.com/:name\\\\?foo'], 'search'), 'foo', 'search after an escaped ?');
                eq(g(['https://example.com/:name?foo'], 'pathname'), '/:name?foo', '? after a name is a modifier');
                eq(g([{ pathname: '{:foo}{(.*)}' }], 'pathname'), '{:foo}(.*)', 'grouping kept where needed');
                eq(g([{ pathname: ':foo{}?bar' }], 'pathname'), '{:foo}bar', 'empty group dropped');
                eq(g([{ pathname: '*\\\\/*' }], 'pathname'), '*/{*}', 'wildcard after a prefix');
                eq(g([{ pathname: '/foo/(.*)?' }], 'pathname'), '/foo/*?', 'full wildcard as *');
                eq(g([{ pathname: 'b', baseURL: 'https://example.com/foo/' }], 'pathname'), '/foo/b', 'relative pathname with baseURL');
                eq(g([{ hostname: 'café.com' }], 'hostname'), 'xn--caf-dma.com', 'hostname text to ASCII');
                eq(g([{ username: 'café' }], 'username'), 'caf%C3%A9', 'username text encoded');
                eq(g([{ search: 'foo', baseURL: 'https://example.com/a/+/b' }], 'pathname'), '/a/\\\\+/b', 'baseURL parts escaped');
                const sub = new URLPattern('http{s}?://{*.}?example.com/:product/:endpoint');
                eq([sub.protocol, sub.hostname, sub.pathname], ['http{s}?', '{*.}?example.com', '/:product/:endpoint'], 'groups in a string');
                const m = sub.exec('https://sub.example.com/foo/bar');
                eq([m.hostname.groups, m.pathname.groups], [{ 0: 'sub' }, { product: 'foo', endpoint: 'bar' }], 'groups in a string match');
                eq(new URLPattern('http://[:address]/').exec('http://[::1]/').hostname.groups, { address: '::1' }, 'IPv6 group');
                eq(new URLPattern({ hostname: '[\\\\:\\\\:AB\\\\::num]' }).hostname, '[\\\\:\\\\:ab\\\\::num]', 'IPv6 text lowercased');
                eq(new URLPattern({ pathname: '/foo/bar' }).test({ pathname: 'foo/bar', baseURL: 'https://example.com' }), true, 'init input with baseURL');
                eq(new URLPattern({ protocol: 'javascript', pathname: 'var x = 1;' }).test('javascript:var x = 1;'), true, 'opaque pathname');
                eq(new URLPattern({ pathname: '/([[a-z]--a])' }).test({ pathname: '/a' }), false, 'v flag class subtraction');
                eq(new URLPattern({ pathname: '(foo)(.*)' }).exec({ pathname: 'foobarbaz' }).pathname.groups, { 0: 'foo', 1: 'barbaz' }, 'numbered groups');
                throws(() => new URLPattern({ pathname: '/foo?bar' }), TypeError, 'a modifier after plain text');
                throws(() => new URLPattern('/foo', ''), TypeError, 'empty base');
                throws(() => new URLPattern('data:foobar'), TypeError, 'unescaped scheme colon');
                throws(() => new URLPattern('https://{sub.}?example{.com/}foo'), TypeError, 'delimiter in hostname text');
                throws(() => new URLPattern({ hostname: 'bad hostname' }), TypeError, 'bad hostname');
                throws(() => new URLPattern({ protocol: '(café)' }), TypeError, 'non-ASCII regexp');
                throws(() => new URLPattern({ pathname: '/x' }).exec({ pathname: '/x' }, 'https://example.com'), TypeError, 'exec with init and base');
                eq(new URLPattern({ pathname: '*' }).exec('foo', 'not|a|valid|url'), null, 'invalid base in exec');
                """, 27);
    }

    @Test
    void incomingRequestUrlIsSerialized() throws Exception {
        s.deploy("url-incoming", "export default { fetch(r) { return new Response(r.url + ' ' + r.url); } };");
        assertEquals("http://url-incoming.localhost/a/c?x=1 http://url-incoming.localhost/a/c?x=1",
                s.get("url-incoming.localhost", "/a/b/../c?x=1").body());
        assertEquals("http://url-incoming.localhost:8787/%7e/x",
                s.get("url-incoming.localhost:8787", "/%7e/x").body().split(" ")[0]);
    }
}
