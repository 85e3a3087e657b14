package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/** Request bodies reach the worker as a byte stream, chunk by chunk, with the size limit still enforced. */
class RequestBodyStreamingTest {

    static final int LIMIT = 8 << 20;

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start("cpu-ms", "60000", "max-request-body", Integer.toString(LIMIT));
        s.deploy("counter", """
                export default {
                  async fetch(request) {
                    const mode = request.url.slice(request.url.indexOf('/', 8) + 1);
                    let total = 0, chunks = 0, sum = 0;
                    if (mode === 'byob') {
                      const reader = request.body.getReader({ mode: 'byob' });
                      let buffer = new ArrayBuffer(65536);
                      for (;;) {
                        const { value, done } = await reader.read(new Uint8Array(buffer));
                        if (done) break;
                        chunks++;
                        total += value.byteLength;
                        for (let i = 0; i < value.length; i += 4096) sum = (sum + value[i]) | 0;
                        buffer = value.buffer;
                      }
                    } else {
                      for await (const chunk of request.body) {
                        chunks++;
                        total += chunk.byteLength;
                        for (let i = 0; i < chunk.length; i += 4096) sum = (sum + chunk[i]) | 0;
                      }
                    }
                    return Response.json({ total, chunks, isStream: request.body instanceof ReadableStream });
                  },
                };
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    static byte[] payload(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + (i >> 10));
        }
        return b;
    }

    private static HttpResponse<String> post(String host, String path, HttpRequest.BodyPublisher body)
            throws Exception {
        return s.send(HttpRequest.newBuilder(URI.create(s.traffic(path))).header("host", host).POST(body));
    }

    private static HttpRequest.BodyPublisher chunked(byte[] bytes) {
        // no length: the client sends Transfer-Encoding: chunked
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
    }

    @Test
    void severalMibArriveChunkByChunk() throws Exception {
        int size = 6 << 20;
        HttpResponse<String> r = post("counter.localhost", "/default", HttpRequest.BodyPublishers.ofByteArray(payload(size)));
        assertEquals(200, r.statusCode(), r.body());
        JsonObject answer = new JsonObject(r.body());
        assertEquals(size, answer.getInteger("total"), r.body());
        assertTrue(answer.getInteger("chunks") > 8, "the body should arrive in many chunks: " + r.body());
        assertEquals(true, answer.getBoolean("isStream"));
    }

    @Test
    void chunkedBodyIsStreamedToo() throws Exception {
        int size = 5 << 20;
        HttpResponse<String> r = post("counter.localhost", "/default", chunked(payload(size)));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(size, new JsonObject(r.body()).getInteger("total"), r.body());
    }

    @Test
    void byobReadsOfTheRequestBody() throws Exception {
        int size = 3 << 20;
        HttpResponse<String> r = post("counter.localhost", "/byob", HttpRequest.BodyPublishers.ofByteArray(payload(size)));
        assertEquals(200, r.statusCode(), r.body());
        JsonObject answer = new JsonObject(r.body());
        assertEquals(size, answer.getInteger("total"), r.body());
        assertTrue(answer.getInteger("chunks") > 1, r.body());
    }

    @Test
    void smallBodyReadBeforeDispatchIsAByteStreamToo() throws Exception {
        HttpResponse<String> r = post("counter.localhost", "/byob", HttpRequest.BodyPublishers.ofByteArray(payload(1000)));
        assertEquals(200, r.statusCode(), r.body());
        JsonObject answer = new JsonObject(r.body());
        assertEquals(1000, answer.getInteger("total"), r.body());
        assertEquals(true, answer.getBoolean("isStream"), r.body());
    }

    @Test
    void workerMayAnswerWithoutReadingTheBody() throws Exception {
        s.deploy("ignorer", """
                export default { fetch(request) { return new Response('ignored ' + request.method); } };
                """);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = post("ignorer.localhost", "/", HttpRequest.BodyPublishers.ofByteArray(payload(4 << 20)));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("ignored POST", r.body());
        }
        // the connection still serves requests after the unread bodies were dropped
        HttpResponse<String> after = s.get("ignorer.localhost", "/");
        assertEquals("ignored GET", after.body());
    }

    @Test
    void workerSeesTheFirstChunkBeforeTheClientHasSentTheRest() throws Exception {
        s.deploy("first-chunk", """
                export default {
                  async fetch(request) {
                    const { value } = await request.body.getReader().read();
                    return new Response('first chunk: ' + value.byteLength + ' bytes, starting with ' + value[0]);
                  },
                };
                """);
        // A raw client that sends one chunk and then waits: the answer must come while the body is still open.
        try (Socket socket = new Socket("127.0.0.1", s.server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: first-chunk.localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 200 OK", in.readLine());
            String line;
            int length = -1;
            while (!(line = in.readLine()).isEmpty()) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            char[] body = new char[length];
            int n = 0;
            while (n < length) {
                n += in.read(body, n, length - n);
            }
            assertEquals("first chunk: 5 bytes, starting with 104", new String(body));
            // the rest of the body is read and dropped, and the connection serves the next request
            out.write(("3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: first-chunk.localhost\r\n"
                    + "Content-Length: 2\r\n\r\nhi").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("HTTP/1.1 200 OK", in.readLine());
        }
    }

    @Test
    void echoedBodyStreamsBack() throws Exception {
        s.deploy("echo", """
                export default { fetch(request) { return new Response(request.body); } };
                """);
        byte[] body = payload(3 << 20);
        HttpResponse<byte[]> r = s.http.send(HttpRequest.newBuilder(URI.create(s.traffic("/")))
                .header("host", "echo.localhost").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertArrayEquals(body, r.body());
    }

    @Test
    void clonedRequestBodyIsReadTwice() throws Exception {
        s.deploy("cloner", """
                export default {
                  async fetch(request) {
                    const copy = request.clone();
                    const [a, b] = await Promise.all([request.text(), copy.arrayBuffer()]);
                    return Response.json({ a: a.length, b: b.byteLength, used: request.bodyUsed });
                  },
                };
                """);
        HttpResponse<String> r = post("cloner.localhost", "/", HttpRequest.BodyPublishers.ofString("x".repeat(100_000)));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(new JsonObject("{\"a\":100000,\"b\":100000,\"used\":true}"), new JsonObject(r.body()));
    }

    @Test
    void oversizeContentLengthIs413() throws Exception {
        HttpResponse<String> r = post("counter.localhost", "/default",
                HttpRequest.BodyPublishers.ofByteArray(payload(LIMIT + 1)));
        assertEquals(413, r.statusCode(), r.body());
        assertEquals("Request body is larger than " + LIMIT + " bytes.", new JsonObject(r.body()).getString("error"));
    }

    @Test
    void oversizeChunkedBodyIs413() throws Exception {
        HttpResponse<String> r = post("counter.localhost", "/default", chunked(payload(LIMIT + (1 << 20))));
        assertEquals(413, r.statusCode(), r.body());
        assertEquals("Request body is larger than " + LIMIT + " bytes.", new JsonObject(r.body()).getString("error"));
    }
}
