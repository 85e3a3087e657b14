package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/**
 * Safe egress: destinations in the host's own networks and the server's own listeners are refused unless
 * egress-allow names them, after DNS and on every redirect hop; the hop header stops a worker fetching itself.
 * Nothing here leaves loopback: refused destinations are refused before any connection is made.
 */
class EgressTest {

    static Upstream allowed;
    static Upstream other;

    @BeforeAll
    static void start() throws Exception {
        allowed = new Upstream();
        other = new Upstream();
    }

    @AfterAll
    static void stop() {
        allowed.close();
        other.close();
    }

    private static final String ATTEMPT = """
            async function attempt(url) {
              try { const res = await fetch(url); await res.text(); return 'status ' + res.status; }
              catch (e) { return e.constructor.name + ': ' + e.message; }
            }
            """;

    private static JsonObject run(TestServer s, String name, String script) throws Exception {
        s.deploy(name, script);
        HttpResponse<String> r = s.get(name + ".localhost", "/");
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    @Test
    void privateLoopbackAndLinkLocalDestinationsAreRefusedByDefault() throws Exception {
        int o = other.port();
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("http://127.0.0.1:" + o + "/echo", "127.0.0.1 is a loopback address");
        expected.put("http://10.0.0.1/", "10.0.0.1 is a private address");
        expected.put("http://192.168.1.1/", "is a private address");
        expected.put("http://172.16.0.1/", "is a private address");
        expected.put("http://169.254.169.254/latest/meta-data/", "the link-local cloud metadata address");
        expected.put("http://169.254.1.2/", "a link-local address");
        expected.put("http://[::1]:" + o + "/", "a loopback address");
        expected.put("http://localhost:" + o + "/echo", "127.0.0.1 is a loopback address");
        expected.put("http://[::ffff:127.0.0.1]:" + o + "/", "a loopback address");
        expected.put("http://[::ffff:a9fe:a9fe]/", "the link-local cloud metadata address");
        expected.put("http://[64:ff9b::a00:1]/", "a private address (embedded in an IPv6 address)");
        expected.put("http://0.0.0.0:" + o + "/", "the unspecified address");
        expected.put("http://100.64.1.1/", "a shared (CGNAT) address");
        expected.put("http://[fd00::1]/", "a private address (unique local)");
        expected.put("http://[fe80::1]/", "a link-local address");
        expected.put("http://224.0.0.1/", "a multicast address");
        expected.put("http://255.255.255.255/", "the broadcast address");
        String redirectToMetadata = allowed.url("/redirect?status=302&to=http%3A%2F%2F169.254.169.254%2F");
        String redirectToLoopback = allowed.url("/redirect?status=307&to=http%3A%2F%2F127.0.0.1%3A" + o + "%2Fecho");
        expected.put(redirectToMetadata, "the link-local cloud metadata address");
        expected.put(redirectToLoopback, "127.0.0.1 is a loopback address");
        StringBuilder urls = new StringBuilder();
        for (String url : expected.keySet()) {
            urls.append('\'').append(url).append("',");
        }
        try (TestServer s = TestServer.start("egress-allow", "127.0.0.1:" + allowed.port());
                LogCapture log = new LogCapture("io.isoworker.runtime.fetch.VertxOutboundHttp")) {
            JsonObject r = run(s, "egress-refused", ATTEMPT + """
                    export default {
                      async fetch() {
                        const out = { allowed: await attempt('%ALLOWED%') };
                        for (const url of [%URLS%]) out[url] = await attempt(url);
                        return Response.json(out);
                      },
                    };
                    """.replace("%ALLOWED%", allowed.url("/echo")).replace("%URLS%", urls));
            assertEquals("status 200", r.getString("allowed"));
            for (Map.Entry<String, String> e : expected.entrySet()) {
                String got = r.getString(e.getKey());
                assertTrue(got.startsWith("TypeError: Fetch to ") && got.contains(" refused: "), e.getKey() + " -> " + got);
                assertTrue(got.contains(e.getValue()), e.getKey() + " -> " + got);
                assertTrue(got.contains("egress-allow"), got);
            }
            assertTrue(log.await("script egress-refused: fetch to 169.254.169.254:80 refused"), log.text());
        }
    }

    @Test
    void ownListenersAreRefusedEvenInsideAnAllowedRangeAndTheHopHeaderStopsSelfFetchLoops() throws Exception {
        int port = Upstream.closedPort();
        try (TestServer s = TestServer.start("port", Integer.toString(port),
                "egress-allow", "127.0.0.0/8, 127.0.0.1:" + port, "route", "127.0.0.1/*=loop")) {
            int admin = s.server.adminPort();
            JsonObject r = run(s, "egress-own", ATTEMPT + """
                    export default {
                      async fetch() {
                        return Response.json({
                          upstream: await attempt('%UP%'),
                          admin: await attempt('http://127.0.0.1:%ADMIN%/v1/scripts'),
                          adminByName: await attempt('http://localhost:%ADMIN%/v1/scripts'),
                        });
                      },
                    };
                    """.replace("%UP%", other.url("/echo")).replace("%ADMIN%", Integer.toString(admin)));
            assertEquals("status 200", r.getString("upstream"));
            assertTrue(r.getString("admin").contains("is one of this server's own listeners"), r.getString("admin"));
            assertTrue(r.getString("adminByName").contains("is one of this server's own listeners"),
                    r.getString("adminByName"));

            s.deploy("loop", """
                    let served = 0;
                    export default {
                      async fetch(req) {
                        if (req.url.endsWith('/count')) return Response.json({ served });
                        served++;
                        const res = await fetch('http://127.0.0.1:%PORT%/again');
                        return new Response(res.body, { status: res.status });
                      },
                    };
                    """.replace("%PORT%", Integer.toString(port)));
            HttpResponse<String> looped = s.get("127.0.0.1", "/start");
            assertEquals(508, looped.statusCode(), looped.body());
            assertTrue(looped.body().contains("Loop detected"), looped.body());
            JsonObject count = new JsonObject(s.get("127.0.0.1", "/count").body());
            assertEquals(17, count.getInteger("served"));
        }
    }

    @Test
    void anAllowlistedIpv6HostPortIsReachedWithABracketedHostHeader() throws Exception {
        Upstream v6;
        try {
            v6 = new Upstream("::1");
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e);
            return;
        }
        try (v6; TestServer s = TestServer.start("egress-allow", "[::1]:" + v6.port())) {
            JsonObject r = run(s, "egress-v6", ATTEMPT + """
                    export default {
                      async fetch() {
                        const res = await fetch('http://[::1]:%PORT%/echo');
                        return Response.json({ host: (await res.json()).headers.host,
                          other: await attempt('http://[::1]:%OTHER%/echo') });
                      },
                    };
                    """.replace("%PORT%", Integer.toString(v6.port())).replace("%OTHER%", Integer.toString(other.port())));
            assertEquals("[::1]:" + v6.port(), r.getString("host"));
            assertTrue(r.getString("other").contains("::1 is a loopback address"), r.getString("other"));
        }
    }

    @Test
    void fetchSettingsComeFromTheEnvironmentAndTheFile() throws Exception {
        var c = io.isoworker.runtime.config.ServerConfig.load(Map.of(), Map.of(
                "ISOWORKER_SUBREQUESTS", "7",
                "ISOWORKER_EGRESS_ALLOW", "10.0.0.0/8, cache.internal:6379",
                "ISOWORKER_FETCH_IDLE_TIMEOUT_MS", "1234"));
        assertEquals(7, c.fetch().subrequests());
        assertEquals(1234, c.fetch().idleTimeoutMs());
        assertEquals(10_000, c.fetch().connectTimeoutMs());
        var egress = c.fetch().egress();
        java.net.InetAddress ten = java.net.InetAddress.getByAddress(new byte[] {10, 1, 2, 3});
        java.net.InetAddress loop = java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 9});
        assertEquals(null, egress.refusal("10.1.2.3", ten, 80));
        assertEquals(null, egress.refusal("cache.internal", loop, 6379));
        assertTrue(egress.refusal("cache.internal", loop, 6380).contains("loopback"));
        assertTrue(egress.refusal("192.168.0.1", java.net.InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, 0, 1}), 80)
                .contains("private"));

        java.nio.file.Path file = java.nio.file.Files.createTempFile("isoworker", ".json");
        try {
            java.nio.file.Files.writeString(file, "{\"egress-allow\": [\"192.168.0.0/16\"], \"subrequests\": 3}");
            var f = io.isoworker.runtime.config.ServerConfig.load(
                    Map.of("config", java.util.List.of(file.toString())), Map.of());
            assertEquals(3, f.fetch().subrequests());
            assertEquals(null, f.fetch().egress().refusal("192.168.0.1",
                    java.net.InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, 0, 1}), 80));
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void malformedAllowlistEntriesAreConfigErrors() {
        for (String bad : new String[] {"10.0.0.0/33", "example.com", "host:0", "1.2.3.4/x"}) {
            try {
                io.isoworker.runtime.config.ServerConfig.load(Map.of("egress-allow", java.util.List.of(bad)), Map.of());
                throw new AssertionError("accepted " + bad);
            } catch (io.isoworker.runtime.config.ServerConfig.ConfigException e) {
                assertTrue(e.getMessage().contains("egress-allow"), e.getMessage());
            }
        }
    }
}
