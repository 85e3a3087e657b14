package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Thousands of random and malformed requests, as raw bytes, to the traffic and admin listeners: bad methods, request
 * lines and headers, huge heads, broken chunked bodies, absurd Content-Lengths, truncated bodies, random bytes, an
 * HTTP/2 preface, keep-alive pipelines; for the admin API random paths, methods, tokens, names, namespace ids, JSON and
 * multipart bodies. No answer may be a 5xx, a well-formed request must be answered, nothing may be written outside
 * the data directory, nothing may be logged at ERROR, and afterwards the server serves as before.
 * <p>
 * Every case is generated from its own {@link Random} seeded by the run's seed and the case number, so a failure
 * reproduces alone: {@code -Dfuzz.seed=S -Dfuzz.case=N} (and {@code -Dfuzz.cases=N} for a longer run).
 */
class RequestFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 0x1507_0123_4567L);
    private static final int CASES = Integer.getInteger("fuzz.cases", 3000);
    private static final int ONLY = Integer.getInteger("fuzz.case", -1);
    private static final int READ_TIMEOUT_MS = 5000;
    private static final int MAX_BODY = 64 * 1024;
    private static final int HEADER_LIMIT = 128 * 1024;

    private static final String ECHO = """
            export default {
              async fetch(request) {
                const body = new Uint8Array(await request.arrayBuffer());
                return Response.json({ method: request.method, url: request.url, length: body.length });
              },
            };
            """;
    private static final String STREAM = """
            export default {
              async fetch(request) {
                let length = 0;
                if (request.body) {
                  const reader = request.body.getReader();
                  for (;;) {
                    const { done, value } = await reader.read();
                    if (done) break;
                    length += value.byteLength;
                  }
                }
                return Response.json({ method: request.method, url: request.url, length });
              },
            };
            """;
    private static final String VALID_SCRIPT = "export default { fetch() { return new Response('fuzzed'); } };";

    /** How a case's connection is used. */
    enum Mode {
        /** A well-formed request (or pipeline of them): every one must be answered before the read timeout. */
        ANSWERED,
        /** Anything goes: the client half-closes after writing; the server answers or closes, but must not hang. */
        GARBAGE,
        /** A request cut short: the client closes after writing; an answer that came first is checked. */
        ABANDONED
    }

    /**
     * One generated case.
     *
     * @param expect what each answer (in order) must be; shorter than the answers means "any non-5xx" for the rest
     */
    record Case(int number, String kind, boolean admin, byte[] bytes, Mode mode, List<Expect> expect,
            String createdScript) {

        Case asAdmin() {
            return new Case(number, kind, true, bytes, mode, expect, createdScript);
        }
    }

    /** What one answer must be. {@code status} 0: any status below 500. */
    record Expect(int status, int echoedLength, Set<Integer> alsoAllowed) {
        static Expect any() {
            return new Expect(0, -1, Set.of());
        }

        static Expect status(int status) {
            return new Expect(status, -1, Set.of());
        }

        static Expect echo(int length) {
            return new Expect(200, length, Set.of());
        }
    }

    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Set<String> createdScripts = new ConcurrentSkipListSet<>();
    private final java.util.Map<Integer, java.util.concurrent.atomic.AtomicInteger> statuses =
            new java.util.concurrent.ConcurrentSkipListMap<>();
    /** Answers the echo workers gave with the body length that was sent: fuzzed requests that reached guest code. */
    private final java.util.concurrent.atomic.AtomicInteger echoed = new java.util.concurrent.atomic.AtomicInteger();

    @Test
    void randomAndMalformedRequestsGetNo5xxAndTheServerStillServes() throws Exception {
        Path root = Files.createTempDirectory("isoworker-fuzz");
        Path data = root.resolve("data");
        ErrorLog errors = new ErrorLog();
        try (TestServer s = TestServer.start(data, "max-request-body", String.valueOf(MAX_BODY),
                "max-script-size", "65536")) {
            s.deploy("echo", ECHO);
            s.deploy("stream", STREAM);
            String namespace = s.createNamespace("fuzz");
            Generator gen = new Generator(s.server.port(), s.server.adminPort(), namespace);
            LoggerFactory.getLogger(RequestFuzzTest.class).info("fuzz seed {} ({} cases)", SEED, CASES);
            errors.start();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                for (int i = 0; i < CASES; i++) {
                    if (ONLY >= 0 && i != ONLY) {
                        continue;
                    }
                    Case c = gen.generate(i);
                    pool.execute(() -> run(c));
                }
                if (ONLY < 0) {
                    for (Case c : gen.foundBefore()) {
                        pool.execute(() -> run(c));
                    }
                }
            } finally {
                pool.shutdown();
                assertTrue(pool.awaitTermination(5, TimeUnit.MINUTES), "the fuzz run did not finish");
            }
            errors.stop();
            assertTrue(failures.isEmpty(), failures.size() + " failing case(s), seed " + SEED + ":\n"
                    + String.join("\n", failures.subList(0, Math.min(30, failures.size()))));
            assertEquals("", errors.text(), "the server logged errors while fuzzed (seed " + SEED + ")");
            if (ONLY < 0) {
                assertTrue(echoed.get() > CASES / 5, "only " + echoed + " requests reached the workers; statuses: "
                        + statuses);
            }

            // The server still serves, and the admin API still knows its scripts.
            HttpResponse<String> echo = s.get("echo.localhost", "/after?x=1");
            assertEquals(200, echo.statusCode(), echo.body());
            JsonObject answer = new JsonObject(echo.body());
            assertEquals("http://echo.localhost/after?x=1", answer.getString("url"));
            assertEquals(0, answer.getInteger("length"));
            HttpResponse<String> list = s.adminGet("/v1/scripts");
            assertEquals(200, list.statusCode(), list.body());
            Set<String> listed = new TreeSet<>();
            for (Object o : new JsonObject(list.body()).getJsonArray("scripts")) {
                listed.add(((JsonObject) o).getString("name"));
            }
            Set<String> expected = new TreeSet<>(createdScripts);
            expected.add("echo");
            expected.add("stream");
            assertEquals(expected, listed);
            assertOnlyTheApiWroteFiles(root, data, expected);
        } finally {
            errors.stop();
            deleteTree(root);
        }
    }

    /** The data directory holds the scripts the API created and the KV store; nothing exists beside it. */
    private static void assertOnlyTheApiWroteFiles(Path root, Path data, Set<String> scripts) throws IOException {
        try (Stream<Path> top = Files.list(root)) {
            assertEquals(List.of(data), top.toList(), "files appeared beside the data directory");
        }
        Set<String> entries = new TreeSet<>();
        try (Stream<Path> list = Files.list(data)) {
            list.forEach(p -> entries.add(p.getFileName().toString()));
        }
        assertEquals(Set.of("kv", "scripts"), entries, "the data directory's top level");
        Set<String> scriptDirs = new TreeSet<>();
        try (Stream<Path> list = Files.list(data.resolve("scripts"))) {
            list.forEach(p -> scriptDirs.add(p.getFileName().toString()));
        }
        assertEquals(scripts, scriptDirs, "script folders");
    }

    // ---- running a case

    private void run(Case c) {
        try (Socket socket = RawHttp.connect(c.admin() ? adminPort : trafficPort, READ_TIMEOUT_MS)) {
            boolean written = RawHttp.write(socket, c.bytes());
            List<RawHttp.Answer> answers;
            switch (c.mode()) {
                case ANSWERED -> answers = readAnswers(socket, c, c.expect().size());
                case GARBAGE -> {
                    halfClose(socket);
                    answers = readUntilClosed(socket, c);
                }
                default -> {
                    answers = readBriefly(socket, c);
                }
            }
            if (answers == null) {
                return;
            }
            for (int i = 0; i < answers.size(); i++) {
                check(c, i, answers.get(i));
            }
            if (c.mode() == Mode.ANSWERED && answers.size() < c.expect().size()) {
                fail(c, "only " + answers.size() + " of " + c.expect().size() + " answers"
                        + (written ? "" : " (the server closed while the request was written)"));
            }
            if (c.createdScript() != null && !answers.isEmpty() && answers.get(0).status() == 200) {
                createdScripts.add(c.createdScript());
            }
        } catch (IOException | RuntimeException e) {
            fail(c, "client error: " + e);
        }
    }

    private int trafficPort;
    private int adminPort;

    private List<RawHttp.Answer> readAnswers(Socket socket, Case c, int count) throws IOException {
        List<RawHttp.Answer> answers = new ArrayList<>();
        InputStream in = socket.getInputStream();
        for (int i = 0; i < count; i++) {
            RawHttp.Answer a;
            try {
                a = RawHttp.read(in, new String(c.bytes(), 0, Math.min(5, c.bytes().length),
                        StandardCharsets.ISO_8859_1).equals("HEAD "));
            } catch (IOException e) {
                fail(c, "answer " + i + " unreadable: " + e.getMessage());
                return null;
            }
            if (a.timedOut()) {
                fail(c, "no answer " + i + " within " + READ_TIMEOUT_MS + " ms (hang)");
                return null;
            }
            if (!a.responded()) {
                break;
            }
            answers.add(a);
            if ("close".equalsIgnoreCase(RawHttp.header(a.head(), "connection"))) {
                break;
            }
        }
        return answers;
    }

    /** Everything the server sends until it closes, split into responses as far as they parse. */
    private List<RawHttp.Answer> readUntilClosed(Socket socket, Case c) {
        byte[] all;
        try {
            all = readAll(socket.getInputStream());
        } catch (SocketTimeoutException e) {
            fail(c, "the server neither answered nor closed within " + READ_TIMEOUT_MS + " ms of the client's EOF");
            return null;
        } catch (IOException e) {
            return List.of(); // reset
        }
        return parseAnswers(all);
    }

    /** An abandoned request: whatever came within a short while, then the client closes. */
    private List<RawHttp.Answer> readBriefly(Socket socket, Case c) throws IOException {
        socket.setSoTimeout(50);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = socket.getInputStream().read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // the client gives up here
        } catch (IOException e) {
            // reset
        }
        return parseAnswers(out.toByteArray());
    }

    private static List<RawHttp.Answer> parseAnswers(byte[] all) {
        List<RawHttp.Answer> answers = new ArrayList<>();
        InputStream in = new ByteArrayInputStream(all);
        while (true) {
            try {
                RawHttp.Answer a = RawHttp.read(in, false);
                if (!a.responded()) {
                    return answers;
                }
                answers.add(a);
            } catch (IOException | RuntimeException e) {
                if (answers.isEmpty() && all.length > 0 && RawHttp.status(new String(all, 0, Math.min(all.length, 16),
                        StandardCharsets.ISO_8859_1)) > 0) {
                    // a response head cut short: keep its status
                    answers.add(new RawHttp.Answer(RawHttp.status(new String(all, StandardCharsets.ISO_8859_1)),
                            new String(all, StandardCharsets.ISO_8859_1), new byte[0], false, false));
                }
                return answers;
            }
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private void check(Case c, int index, RawHttp.Answer a) {
        Expect e = index < c.expect().size() ? c.expect().get(index) : Expect.any();
        int status = a.status();
        statuses.computeIfAbsent(status, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        if (status >= 500 && !e.alsoAllowed().contains(status)) {
            fail(c, "answer " + index + " is a 5xx: " + a);
            return;
        }
        if (e.status() != 0 && status != e.status() && !e.alsoAllowed().contains(status)) {
            fail(c, "answer " + index + ": expected " + e.status() + ", got " + a);
            return;
        }
        if (e.echoedLength() >= 0 && status == 200) {
            try {
                int length = new JsonObject(a.bodyText()).getInteger("length");
                if (length != e.echoedLength()) {
                    fail(c, "answer " + index + ": the worker saw " + length + " body bytes, " + e.echoedLength()
                            + " were sent");
                } else {
                    echoed.incrementAndGet();
                }
            } catch (RuntimeException x) {
                fail(c, "answer " + index + " is not the echo's JSON: " + a);
            }
        }
    }

    private void fail(Case c, String why) {
        failures.add("case " + c.number() + " [" + c.kind() + "] " + why + "\n    sent: " + preview(c.bytes()));
    }

    private static String preview(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, 240); i++) {
            int b = bytes[i] & 0xff;
            if (b == '\r') {
                sb.append("\\r");
            } else if (b == '\n') {
                sb.append("\\n");
            } else if (b < 0x20 || b >= 0x7f) {
                sb.append(String.format("\\x%02x", b));
            } else {
                sb.append((char) b);
            }
        }
        return sb + (bytes.length > 240 ? "... (" + bytes.length + " bytes)" : "");
    }

    private static void halfClose(Socket socket) {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            // the server closed already
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Collections.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---- generating cases

    /** Makes case {@code n} from the seed and {@code n} alone. */
    final class Generator {

        private final String namespace;

        Generator(int trafficPort, int adminPort, String namespace) {
            RequestFuzzTest.this.trafficPort = trafficPort;
            RequestFuzzTest.this.adminPort = adminPort;
            this.namespace = namespace;
        }

        Case generate(int n) {
            Random r = new Random(SEED * 1_000_003L + n);
            int pick = r.nextInt(100);
            if (pick < 35) {
                return wellFormed(n, r);
            } else if (pick < 55) {
                return malformedTraffic(n, r);
            } else if (pick < 62) {
                return pipeline(n, r);
            } else if (pick < 67) {
                return oddBytes(n, r);
            }
            return adminCase(n, r);
        }

        /** Cases that found bugs (with other seeds), kept whatever the seed. Numbered from -1 down. */
        List<Case> foundBefore() {
            String auth = "Authorization: Bearer " + TestServer.TOKEN + "\r\n";
            String multipart = "--bnd\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n{}\r\n--bnd--\r\n";
            return List.of(
                    // was a 500: Netty's multipart decoder threw IndexOutOfBoundsException on an empty boundary
                    answered(-1, "multipart with an empty boundary", "PUT /v1/scripts/empty-boundary HTTP/1.1\r\n"
                            + "Host: 127.0.0.1\r\n" + auth + "Content-Type: multipart/form-data; boundary=\r\n"
                            + "Content-Length: " + multipart.length() + "\r\nConnection: close\r\n\r\n" + multipart,
                            Expect.status(400)).asAdmin(),
                    // were Vert.x's 501 Not Implemented, with the client's version echoed in the status line
                    answered(-2, "HTTP/9.9", "GET / HTTP/9.9\r\nHost: echo.localhost\r\n\r\n",
                            new Expect(505, -1, Set.of(505))),
                    answered(-3, "HTTP/2.0 in an HTTP/1 request line", "GET / HTTP/2.0\r\nHost: echo.localhost\r\n\r\n",
                            new Expect(505, -1, Set.of(505))),
                    answered(-4, "lower-case version", "GET / http/1.1\r\nHost: echo.localhost\r\n\r\n",
                            Expect.status(400)),
                    answered(-5, "unknown protocol", "GET / HTTX/1.1\r\nHost: echo.localhost\r\n\r\n",
                            Expect.status(400)),
                    // was a 500 (and an ERROR log): Vert.x throws decoding a query parameter with a bad escape
                    answered(-6, "kv keys with a bad query escape", "GET /v1/kv/namespaces/" + namespace
                            + "/keys?limit=x&cursor=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth
                            + "Connection: close\r\n\r\n", Expect.status(400)).asAdmin());
        }

        // -- traffic

        private Case wellFormed(int n, Random r) {
            String host = r.nextBoolean() ? "echo.localhost" : "stream.localhost";
            String method = pickOf(r, "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PURGE");
            StringBuilder head = new StringBuilder(method).append(' ').append(target(r)).append(" HTTP/1.1\r\n");
            head.append("Host: ").append(host).append("\r\n");
            for (int i = r.nextInt(4); i > 0; i--) {
                head.append("X-F").append(i).append(": ").append(token(r, 1 + r.nextInt(40))).append("\r\n");
            }
            int length = r.nextInt(10) < 3 ? 0 : r.nextInt(r.nextBoolean() ? 100 : 40_000);
            byte[] body = randomBytes(r, length);
            int framing = r.nextInt(3);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (framing == 0 || method.equals("GET") && length == 0) {
                if (length > 0) {
                    head.append("Content-Length: ").append(length).append("\r\n");
                }
                out.writeBytes(RawHttp.ascii(head.append("\r\n").toString()));
                out.writeBytes(body);
                return new Case(n, method + " content-length " + length, false, out.toByteArray(), Mode.ANSWERED,
                        List.of(Expect.echo(length)), null);
            }
            if (framing == 1) {
                head.append("Content-Length: ").append(length).append("\r\n");
                out.writeBytes(RawHttp.ascii(head.append("\r\n").toString()));
                out.writeBytes(body);
                return new Case(n, method + " content-length " + length, false, out.toByteArray(), Mode.ANSWERED,
                        List.of(Expect.echo(length)), null);
            }
            head.append("Transfer-Encoding: chunked\r\n\r\n");
            out.writeBytes(RawHttp.ascii(head.toString()));
            out.writeBytes(chunked(r, body, r.nextInt(5) == 0));
            return new Case(n, method + " chunked " + length, false, out.toByteArray(), Mode.ANSWERED,
                    List.of(Expect.echo(length)), null);
        }

        private byte[] chunked(Random r, byte[] body, boolean trailers) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int at = 0;
            while (at < body.length) {
                int size = Math.min(body.length - at, 1 + r.nextInt(5000));
                String ext = r.nextInt(6) == 0 ? ";ext=" + token(r, 4) : "";
                out.writeBytes(RawHttp.ascii(Integer.toHexString(size) + ext + "\r\n"));
                out.write(body, at, size);
                out.writeBytes(RawHttp.ascii("\r\n"));
                at += size;
            }
            out.writeBytes(RawHttp.ascii(trailers ? "0\r\nX-Trailer: t\r\n\r\n" : "0\r\n\r\n"));
            return out.toByteArray();
        }

        private String target(Random r) {
            return switch (r.nextInt(6)) {
                case 0 -> "/";
                case 1 -> "/" + token(r, 1 + r.nextInt(30)) + "?q=" + token(r, r.nextInt(20));
                case 2 -> "/a/b/../c/./d%20e?x=%zz&y";
                case 3 -> "/" + "p".repeat(1 + r.nextInt(2000));
                case 4 -> "/%C3%A9t%C3%A9?%E2%82%AC";
                default -> "/x#fragment";
            };
        }

        private Case malformedTraffic(int n, Random r) {
            String host = "Host: echo.localhost\r\n";
            int kind = r.nextInt(30);
            return switch (kind) {
                case 0 -> garbage(n, "odd method", pickOf(r, "get", "G E T", "GET\t", "", "\u0000GET", "GÉT",
                        "A".repeat(300 + r.nextInt(5000)), token(r, 1 + r.nextInt(20)).toUpperCase())
                        + " / HTTP/1.1\r\n" + host + "\r\n");
                case 1 -> new Case(n, "odd version", false, RawHttp.ascii("GET / " + pickOf(r, "HTTP/9.9", "HTTP/0.9",
                        "", "HTTP/1.1 x", "http/1.1", "HTTP/1.", "HTTP/11", "HTTP/1.1\u0000", "HTTP/2.0", "HTTX/1.1",
                        "HTTP/1.2") + "\r\n" + host + "\r\n"), Mode.GARBAGE,
                        // 505 HTTP Version Not Supported: RFC 9110's answer to another major version
                        List.of(new Expect(0, -1, Set.of(505))), null);
                case 2 -> garbage(n, "HTTP/0.9", "GET /\r\n");
                case 3 -> answered(n, "absolute-form", "GET http://echo.localhost/abs?x=1 HTTP/1.1\r\n" + host
                        + "\r\n", Expect.echo(0));
                case 4 -> answered(n, "absolute-form other host", "GET http://stream.localhost/abs HTTP/1.1\r\n"
                        + host + "\r\n", Expect.any());
                case 5 -> garbage(n, "asterisk-form", pickOf(r, "OPTIONS", "GET") + " * HTTP/1.1\r\n" + host
                        + "\r\n");
                case 6 -> garbage(n, "control characters in target", "GET /a" + (char) r.nextInt(32) + "b HTTP/1.1\r\n"
                        + host + "\r\n");
                case 7 -> garbageBytes(n, "raw non-ASCII target", concat(RawHttp.ascii("GET /"),
                        highBytes(r, 1 + r.nextInt(20)), RawHttp.ascii(" HTTP/1.1\r\n" + host + "\r\n")));
                case 8 -> answeredAny(n, "huge URI", "GET /" + "u".repeat(4000 + r.nextInt(60_000)) + " HTTP/1.1\r\n"
                        + host + "\r\n");
                case 9 -> garbage(n, "header without colon", "GET / HTTP/1.1\r\n" + host + "NoColonHere\r\n\r\n");
                case 10 -> garbage(n, "whitespace before colon", "GET / HTTP/1.1\r\n" + host + "X-Bad : v\r\n\r\n");
                case 11 -> garbage(n, "NUL in header", "GET / HTTP/1.1\r\n" + host + "X-Nul: a\u0000b\r\n\r\n");
                case 12 -> garbage(n, "bare CR", "GET / HTTP/1.1\r\n" + host + "X-Cr: a\rb\r\n\r\n");
                case 13 -> garbage(n, "obs-fold", "GET / HTTP/1.1\r\n" + host + "X-Fold: a\r\n  folded\r\n\r\n");
                case 14 -> garbage(n, "duplicate Host", "GET / HTTP/1.1\r\n" + host + "Host: stream.localhost\r\n\r\n");
                case 15 -> garbage(n, "empty header name", "GET / HTTP/1.1\r\n" + host + ": v\r\n\r\n");
                case 16 -> garbageBytes(n, "non-ASCII header", concat(RawHttp.ascii("GET / HTTP/1.1\r\n" + host),
                        r.nextBoolean() ? RawHttp.ascii("X-Hi: ") : highBytes(r, 5), r.nextBoolean()
                                ? "é€".getBytes(StandardCharsets.UTF_8) : highBytes(r, 8),
                        RawHttp.ascii(r.nextBoolean() ? ": v\r\n\r\n" : "\r\n\r\n")));
                case 17 -> hugeHeaders(n, r, true);
                case 18 -> hugeHeaders(n, r, false);
                case 19 -> badChunked(n, r);
                case 20 -> badContentLength(n, r);
                case 21 -> abandoned(n, "truncated body", "POST / HTTP/1.1\r\n" + host + "Content-Length: "
                        + (100 + r.nextInt(50_000)) + "\r\n\r\n" + "x".repeat(r.nextInt(100)));
                case 22 -> abandoned(n, "truncated chunked body", "POST / HTTP/1.1\r\nHost: stream.localhost\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n" + "10\r\n0123456789");
                case 23 -> abandoned(n, "truncated head", "GET / HTTP/1.1\r\nHo");
                case 24 -> answered(n, "body larger than the limit", "POST / HTTP/1.1\r\n" + host + "Content-Length: "
                        + (MAX_BODY + 1 + r.nextInt(1 << 30)) + "\r\n\r\n", Expect.status(413));
                case 25 -> answered(n, "unknown host", "GET / HTTP/1.1\r\nHost: " + token(r, 8) + ".localhost\r\n\r\n",
                        Expect.status(404));
                case 26 -> answered(n, "no host", "GET / HTTP/1.0\r\n\r\n", Expect.any());
                case 27 -> answered(n, "loop header", "GET / HTTP/1.1\r\n" + host + "isoworker-hops: "
                        + pickOf(r, "99", "x", "-1", "99999999999999999999") + "\r\n\r\n",
                        new Expect(0, -1, Set.of(508)));
                case 28 -> garbage(n, "expect 100-continue then nothing", "POST / HTTP/1.1\r\n" + host
                        + "Expect: 100-continue\r\nContent-Length: 10\r\n\r\n");
                default -> garbage(n, "many headers", "GET / HTTP/1.1\r\n" + host + "X-M: v\r\n".repeat(
                        1 + r.nextInt(3000)) + "\r\n");
            };
        }

        private Case hugeHeaders(int n, Random r, boolean under) {
            int total = under ? HEADER_LIMIT - 8 * 1024 - r.nextInt(16 * 1024) : HEADER_LIMIT + 1 + r.nextInt(64 * 1024);
            StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\nHost: echo.localhost\r\n");
            boolean one = r.nextBoolean();
            while (head.length() < total) {
                int size = Math.min(one ? 200_000 : 1000, total - head.length());
                head.append("X-Big").append(head.length()).append(": ").append("b".repeat(Math.max(1, size))).append("\r\n");
            }
            head.append("\r\n");
            String kind = (under ? "headers just under " : "headers over ") + "128 KiB (" + head.length() + ")";
            return answered(n, kind, head.toString(), under ? Expect.echo(0) : Expect.status(431));
        }

        private Case badChunked(int n, Random r) {
            String head = "POST / HTTP/1.1\r\nHost: " + (r.nextBoolean() ? "echo" : "stream")
                    + ".localhost\r\nTransfer-Encoding: chunked\r\n\r\n";
            String body = pickOf(r,
                    "zz\r\nabc\r\n0\r\n\r\n",
                    "5\r\nabcde0\r\n\r\n",
                    "5\r\nabcdefgh\r\n0\r\n\r\n",
                    "ffffffffffffffffffff\r\nabc\r\n0\r\n\r\n",
                    "7fffffffffffffff\r\nabc",
                    "-5\r\nabcde\r\n0\r\n\r\n",
                    "5;\r\nabcde\r\n0\r\n\r\n",
                    " 5\r\nabcde\r\n0\r\n\r\n",
                    "5\nabcde\n0\n\n",
                    "3\r\nabc\r\n0\r\nX-Trailer: t\r\nbroken trailer\r\n\r\n",
                    "3\r\nabc\r\n0\r\nContent-Length: 99\r\n\r\n",
                    "0x5\r\nabcde\r\n0\r\n\r\n",
                    "\r\n\r\n",
                    "3\r\nabc\r\n");
            return garbage(n, "invalid chunked", head + body);
        }

        private Case badContentLength(int n, Random r) {
            String cl = pickOf(r,
                    "Content-Length: -1\r\n",
                    "Content-Length: abc\r\n",
                    "Content-Length: 9223372036854775808\r\n",
                    "Content-Length: 9223372036854775807\r\n",
                    "Content-Length: 99999999999999999999\r\n",
                    "Content-Length: 5\r\nContent-Length: 6\r\n",
                    "Content-Length: 5, 6\r\n",
                    "Content-Length: 5, 5\r\n",
                    "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
                    "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
                    "Content-Length: +5\r\n",
                    "Content-Length: 0x5\r\n",
                    "Content-Length:  5 \r\n",
                    "Content-Length: \r\n",
                    "Transfer-Encoding: gzip\r\n",
                    "Transfer-Encoding: chunked, identity\r\n",
                    "Transfer-Encoding: identity\r\n",
                    "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n");
            return garbage(n, "absurd framing " + cl.trim().replace("\r\n", " | "), "POST / HTTP/1.1\r\nHost: "
                    + (r.nextBoolean() ? "echo" : "stream") + ".localhost\r\n" + cl + "\r\nabcde");
        }

        private Case pipeline(int n, Random r) {
            int count = 2 + r.nextInt(4);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<Expect> expect = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Case one = wellFormed(n, r);
                out.writeBytes(one.bytes());
                expect.addAll(one.expect());
            }
            if (r.nextInt(3) == 0) {
                // a malformed request at the end: what came before is still answered
                out.writeBytes(RawHttp.ascii("GET / HTTP/1.1\r\nHost: echo.localhost\r\nBad Header\r\n\r\n"));
                return new Case(n, "pipeline of " + count + " then garbage", false, out.toByteArray(), Mode.GARBAGE,
                        expect, null);
            }
            return new Case(n, "pipeline of " + count, false, out.toByteArray(), Mode.ANSWERED, expect, null);
        }

        private Case oddBytes(int n, Random r) {
            return switch (r.nextInt(4)) {
                case 0 -> garbageBytes(n, "random bytes", randomBytes(r, 1 + r.nextInt(3000)));
                case 1 -> garbageBytes(n, "HTTP/2 preface", concat(RawHttp.ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
                        new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}, randomBytes(r, r.nextInt(200))));
                case 2 -> garbageBytes(n, "TLS client hello", concat(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xa5,
                        0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03}, randomBytes(r, 160)));
                default -> garbage(n, "empty lines then a request", "\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: echo.localhost"
                        + "\r\n\r\n");
            };
        }

        // -- admin

        private Case adminCase(int n, Random r) {
            String token = switch (r.nextInt(12)) {
                case 0 -> null;
                case 1 -> "Bearer wrong-token";
                case 2 -> "Bearer " + "t".repeat(5000 + r.nextInt(20_000));
                case 3 -> "bearer " + TestServer.TOKEN;
                case 4 -> "Bearer  " + TestServer.TOKEN;
                case 5 -> "Bearer " + TestServer.TOKEN + "x";
                case 6 -> "Basic " + TestServer.TOKEN;
                default -> "Bearer " + TestServer.TOKEN;
            };
            boolean authorized = token != null && token.regionMatches(true, 0, "Bearer ", 0, 7)
                    && token.substring(7).strip().equals(TestServer.TOKEN);
            int pick = r.nextInt(10);
            if (pick < 4) {
                return scriptsCase(n, r, token, authorized);
            } else if (pick < 8) {
                return kvCase(n, r, token, authorized);
            }
            String method = pickOf(r, "GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO");
            String path = pickOf(r, "/", "/v1", "/v1/", "/v2/scripts", "/v1/../etc/passwd", "/v1/%2e%2e/%2e%2e/etc",
                    "/v1/scripts/../../x", "//v1//scripts", "/v1/scripts?x=%zz", "/v1/%zz", "/" + token(r, 30),
                    "/v1/scripts/" + "%".repeat(1 + r.nextInt(5)), "*");
            return adminRequest(n, "admin " + method + " " + path, method, path, token, null, null, authorized
                    ? Expect.any() : unauthorized(token, path), null);
        }

        private Expect unauthorized(String token, String path) {
            if (path.equals("*")) {
                return Expect.any();
            }
            if (token != null && token.length() > 4000) {
                return new Expect(401, -1, Set.of(431)); // the admin listener's head limit is 8 KiB
            }
            return Expect.status(401);
        }

        private Case scriptsCase(int n, Random r, String token, boolean authorized) {
            String name = scriptName(r);
            boolean validName = name.matches("[a-z0-9][a-z0-9-]{0,62}");
            String method = pickOf(r, "PUT", "PUT", "PUT", "GET", "DELETE", "POST", "PATCH");
            String suffix = r.nextInt(5) == 0 ? "/versions" : "";
            String path = "/v1/scripts/" + name + suffix;
            String contentType = null;
            byte[] body = null;
            boolean goodUpload = false;
            if (method.equals("PUT") || method.equals("POST")) {
                int b = r.nextInt(8);
                if (b < 2) {
                    contentType = "application/javascript+module";
                    body = RawHttp.ascii(VALID_SCRIPT);
                    goodUpload = true;
                } else if (b < 4) {
                    contentType = "multipart/form-data; boundary=" + pickOf(r, "bnd", "", "\"bnd\"", "x".repeat(200),
                            "b;nd");
                    body = multipart(r);
                } else if (b < 6) {
                    contentType = pickOf(r, "application/javascript+module", "application/javascript", "text/plain",
                            "application/json", "", "garbage/\u0001");
                    body = pickOf(r, "export default {", "}{", "\u0000\u0001", "addEventListener('fetch', e => 1)",
                            "export default { fetch() { while (true) {} } };", "export default 42;")
                            .getBytes(StandardCharsets.UTF_8);
                } else {
                    contentType = "application/json";
                    body = json(r);
                }
            }
            if (method.equals("DELETE")) {
                // never one that exists: which of a PUT and a DELETE of one name runs first is up to the threads
                name = "del-" + name;
                path = "/v1/scripts/" + name + suffix;
            }
            boolean creates = goodUpload && authorized && validName && method.equals("PUT") && suffix.isEmpty();
            if (creates) {
                name = "fz-" + n;
                path = "/v1/scripts/" + name;
            }
            // an upload that the API accepts (a good one, or a random multipart body that happens to be valid)
            String created = method.equals("PUT") && suffix.isEmpty() ? name : null;
            Expect expect;
            if (contentType != null && contentType.chars().anyMatch(ch -> ch < 0x20)) {
                // a control character in a header: refused before anything else (but a head over the limit)
                expect = new Expect(400, -1, Set.of(431));
            } else if (!authorized) {
                expect = unauthorized(token, path);
            } else if (creates) {
                expect = Expect.status(200);
            } else if (!validName && (method.equals("PUT") || method.equals("GET") || method.equals("DELETE"))) {
                // refused by name; a path whose dot segments the router resolves away finds no endpoint
                expect = new Expect(400, -1, Set.of(404, 405));
            } else {
                expect = Expect.any();
            }
            return adminRequest(n, "scripts " + method + " " + path + (contentType == null ? "" : " " + contentType),
                    method, path, token, contentType, body, expect, created);
        }

        private String scriptName(Random r) {
            return switch (r.nextInt(14)) {
                case 0 -> "..";
                case 1 -> "..%2f..%2fetc";
                case 2 -> "%2e%2e";
                case 3 -> "%2E%2E%2F%2E%2E%2Fx";
                case 4 -> "a%2fb";
                case 5 -> "a%00b";
                case 6 -> "n".repeat(64 + r.nextInt(300));
                case 7 -> "UPPER";
                case 8 -> "-lead";
                case 9 -> "%C3%A9t%C3%A9";
                case 10 -> "a%5cb";
                case 11 -> "%";
                default -> token(r, 1 + r.nextInt(20)).toLowerCase();
            };
        }

        private Case kvCase(int n, Random r, String token, boolean authorized) {
            String id = pickOf(r, namespace, namespace, namespace, "0123456789abcdef0123456789abcdef", "..",
                    "%2e%2e", "..%2F..%2Fkv", "a%00b", "i".repeat(2000), "%zz", "");
            String key = pickOf(r, "k", "a%2Fb", "..%2F..%2Fx", "%00", "%zz", "k".repeat(600), "%F0%9F%98%80", "");
            String method = pickOf(r, "GET", "PUT", "POST", "DELETE", "PATCH");
            String path = switch (r.nextInt(8)) {
                case 0 -> "/v1/kv/namespaces";
                case 1 -> "/v1/kv/namespaces?page=" + pickOf(r, "0", "-1", "x", "99999999999") + "&per_page="
                        + pickOf(r, "0", "1001", "5", "abc");
                case 2 -> "/v1/kv/namespaces/" + id;
                case 3 -> "/v1/kv/namespaces/" + id + "/values/" + key + pickOf(r, "", "?expiration_ttl=x",
                        "?expiration=1", "?expiration_ttl=-5");
                case 4 -> "/v1/kv/namespaces/" + id + "/metadata/" + key;
                case 5 -> "/v1/kv/namespaces/" + id + "/keys?limit=" + pickOf(r, "0", "-1", "x", "1001", "10")
                        + "&cursor=" + pickOf(r, "", "zz", "%zz");
                case 6 -> "/v1/kv/namespaces/" + id + "/bulk" + pickOf(r, "", "/delete");
                default -> "/v1/kv/" + pickOf(r, "", "x", "namespaces/", "namespaces//values/");
            };
            String contentType = null;
            byte[] body = null;
            if (!method.equals("GET") && r.nextInt(4) != 0) {
                if (r.nextInt(3) == 0) {
                    contentType = "multipart/form-data; boundary=bnd";
                    body = multipart(r);
                } else {
                    contentType = pickOf(r, "application/json", "text/plain", "application/octet-stream");
                    body = json(r);
                }
            }
            return adminRequest(n, "kv " + method + " " + path, method, path, token, contentType, body,
                    authorized ? Expect.any() : unauthorized(token, path), null);
        }

        private byte[] json(Random r) {
            return switch (r.nextInt(12)) {
                case 0 -> RawHttp.ascii("{");
                case 1 -> RawHttp.ascii("[1,");
                case 2 -> RawHttp.ascii("\"x");
                case 3 -> RawHttp.ascii("[".repeat(2000 + r.nextInt(50_000)));
                case 4 -> RawHttp.ascii("{\"a\":".repeat(2000) + "1" + "}".repeat(2000));
                case 5 -> RawHttp.ascii("{\"title\":" + pickOf(r, "1", "null", "\"\"", "[]", "\"" + "t".repeat(600) + "\"")
                        + "}");
                case 6 -> RawHttp.ascii("[{\"key\":\"k\",\"value\":\"v\",\"expiration\":\"x\"}]");
                case 7 -> RawHttp.ascii("[{\"key\":1,\"value\":{}}]");
                case 8 -> RawHttp.ascii("[{\"key\":\"k\",\"value\":\"!!\",\"base64\":true}]");
                case 9 -> RawHttp.ascii("[\"k\", 1, null]");
                case 10 -> randomBytes(r, r.nextInt(500));
                default -> RawHttp.ascii("{\"title\":\"t" + r.nextInt(1_000_000) + "\"}");
            };
        }

        private byte[] multipart(Random r) {
            String metadata = pickOf(r, "{\"main_module\":\"index.js\"}", "{", "[]", "{\"main_module\":\"../x.js\"}",
                    "{\"main_module\":\"index.js\",\"bindings\":[{\"type\":\"kv_namespace\",\"name\":\"KV\","
                            + "\"namespace_id\":\"../../x\"}]}",
                    "{\"main_module\":\"index.js\",\"bindings\":[{\"type\":\"secret_text\",\"name\":\"S\"}]}",
                    "{\"main_module\":\"index.js\",\"limits\":{\"cpu_ms\":-1}}");
            String part = "--bnd\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json"
                    + "\r\n\r\n" + metadata + "\r\n--bnd\r\nContent-Disposition: form-data; name=\""
                    + pickOf(r, "index.js", "../index.js", "/abs.js", "a\\b.js", "") + "\"; filename=\"index.js\"\r\n"
                    + "Content-Type: " + pickOf(r, "application/javascript+module", "text/plain", "x/y", "") + "\r\n\r\n"
                    + VALID_SCRIPT + "\r\n";
            return RawHttp.ascii(switch (r.nextInt(6)) {
                case 0 -> part + "--bnd--\r\n";
                case 1 -> part; // no closing boundary
                case 2 -> part.substring(0, r.nextInt(part.length())); // truncated
                case 3 -> "--other\r\n\r\nx\r\n--other--\r\n";
                case 4 -> "--bnd--\r\n"; // no parts
                default -> "--bnd\r\nContent-Disposition: form-data\r\n\r\nnameless\r\n--bnd--\r\n";
            });
        }

        private Case adminRequest(int n, String kind, String method, String path, String token, String contentType,
                byte[] body, Expect expect, String created) {
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1\r\n");
            if (token != null) {
                head.append("Authorization: ").append(token).append("\r\n");
            }
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            byte[] bytes = body == null ? RawHttp.ascii(head.toString()) : concat(RawHttp.ascii(head.toString()), body);
            return new Case(n, kind, true, bytes, path.equals("*") ? Mode.GARBAGE : Mode.ANSWERED, List.of(expect),
                    created);
        }

        // -- helpers

        private Case answered(int n, String kind, String request, Expect expect) {
            return new Case(n, kind, false, RawHttp.ascii(request), Mode.ANSWERED, List.of(expect), null);
        }

        private Case answeredAny(int n, String kind, String request) {
            return answered(n, kind, request, Expect.any());
        }

        private Case garbage(int n, String kind, String request) {
            return garbageBytes(n, kind, request.getBytes(StandardCharsets.UTF_8));
        }

        private Case garbageBytes(int n, String kind, byte[] bytes) {
            return new Case(n, kind, false, bytes, Mode.GARBAGE, List.of(), null);
        }

        private Case abandoned(int n, String kind, String request) {
            return new Case(n, kind, false, RawHttp.ascii(request), Mode.ABANDONED, List.of(), null);
        }
    }

    @SafeVarargs
    private static <T> T pickOf(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }

    private static String token(Random r, int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static byte[] randomBytes(Random r, int length) {
        byte[] b = new byte[length];
        r.nextBytes(b);
        return b;
    }

    private static byte[] highBytes(Random r, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (0x80 + r.nextInt(0x80));
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Collects every event logged at ERROR, by any logger, while started. */
    static final class ErrorLog {
        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
        private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getLevel().isGreaterOrEqual(Level.ERROR) && !workerException(event)) {
                    events.add(event);
                }
            }
        };

        /**
         * A worker's own uncaught exception, which the server reports at ERROR as Workers does: here the fuzzed
         * workers' body reads fail when a client goes away mid-body or the server refuses a body that grew past
         * the limit. Not a server error.
         */
        private static boolean workerException(ILoggingEvent event) {
            return event.getLoggerName().endsWith(".VertxResponseSink")
                    && event.getFormattedMessage().contains(": uncaught exception: ");
        }

        void start() {
            appender.start();
            root.addAppender(appender);
        }

        void stop() {
            root.detachAppender(appender);
        }

        String text() {
            StringBuilder sb = new StringBuilder();
            for (ILoggingEvent e : events.subList(0, Math.min(events.size(), 20))) {
                sb.append(e.getLoggerName()).append(": ").append(e.getFormattedMessage()).append('\n');
                if (e.getThrowableProxy() != null) {
                    String trace = ThrowableProxyUtil.asString(e.getThrowableProxy());
                    sb.append(trace, 0, Math.min(trace.length(), 1500)).append('\n');
                }
            }
            return sb.toString();
        }
    }
}
