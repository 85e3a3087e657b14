package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** console: levels, format specifiers, value formatting (Node's util.inspect style), counters, timers, groups. */
class ConsoleTest {

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    /** Runs {@code body} inside a fetch handler of script {@code name} and returns the log lines it wrote. */
    static List<String> logOf(String name, String body) throws Exception {
        s.deploy(name, "export default { async fetch() {\n" + body + "\nreturn new Response('done'); } };");
        try (LogCapture log = new LogCapture("worker." + name)) {
            assertEquals("done", s.get(name + ".localhost", "/").body());
            List<String> lines = new ArrayList<>();
            for (String line : log.text().split("\n(?=(INFO|WARN|ERROR|DEBUG) worker\\.)")) {
                if (!line.isEmpty()) {
                    lines.add(line.replace("worker." + name + " ", "").stripTrailing());
                }
            }
            return lines;
        }
    }

    @Test
    void formatsEachKindOfValue() throws Exception {
        List<String> lines = logOf("con-values", """
                class Foo { constructor() { this.x = 1; this.s = "it's"; } }
                const cyc = { name: 'c' }; cyc.self = cyc; cyc.list = [cyc];
                console.log('text', 1, -0, 5n, Symbol('s'), undefined, null, true);
                console.log({ a: 1, b: 'two', c: [1, 2, 3], d: { e: { f: { g: 1 } } } });
                console.log(new Map([['a', 1], ['b', { x: 1 }]]), new Set([1, 'two']), new Map());
                console.log(new Foo(), Object.create(null), [1, , , 4]);
                console.log(new Uint8Array([1, 2, 3]), new ArrayBuffer(3));
                console.log(cyc);
                console.log(Array.from({ length: 10 }, (_, i) => i));
                console.log(function named() {}, class A {}, class B extends Foo {}, async function af() {});
                console.log(new Date(0), /re/g, new Number(3), new String('s'), new WeakMap());
                console.log({ 'a-b': 1, [Symbol('k')]: 2, get g() { return 1; } });
                console.log(Array.from({ length: 102 }, () => 'x').length);
                console.log([[1, [2, [3, [4]]]]]);
                """);
        assertEquals(List.of(
                "INFO text 1 -0 5n Symbol(s) undefined null true",
                "INFO { a: 1, b: 'two', c: [ 1, 2, 3 ], d: { e: { f: [Object] } } }",
                "INFO Map(2) { 'a' => 1, 'b' => { x: 1 } } Set(2) { 1, 'two' } Map(0) {}",
                "INFO Foo { x: 1, s: \"it's\" } [Object: null prototype] {} [ 1, <2 empty items>, 4 ]",
                "INFO Uint8Array(3) [ 1, 2, 3 ] ArrayBuffer { [Uint8Contents]: <00 00 00>, byteLength: 3 }",
                "INFO <ref *1> { name: 'c', self: [Circular *1], list: [ [Circular *1] ] }",
                "INFO [\n  0, 1, 2, 3, 4,\n  5, 6, 7, 8, 9\n]",
                "INFO [Function: named] [class A] [class B extends Foo] [AsyncFunction: af]",
                "INFO 1970-01-01T00:00:00.000Z /re/g [Number: 3] [String: 's'] WeakMap { <items unknown> }",
                "INFO { 'a-b': 1, g: [Getter], [Symbol(k)]: 2 }",
                "INFO 102",
                "INFO [ [ 1, [ 2, [Array] ] ] ]"), lines);
    }

    @Test
    void errorsPrintTheirStackAndExtraProperties() throws Exception {
        List<String> lines = logOf("con-errors", """
                const err = new TypeError('bad thing');
                err.code = 'E_BAD';
                console.error(err);
                console.log({ inner: new RangeError('nested') });
                console.warn(new DOMException('gone', 'AbortError'));
                """);
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("ERROR TypeError: bad thing\n    at "), lines.get(0));
        assertTrue(lines.get(0).endsWith(" {\n  code: 'E_BAD'\n}"), lines.get(0));
        assertTrue(lines.get(1).startsWith("INFO {\n  inner: RangeError: nested\n      at "), lines.get(1));
        assertTrue(lines.get(2).startsWith("WARN AbortError: gone"), lines.get(2));
    }

    @Test
    void formatSpecifiers() throws Exception {
        List<String> lines = logOf("con-format", """
                console.log('%s is %d years, %i, %f, %j %o %O%c|%% %x', 'Bob', 42.5, 42.5, '1.5', { a: 1 }, [1], { b: 2 }, 'color: red');
                console.log('%s and %s', { deep: { deeper: 1 } }, 5n, 'extra', { y: 2 });
                console.log('missing %s %s', 'one');
                console.log('%d %i %f', Symbol('x'), 3n, 'nope');
                console.log('100%%');
                """);
        assertEquals(List.of(
                "INFO Bob is 42.5 years, 42, 1.5, {\"a\":1} [ 1 ] { b: 2 }|% %x",
                "INFO { deep: [Object] } and 5n extra { y: 2 }",
                "INFO missing one %s",
                "INFO NaN 3n NaN",
                "INFO 100%%"), lines);
    }

    @Test
    void levelsCountersTimersGroupsAndAssert() throws Exception {
        List<String> lines = logOf("con-methods", """
                console.debug('debug'); console.info('info'); console.warn('warn'); console.error('error');
                console.count(); console.count(); console.count('x'); console.countReset(); console.count();
                console.countReset('never');
                console.time('t');
                console.time('t');
                console.timeLog('t', 'extra');
                await new Promise((r) => setTimeout(r, 5));
                console.timeEnd('t');
                console.timeEnd('t');
                console.group('outer');
                console.log('inside\\nsecond line');
                console.groupEnd();
                console.log('outside');
                console.assert(true, 'not shown');
                console.assert(false, 'shown %s', 'formatted');
                console.assert(false);
                console.dir('quoted', { depth: 0 });
                console.dir({ a: { b: { c: { d: 1 } } } }, { depth: null });
                console.table([{ a: 1, b: 'Y' }, { a: 'Z', c: 2 }]);
                console.trace('here');
                """);
        assertEquals("DEBUG debug", lines.get(0));
        assertEquals("INFO info", lines.get(1));
        assertEquals("WARN warn", lines.get(2));
        assertEquals("ERROR error", lines.get(3));
        assertEquals(List.of("INFO default: 1", "INFO default: 2", "INFO x: 1", "INFO default: 1",
                "WARN Count for 'never' does not exist"), lines.subList(4, 9));
        assertEquals("WARN Timer 't' already exists", lines.get(9));
        assertEquals("INFO t: 0ms extra", lines.get(10), "the clock is frozen while guest code runs");
        assertTrue(lines.get(11).matches("INFO t: \\d+ms"), lines.get(11));
        assertEquals("WARN Timer 't' does not exist", lines.get(12));
        assertEquals("INFO outer", lines.get(13));
        assertEquals("INFO   inside\n  second line", lines.get(14));
        assertEquals("INFO outside", lines.get(15));
        assertEquals("ERROR Assertion failed: shown formatted", lines.get(16));
        assertEquals("ERROR Assertion failed", lines.get(17));
        assertEquals("INFO 'quoted'", lines.get(18));
        assertEquals("INFO {\n  a: { b: { c: { d: 1 } } }\n}", lines.get(19));
        assertEquals("""
                INFO ┌─────────┬─────┬─────┬───┐
                │ (index) │ a   │ b   │ c │
                ├─────────┼─────┼─────┼───┤
                │ 0       │ 1   │ 'Y' │   │
                │ 1       │ 'Z' │     │ 2 │
                └─────────┴─────┴─────┴───┘""", lines.get(20));
        assertTrue(lines.get(21).startsWith("INFO Trace: here\n    at "), lines.get(21));
        assertEquals(22, lines.size(), lines.toString());
    }
}
