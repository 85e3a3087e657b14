package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slow clients (slowloris): a connection that has not sent a complete request head within {@code header-timeout-ms}
 * of connecting or of its previous response is closed, whatever trickle of bytes it sends, while other clients are
 * served; a client that sends its head in time is served however long its body or its response takes.
 */
class SlowClientTest {

    private static final int HEADER_TIMEOUT_MS = 1000;
    /** Far above the header timeout plus the check's granularity, far below anything else that would close. */
    private static final int BOUND_MS = 10_000;

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start("header-timeout-ms", String.valueOf(HEADER_TIMEOUT_MS), "connection-idle-timeout-s", "60");
        s.deploy("ok", """
                export default {
                  async fetch(request) {
                    const url = new URL(request.url);
                    if (url.pathname === '/slow') {
                      await new Promise((resolve) => setTimeout(resolve, 2500));
                    }
                    if (url.pathname === '/late-end') {
                      // every byte of the body is sent; the response itself ends 300 ms later
                      const { readable, writable } = new FixedLengthStream(2);
                      const writer = writable.getWriter();
                      writer.write(new TextEncoder().encode('ok'));
                      setTimeout(() => writer.close(), 300);
                      return new Response(readable);
                    }
                    const body = await request.text();
                    return new Response('ok ' + request.method + ' ' + url.pathname + ' ' + body.length);
                  },
                };
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    @Test
    void slowlorisConnectionsAreClosedWhileOthersAreServed() throws Exception {
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            slow.add(RawHttp.connect(i % 8 == 0 ? s.server.adminPort() : s.server.port(), BOUND_MS));
        }
        byte[] head = RawHttp.ascii("GET / HTTP/1.1\r\nHost: ok.localhost\r\nX-Slow: "
                + "a".repeat(200));
        AtomicBoolean stop = new AtomicBoolean();
        Thread dribbler = Thread.ofPlatform().daemon().start(() -> {
            // one byte per connection every 300 ms, a head that never ends
            for (int i = 0; !stop.get() && i < head.length; i++) {
                for (Socket socket : slow) {
                    if (!socket.isOutputShutdown()) {
                        try {
                            socket.getOutputStream().write(head[i]);
                        } catch (IOException e) {
                            closeOutput(socket);
                        }
                    }
                }
                sleep(300);
            }
        });
        try {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3 * HEADER_TIMEOUT_MS);
            int served = 0;
            while (System.nanoTime() < until) {
                HttpResponse<String> r = s.get("ok.localhost", "/normal");
                assertEquals(200, r.statusCode(), r.body());
                assertEquals("ok GET /normal 0", r.body());
                served++;
                Thread.sleep(100);
            }
            assertTrue(served > 3, "served " + served);
            long start = System.nanoTime();
            for (Socket socket : slow) {
                assertTrue(closedOr408(socket), "a slowloris connection was not closed within " + BOUND_MS + " ms");
            }
            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(BOUND_MS));
        } finally {
            stop.set(true);
            dribbler.join();
            for (Socket socket : slow) {
                socket.close();
            }
        }
        assertEquals(200, s.get("ok.localhost", "/after").statusCode());
    }

    @Test
    void aFirstHeadThatStopsHalfwayOrNeverStartsIsClosed() throws Exception {
        for (int port : new int[] {s.server.port(), s.server.adminPort()}) {
            for (String sent : new String[] {"", "GET / HTTP/1.1\r\nHost: ok.localhost\r\nX-Half: yes", "PRI * HTTP/2.0\r\n"}) {
                try (Socket socket = RawHttp.connect(port, BOUND_MS)) {
                    long start = System.nanoTime();
                    RawHttp.write(socket, RawHttp.ascii(sent));
                    assertEquals(-1, socket.getInputStream().read(), "closed without an answer: '" + sent + "'");
                    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    assertTrue(waited >= HEADER_TIMEOUT_MS - 100, "closed after " + waited + " ms");
                }
            }
        }
    }

    @Test
    void aLaterHeadThatStopsHalfwayGets408ThenTheConnectionCloses() throws Exception {
        for (int port : new int[] {s.server.port(), s.server.adminPort()}) {
            try (Socket socket = RawHttp.connect(port, BOUND_MS)) {
                InputStream in = socket.getInputStream();
                RawHttp.write(socket, RawHttp.ascii("GET /first HTTP/1.1\r\nHost: ok.localhost\r\n\r\n"));
                int first = RawHttp.read(in, false).status();
                assertTrue(first == 200 || first == 401, "first answer " + first);
                RawHttp.write(socket, RawHttp.ascii("GET / HTTP/1.1\r\nHost: ok.localhost\r\nX-Half: yes"));
                long start = System.nanoTime();
                RawHttp.Answer a = RawHttp.read(in, false);
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals(408, a.status(), a.toString());
                assertEquals("close", RawHttp.header(a.head(), "connection"));
                assertTrue(waited >= HEADER_TIMEOUT_MS - 100, "closed after " + waited + " ms");
                assertEquals(-1, in.read(), "then the server closes");
            }
        }
    }

    @Test
    void aHeadStartedBeforeThePreviousResponseEndedStillGets408() throws Exception {
        try (Socket socket = RawHttp.connect(s.server.port(), BOUND_MS)) {
            InputStream in = socket.getInputStream();
            RawHttp.write(socket, RawHttp.ascii("GET /late-end HTTP/1.1\r\nHost: ok.localhost\r\n\r\n"));
            RawHttp.Answer first = RawHttp.read(in, false);
            assertEquals(200, first.status(), first.toString());
            // the client has its whole answer (content-length 2) while the server has not ended the response yet
            RawHttp.write(socket, RawHttp.ascii("GET / HTTP/1.1\r\nHost: ok.localhost\r\nX-Half: yes"));
            RawHttp.Answer a = RawHttp.read(in, false);
            assertEquals(408, a.status(), a.toString());
            assertEquals(-1, in.read(), "then the server closes");
        }
    }

    @Test
    void aKeepAliveConnectionThatGoesQuietIsClosedWithoutAnAnswer() throws Exception {
        for (int port : new int[] {s.server.port(), s.server.adminPort()}) {
            try (Socket socket = RawHttp.connect(port, BOUND_MS)) {
                InputStream in = socket.getInputStream();
                String auth = "Authorization: Bearer " + TestServer.TOKEN + "\r\n";
                RawHttp.write(socket, RawHttp.ascii("GET /v1/scripts HTTP/1.1\r\nHost: ok.localhost\r\n" + auth + "\r\n"));
                assertEquals(200, RawHttp.read(in, false).status());
                // a second exchange on the same connection, then silence
                RawHttp.write(socket, RawHttp.ascii("GET /v1/scripts HTTP/1.1\r\nHost: ok.localhost\r\n" + auth + "\r\n"));
                assertEquals(200, RawHttp.read(in, false).status());
                long start = System.nanoTime();
                assertEquals(-1, in.read(), "closed, with no 408 on an idle connection");
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(waited >= HEADER_TIMEOUT_MS - 100, "closed after " + waited + " ms");
            }
        }
    }

    @Test
    void aHeadSentInTimeIsServedHoweverLongTheResponseOrTheBodyTakes() throws Exception {
        try (Socket socket = RawHttp.connect(s.server.port(), BOUND_MS)) {
            InputStream in = socket.getInputStream();
            // the worker waits 2.5 s before it answers: longer than the header timeout
            RawHttp.write(socket, RawHttp.ascii("GET /slow HTTP/1.1\r\nHost: ok.localhost\r\n\r\n"));
            RawHttp.Answer slowAnswer = RawHttp.read(in, false);
            assertEquals(200, slowAnswer.status(), slowAnswer.toString());
            assertEquals("ok GET /slow 0", slowAnswer.bodyText());
            // a body that arrives a byte every 300 ms, 3 s in all
            RawHttp.write(socket, RawHttp.ascii("POST /upload HTTP/1.1\r\nHost: ok.localhost\r\nContent-Length: 10\r\n\r\n"));
            for (int i = 0; i < 10; i++) {
                Thread.sleep(300);
                RawHttp.write(socket, new byte[] {'x'});
            }
            RawHttp.Answer upload = RawHttp.read(in, false);
            assertEquals(200, upload.status(), upload.toString());
            assertEquals("ok POST /upload 10", upload.bodyText());
            // the same connection still takes a request
            RawHttp.write(socket, RawHttp.ascii("GET /again HTTP/1.1\r\nHost: ok.localhost\r\n\r\n"));
            assertEquals("ok GET /again 0", RawHttp.read(in, false).bodyText());
        }
    }

    @Test
    void pipelinedRequestsAreAllAnswered() throws Exception {
        try (Socket socket = RawHttp.connect(s.server.port(), BOUND_MS)) {
            StringBuilder requests = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                requests.append("GET /p").append(i).append(" HTTP/1.1\r\nHost: ok.localhost\r\n\r\n");
            }
            RawHttp.write(socket, RawHttp.ascii(requests.toString()));
            for (int i = 0; i < 5; i++) {
                assertEquals("ok GET /p" + i + " 0", RawHttp.read(socket.getInputStream(), false).bodyText());
            }
        }
    }

    private static boolean closedOr408(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            byte[] answer = in.readAllBytes();
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            return answer.length == 0 || text.startsWith("HTTP/1.1 408 ");
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: the server closed while the client was still writing
        }
    }

    private static void closeOutput(Socket socket) {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            // already gone
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
