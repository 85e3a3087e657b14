package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/** request.cf of incoming and worker-built requests, and CF-Connecting-IP from the socket or a trusted proxy. */
class RequestCfTest {

    static final String ECHO = """
            export default {
              fetch(request) {
                const cf = request.cf;
                const built = new Request('https://example.com/', { cf: { cacheTtl: 5, custom: 'x' } });
                const copied = new Request(request);
                return Response.json({
                  cf, same: request.cf === cf, keys: Object.keys(cf),
                  ip: request.headers.get('cf-connecting-ip'),
                  forwarded: request.headers.get('x-forwarded-for'),
                  built: built.cf, builtClone: built.clone().cf, plain: new Request('https://example.com/').cf === undefined,
                  copiedColo: copied.cf.colo, clonedColo: request.clone().cf.colo,
                });
              },
            };
            """;

    static JsonObject call(TestServer s, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.traffic("/"))).header("host", "cf.localhost");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = s.send(b.GET());
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    @Test
    void incomingRequestsCarryWhatThisNodeKnows() throws Exception {
        try (TestServer s = TestServer.start("colo", "test-colo")) {
            s.deploy("cf", ECHO);
            JsonObject r = call(s);
            JsonObject cf = r.getJsonObject("cf");
            assertEquals("test-colo", cf.getString("colo"));
            assertEquals("HTTP/1.1", cf.getString("httpProtocol"));
            assertEquals("", cf.getString("tlsVersion"));
            assertEquals("", cf.getString("tlsCipher"));
            assertFalse(cf.containsKey("asn"));
            assertFalse(cf.containsKey("country"));
            assertFalse(cf.containsKey("clientTcpRtt"));
            assertTrue(r.getBoolean("same"));
            assertEquals("{\"cacheTtl\":5,\"custom\":\"x\"}", r.getJsonObject("built").encode());
            assertEquals("{\"cacheTtl\":5,\"custom\":\"x\"}", r.getJsonObject("builtClone").encode());
            assertTrue(r.getBoolean("plain"));
            assertEquals("test-colo", r.getString("copiedColo"));
            assertEquals("test-colo", r.getString("clonedColo"));
        }
    }

    @Test
    void http2IsReported() throws Exception {
        // HTTP/2 has no Host header: the client sends :authority 127.0.0.1:PORT, which this route matches.
        try (TestServer s = TestServer.start("route", "127.0.0.1/*=cf");
                HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                        .connectTimeout(Duration.ofSeconds(10)).build()) {
            s.deploy("cf", ECHO);
            HttpResponse<String> r = h2.send(HttpRequest.newBuilder(URI.create(s.traffic("/")))
                    .timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(HttpClient.Version.HTTP_2, r.version());
            assertEquals("HTTP/2", new JsonObject(r.body()).getJsonObject("cf").getString("httpProtocol"));
        }
    }

    @Test
    void theDefaultColoIsLocal() throws Exception {
        try (TestServer s = TestServer.start()) {
            s.deploy("cf", ECHO);
            assertEquals("local", call(s).getJsonObject("cf").getString("colo"));
        }
    }

    @Test
    void connectingIpIsTheSocketPeerAndTheClientsOwnHeaderIsIgnored() throws Exception {
        try (TestServer s = TestServer.start()) {
            s.deploy("cf", ECHO);
            assertEquals("127.0.0.1", call(s).getString("ip"));
            JsonObject spoofed = call(s, "CF-Connecting-IP", "6.6.6.6", "X-Forwarded-For", "1.2.3.4");
            assertEquals("127.0.0.1", spoofed.getString("ip"), "no proxy is trusted by default");
            assertEquals("1.2.3.4", spoofed.getString("forwarded"));
        }
    }

    @Test
    void forwardedForIsBelievedOnlyFromATrustedProxy() throws Exception {
        try (TestServer s = TestServer.start("trusted-proxies", "10.0.0.0/8, 127.0.0.1/32")) {
            s.deploy("cf", ECHO);
            assertEquals("127.0.0.1", call(s).getString("ip"), "no X-Forwarded-For: the peer");
            assertEquals("1.2.3.4", call(s, "X-Forwarded-For", "9.9.9.9, 1.2.3.4").getString("ip"),
                    "the last hop the trusted proxy saw");
            assertEquals("1.2.3.4", call(s, "X-Forwarded-For", "9.9.9.9, 1.2.3.4, 10.1.2.3").getString("ip"),
                    "trusted hops are skipped");
            assertEquals("2001:db8::1", call(s, "X-Forwarded-For", "2001:db8::1").getString("ip"));
            assertEquals("5.6.7.8", call(s, "CF-Connecting-IP", "6.6.6.6", "X-Forwarded-For", "5.6.7.8")
                    .getString("ip"), "the client's own CF-Connecting-IP is ignored");
            assertEquals("127.0.0.1", call(s, "X-Forwarded-For", "not-an-address").getString("ip"));
        }
        try (TestServer s = TestServer.start("trusted-proxies", "10.0.0.0/8")) {
            s.deploy("cf", ECHO);
            assertEquals("127.0.0.1", call(s, "X-Forwarded-For", "1.2.3.4").getString("ip"),
                    "the peer is not one of the trusted proxies");
        }
    }
}
