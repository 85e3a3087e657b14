package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The access log, the Prometheus endpoint and tails, through a running server. */
class ObservabilityTest {

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    private static final String LOGGING = """
            export default {
              async fetch(request, env) {
                const url = new URL(request.url);
                if (url.pathname === '/throw') {
                  throw new TypeError('bad thing ' + url.searchParams.get('n'));
                }
                console.log('hello from', request.method, url.pathname);
                console.warn({ careful: true });
                return new Response('logged', { status: url.pathname === '/created' ? 201 : 200 });
              },
            };
            """;

    @Test
    void everyRequestGetsOneAccessLogLine() throws Exception {
        s.deploy("obs-log", LOGGING);
        try (LogCapture log = new LogCapture("isoworker.access")) {
            assertEquals(201, s.get("obs-log.localhost", "/created?x=1").statusCode());
            assertEquals(500, s.get("obs-log.localhost", "/throw?n=1").statusCode());
            assertEquals(404, s.get("nobody.localhost", "/").statusCode());
            assertTrue(log.await("path=/throw?n=1"), log.text());
            assertTrue(log.await("script=- status=404"), log.text());
            String text = log.text();
            Matcher ok = Pattern.compile("INFO isoworker.access script=obs-log status=201 outcome=ok "
                    + "cpu_ms=(\\d+\\.\\d\\d) wall_ms=(\\d+\\.\\d\\d) method=GET path=/created\\?x=1 request=[0-9a-f]+ "
                    + "version=\\S+ cold=(true|false)\\n").matcher(text);
            assertTrue(ok.find(), text);
            assertTrue(Double.parseDouble(ok.group(1)) > 0, "the CPU of the request is measured: " + ok.group());
            assertTrue(Double.parseDouble(ok.group(2)) >= Double.parseDouble(ok.group(1)) - 0.01, ok.group());
            assertTrue(text.contains("script=obs-log status=500 outcome=exception"), text);
            assertTrue(text.contains("script=- status=404 outcome=refused reason=\"No worker named 'nobody' is "
                    + "deployed.\""), text);
            assertEquals(3, text.lines().count(), "one line per request: " + text);
        }
    }

    @Test
    void theLoggedStackNamesTheModuleAndLineWithoutTheModuleRoot() throws Exception {
        s.deploy("obs-stack", LOGGING);
        try (LogCapture log = new LogCapture("io.isoworker.runtime.traffic.VertxResponseSink")) {
            assertEquals(500, s.get("obs-stack.localhost", "/throw?n=2").statusCode());
            assertTrue(log.await("bad thing 2"), log.text());
            String text = log.text();
            Pattern frame = Pattern.compile("at (async )?(Object\\.)?fetch \\([\\w.-]+\\.m?js:5:\\d+\\)");
            assertTrue(frame.matcher(text).find(), text);
            assertTrue(!text.contains("/worker/"), "the host's log names the module, not its path inside: " + text);
        }
    }

    @Test
    void metricsCountRequestsPerScript() throws Exception {
        String kvId = s.createNamespace("obs-metrics");
        s.deployWithKv("obs-metrics", """
                export default {
                  async fetch(request, env) {
                    const path = new URL(request.url).pathname;
                    if (path === '/boom') throw new Error('boom');
                    await env.KV.put('k', 'v');
                    await env.KV.get('k');
                    await env.KV.get('k');
                    return new Response('ok');
                  },
                };
                """, "KV", kvId);
        HttpResponse<String> denied = s.send(HttpRequest.newBuilder(URI.create(s.admin("/metrics"))).GET());
        assertEquals(401, denied.statusCode(), "the metrics need the admin token");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, s.get("obs-metrics.localhost", "/").statusCode());
        }
        assertEquals(500, s.get("obs-metrics.localhost", "/boom").statusCode());
        String text = scrapeUntil("isoworker_requests_total{script=\"obs-metrics\",status=\"500\"} 1.0");
        assertTrue(text.contains("isoworker_requests_total{script=\"obs-metrics\",status=\"200\"} 3.0"), text);
        assertTrue(text.contains("isoworker_errors_total{outcome=\"exception\",script=\"obs-metrics\"} 1.0"), text);
        assertTrue(text.contains("isoworker_kv_operations_total{op=\"get\",script=\"obs-metrics\"} 6.0"), text);
        assertTrue(text.contains("isoworker_kv_operations_total{op=\"put\",script=\"obs-metrics\"} 3.0"), text);
        assertTrue(text.contains("isoworker_cold_starts_total{script=\"obs-metrics\"} 1.0"), text);
        assertTrue(text.contains("isoworker_cpu_seconds_count{script=\"obs-metrics\"} 4"), text);
        assertTrue(text.contains("isoworker_wall_seconds_count{script=\"obs-metrics\"} 4"), text);
        assertTrue(text.contains("isoworker_isolates_live{script=\"obs-metrics\"} 1.0"), text);
        assertTrue(text.contains("vertx_http_server_requests_total"), "Vert.x's own metrics: " + text);
    }

    private static String scrapeUntil(String fragment) throws Exception {
        String text = "";
        for (int i = 0; i < 100 && !text.contains(fragment); i++) {
            HttpResponse<String> r = s.adminGet("/metrics");
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
            text = r.body();
            if (!text.contains(fragment)) {
                Thread.sleep(50);
            }
        }
        assertTrue(text.contains(fragment), text);
        return text;
    }

    private static JsonObject startTail(String script, String body) throws Exception {
        HttpResponse<String> r = s.adminSend("POST", "/v1/scripts/" + script + "/tails", "text/plain",
                body.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        JsonObject tail = new JsonObject(r.body());
        assertTrue(tail.getString("url").startsWith("ws://127.0.0.1:"), r.body());
        assertTrue(tail.getString("id").length() >= 22, "an unguessable id: " + r.body());
        assertNotNull(tail.getString("expires_at"));
        return tail;
    }

    /** A WebSocket client that keeps what arrives. */
    private static final class Received implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final StringBuilder partial = new StringBuilder();
        volatile boolean closed;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed = true;
            return null;
        }

        JsonObject next() throws InterruptedException {
            String m = messages.poll(20, TimeUnit.SECONDS);
            assertNotNull(m, "no tail event within 20 s");
            return new JsonObject(m);
        }
    }

    @Test
    void aTailReceivesConsoleLinesExceptionsAndOneEventPerRequest() throws Exception {
        s.deploy("obs-tail", LOGGING);
        JsonObject tail = startTail("obs-tail", "{\"filters\":[]}");
        Received received = new Received();
        try (HttpClient http = HttpClient.newHttpClient()) {
            WebSocket ws = http.newWebSocketBuilder().subprotocols("trace-v1")
                    .buildAsync(URI.create(tail.getString("url")), received).get(10, TimeUnit.SECONDS);
            assertEquals("trace-v1", ws.getSubprotocol(), "the server echoes wrangler's subprotocol");
            ws.sendText("{\"debug\":false}", true).get(10, TimeUnit.SECONDS);
            assertEquals(201, s.send(HttpRequest.newBuilder(URI.create(s.traffic("/created?q=1")))
                    .header("host", "obs-tail.localhost").header("authorization", "Bearer secret")
                    .header("x-trace", "yes").GET()).statusCode());
            JsonObject event = received.next();
            assertEquals("ok", event.getString("outcome"), event.encodePrettily());
            assertEquals("obs-tail", event.getString("scriptName"));
            JsonObject request = event.getJsonObject("event").getJsonObject("request");
            assertEquals("GET", request.getString("method"));
            assertTrue(request.getString("url").endsWith("/created?q=1"), request.encode());
            assertEquals("yes", request.getJsonObject("headers").getString("x-trace"));
            assertEquals("REDACTED", request.getJsonObject("headers").getString("authorization"));
            assertEquals(201, event.getJsonObject("event").getJsonObject("response").getInteger("status"));
            JsonArray logs = event.getJsonArray("logs");
            assertEquals(2, logs.size(), logs.encode());
            assertEquals("hello from GET /created", logs.getJsonObject(0).getJsonArray("message").getString(0));
            assertEquals("log", logs.getJsonObject(0).getString("level"));
            assertEquals("{ careful: true }", logs.getJsonObject(1).getJsonArray("message").getString(0));
            assertEquals("warn", logs.getJsonObject(1).getString("level"));
            assertTrue(event.getLong("eventTimestamp") > 1_700_000_000_000L);
            assertEquals(0, event.getJsonArray("exceptions").size());

            assertEquals(500, s.get("obs-tail.localhost", "/throw?n=7").statusCode());
            JsonObject failed = received.next();
            assertEquals("exception", failed.getString("outcome"), failed.encodePrettily());
            JsonObject exception = failed.getJsonArray("exceptions").getJsonObject(0);
            assertEquals("TypeError", exception.getString("name"));
            assertEquals("bad thing 7", exception.getString("message"));

            // deleting the tail closes its socket
            HttpResponse<String> deleted = s.adminDelete("/v1/scripts/obs-tail/tails/" + tail.getString("id"));
            assertEquals(200, deleted.statusCode(), deleted.body());
            for (int i = 0; i < 100 && !received.closed; i++) {
                Thread.sleep(50);
            }
            assertTrue(received.closed, "the socket is closed when its tail is deleted");
            ws.abort();
        }
        assertEquals(0, new JsonObject(s.adminGet("/v1/scripts/obs-tail/tails").body()).getJsonArray("tails").size());
    }

    @Test
    void filtersChooseTheEvents() throws Exception {
        s.deploy("obs-filter", LOGGING);
        JsonObject tail = startTail("obs-filter",
                "{\"filters\":[{\"method\":[\"POST\"]},{\"outcome\":[\"ok\"]},{\"query\":\"/created\"}]}");
        Received received = new Received();
        try (HttpClient http = HttpClient.newHttpClient()) {
            WebSocket ws = http.newWebSocketBuilder().subprotocols("trace-v1")
                    .buildAsync(URI.create(tail.getString("url")), received).get(10, TimeUnit.SECONDS);
            assertEquals(200, s.get("obs-filter.localhost", "/other").statusCode()); // GET: left out
            assertEquals(500, s.send(HttpRequest.newBuilder(URI.create(s.traffic("/throw")))
                    .header("host", "obs-filter.localhost").POST(HttpRequest.BodyPublishers.noBody())).statusCode());
            assertEquals(200, s.send(HttpRequest.newBuilder(URI.create(s.traffic("/elsewhere")))
                    .header("host", "obs-filter.localhost").POST(HttpRequest.BodyPublishers.noBody())).statusCode());
            assertEquals(201, s.send(HttpRequest.newBuilder(URI.create(s.traffic("/created")))
                    .header("host", "obs-filter.localhost").POST(HttpRequest.BodyPublishers.noBody())).statusCode());
            JsonObject event = received.next();
            assertTrue(event.getJsonObject("event").getJsonObject("request").getString("url").endsWith("/created"),
                    "only the POST that ended ok and mentions /created: " + event.encode());
            assertEquals(null, received.messages.poll(300, TimeUnit.MILLISECONDS));
            ws.abort(); // else closing the client waits for the socket
        }
    }

    @Test
    void badTailRequestsAreRefusedClearly() throws Exception {
        s.deploy("obs-bad", LOGGING);
        HttpResponse<String> badFilter = s.adminSend("POST", "/v1/scripts/obs-bad/tails", "application/json",
                "{\"filters\":[{\"colour\":\"blue\"}]}".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, badFilter.statusCode(), badFilter.body());
        assertTrue(badFilter.body().contains("Unknown tail filter 'colour'"), badFilter.body());
        HttpResponse<String> noScript = s.adminSend("POST", "/v1/scripts/nope/tails", "application/json",
                "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(404, noScript.statusCode(), noScript.body());
        HttpResponse<String> unknownSocket = s.send(HttpRequest.newBuilder(URI.create(
                s.admin("/v1/tail/AAAAAAAAAAAAAAAAAAAAAA"))).header("x", "y").GET());
        assertEquals(400, unknownSocket.statusCode(), "a plain GET is not a WebSocket: " + unknownSocket.body());
        try (Socket socket = new Socket("127.0.0.1", adminPort())) {
            String head = handshake(socket, "AAAAAAAAAAAAAAAAAAAAAA");
            assertTrue(head.startsWith("HTTP/1.1 404"), "an unknown tail id is refused: " + head);
        }
    }

    @Test
    void wranglersUnmaskedFirstFrameAndPingsAreTolerated() throws Exception {
        s.deploy("obs-raw", LOGGING);
        JsonObject tail = startTail("obs-raw", "");
        try (Socket socket = new Socket("127.0.0.1", adminPort())) {
            socket.setSoTimeout(20_000);
            String head = handshake(socket, tail.getString("id"));
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            assertTrue(head.toLowerCase().contains("sec-websocket-protocol: trace-v1"), head);
            OutputStream out = socket.getOutputStream();
            // what wrangler sends first: a text frame without a mask, against RFC 6455
            byte[] debug = "{\"debug\":false}".getBytes(StandardCharsets.UTF_8);
            out.write(new byte[] {(byte) 0x81, (byte) debug.length});
            out.write(debug);
            // a masked ping, as wrangler sends every 10 s
            byte[] ping = "wrangler tail ping".getBytes(StandardCharsets.UTF_8);
            byte[] mask = {1, 2, 3, 4};
            out.write(new byte[] {(byte) 0x89, (byte) (0x80 | ping.length)});
            out.write(mask);
            for (int i = 0; i < ping.length; i++) {
                out.write(ping[i] ^ mask[i % 4]);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            Frame pong = readFrame(in);
            assertEquals(0xA, pong.opcode(), "a pong answers the ping");
            assertEquals("wrangler tail ping", new String(pong.payload(), StandardCharsets.UTF_8));
            assertEquals(201, s.get("obs-raw.localhost", "/created").statusCode());
            Frame event = readFrame(in);
            assertEquals(0x1, event.opcode());
            JsonObject json = new JsonObject(new String(event.payload(), StandardCharsets.UTF_8));
            assertEquals("hello from GET /created",
                    json.getJsonArray("logs").getJsonObject(0).getJsonArray("message").getString(0));
        }
    }

    private static int adminPort() {
        return URI.create(s.admin("/")).getPort();
    }

    /** Sends a WebSocket upgrade for tail {@code id}; returns the answer's head. */
    private static String handshake(Socket socket, String id) throws IOException {
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        OutputStream out = socket.getOutputStream();
        out.write(("GET /v1/tail/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: trace-v1\r\nUser-Agent: wrangler/4.86.0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private record Frame(int opcode, byte[] payload) {
    }

    private static Frame readFrame(InputStream in) throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
            throw new IOException("the socket closed");
        }
        long length = b1 & 0x7f;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | in.read();
            }
        }
        assertEquals(0, b1 & 0x80, "server frames are not masked");
        byte[] payload = in.readNBytes((int) length);
        return new Frame(b0 & 0x0f, payload);
    }

    @Test
    void aTailSeesCronRuns() throws Exception {
        s.deploy("obs-cron", """
                export default {
                  fetch() { return new Response('x'); },
                  scheduled(controller) { console.log('cron ran', controller.cron); },
                };
                """);
        JsonObject tail = startTail("obs-cron", "{\"filters\":[]}");
        Received received = new Received();
        try (HttpClient http = HttpClient.newHttpClient()) {
            WebSocket ws = http.newWebSocketBuilder().subprotocols("trace-v1")
                    .buildAsync(URI.create(tail.getString("url")), received).get(10, TimeUnit.SECONDS);
            s.server.cronTriggers().fire("obs-cron", "* * * * *", java.time.Instant.parse("2026-12-04T10:00:00Z"))
                    .get(20, TimeUnit.SECONDS);
            JsonObject event = received.next();
            assertEquals("* * * * *", event.getJsonObject("event").getString("cron"), event.encode());
            assertEquals(java.time.Instant.parse("2026-12-04T10:00:00Z").toEpochMilli(),
                    event.getJsonObject("event").getLong("scheduledTime"));
            assertEquals("cron ran * * * * *",
                    event.getJsonArray("logs").getJsonObject(0).getJsonArray("message").getString(0));
            ws.abort(); // else closing the client waits for the socket
        }
        String text = scrapeUntil("isoworker_cron_runs_total{script=\"obs-cron\"} 1.0");
        assertTrue(text.contains("isoworker_cron_failures_total{script=\"obs-cron\"} 0.0"), text);
    }
}
