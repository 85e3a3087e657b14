package io.isoworker.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flags win over ISOWORKER_* variables, which win over the JSON file, which wins over the defaults. */
class ServerConfigTest {

    @Test
    void defaults() {
        ServerConfig c = ServerConfig.load(Map.of(), Map.of());
        assertEquals("0.0.0.0", c.host());
        assertEquals(8787, c.port());
        assertEquals("127.0.0.1", c.adminHost());
        assertEquals(8788, c.adminPort());
        assertEquals(Path.of("./.isoworker"), c.dataDir());
        assertEquals("localhost", c.baseDomain());
        assertNull(c.adminToken());
        assertEquals(10L * 1024 * 1024, c.maxScriptSize());
        assertEquals(Duration.ofSeconds(1), c.isolates().startupCpuLimit());
        assertEquals(Duration.ofMillis(50), c.isolates().requestCpuLimit(), "50 ms per request by default");
        assertEquals(Duration.ofSeconds(30), c.isolates().maxRequestCpuLimit());
        assertEquals(1000, c.maxConcurrentRequests());
        assertTrue(c.eventLoops() >= 1);
        assertEquals("local", c.edge().colo());
        assertTrue(c.edge().trustedProxies().isEmpty());
    }

    @Test
    void listenerTimeouts() {
        ServerConfig defaults = ServerConfig.load(Map.of(), Map.of());
        assertEquals(10_000, defaults.listeners().headerTimeoutMillis());
        assertEquals(120, defaults.listeners().idleTimeoutSeconds());
        ServerConfig c = ServerConfig.load(Map.of("header-timeout-ms", List.of("1500")),
                Map.of("ISOWORKER_CONNECTION_IDLE_TIMEOUT_S", "30"));
        assertEquals(1500, c.listeners().headerTimeoutMillis());
        assertEquals(30, c.listeners().idleTimeoutSeconds());
        for (String name : new String[] {"header-timeout-ms", "connection-idle-timeout-s"}) {
            for (String bad : new String[] {"0", "-1", "soon"}) {
                assertThrows(ServerConfig.ConfigException.class,
                        () -> ServerConfig.load(Map.of(name, List.of(bad)), Map.of()), name + " " + bad);
            }
        }
    }

    @Test
    void kvSettings() {
        ServerConfig defaults = ServerConfig.load(Map.of("data-dir", List.of("/srv/iso")), Map.of());
        assertEquals(Path.of("/srv/iso/kv"), defaults.kv().directory());
        assertTrue(defaults.kv().syncCommits(), "durable by default");
        assertEquals(64L * 1024 * 1024, defaults.kv().cacheMaxBytes());
        ServerConfig c = ServerConfig.load(Map.of("kv-sync", List.of("false")), Map.of("ISOWORKER_KV_CACHE_MB", "0"));
        assertTrue(!c.kv().syncCommits());
        assertEquals(0, c.kv().cacheMaxBytes());
        assertThrows(ServerConfig.ConfigException.class,
                () -> ServerConfig.load(Map.of("kv-sync", List.of("sometimes")), Map.of()));
    }

    @Test
    void coloAndTrustedProxies() {
        ServerConfig c = ServerConfig.load(Map.of("colo", List.of("fra1")),
                Map.of("ISOWORKER_TRUSTED_PROXIES", "10.0.0.0/8,::1"));
        assertEquals("fra1", c.edge().colo());
        assertTrue(!c.edge().trustedProxies().isEmpty());
        assertThrows(ServerConfig.ConfigException.class,
                () -> ServerConfig.load(Map.of("trusted-proxies", List.of("example.com")), Map.of()));
        assertThrows(ServerConfig.ConfigException.class,
                () -> ServerConfig.load(Map.of("trusted-proxies", List.of("10.0.0.0/33")), Map.of()));
    }

    @Test
    void precedenceFlagsThenEnvironmentThenFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("conf.json");
        Files.writeString(file, """
                {"port": 9001, "admin-port": 9002, "base-domain": "Workers.Internal", "cpu-ms": 250,
                 "routes": ["a.example/*=alpha", {"pattern": "b.example/api/*", "script": "beta"}]}
                """);
        ServerConfig c = ServerConfig.load(
                Map.of("config", List.of(file.toString()), "port", List.of("9100")),
                Map.of("ISOWORKER_PORT", "9200", "ISOWORKER_ADMIN_PORT", "9300", "ISOWORKER_DATA_DIR", "/tmp/x"));
        assertEquals(9100, c.port(), "flag beats environment and file");
        assertEquals(9300, c.adminPort(), "environment beats file");
        assertEquals("workers.internal", c.baseDomain(), "file beats default");
        assertEquals(Path.of("/tmp/x"), c.dataDir());
        assertEquals(Duration.ofMillis(250), c.isolates().requestCpuLimit());
        assertEquals(List.of(new ServerConfig.RouteSetting("a.example/*", "alpha"),
                new ServerConfig.RouteSetting("b.example/api/*", "beta")), c.routes());

        ServerConfig envRoutes = ServerConfig.load(Map.of("config", List.of(file.toString())),
                Map.of("ISOWORKER_ROUTES", "x.example/*=ex, y.example/*=why"));
        assertEquals(2, envRoutes.routes().size());
        assertEquals("why", envRoutes.routes().get(1).script());
    }

    @Test
    void badSettingsAreClearErrors(@TempDir Path dir) throws Exception {
        assertThrows(ServerConfig.ConfigException.class, () -> ServerConfig.load(Map.of("prot", List.of("1")), Map.of()));
        assertThrows(ServerConfig.ConfigException.class, () -> ServerConfig.load(Map.of("port", List.of("eighty")), Map.of()));
        assertThrows(ServerConfig.ConfigException.class, () -> ServerConfig.load(Map.of("port", List.of("70000")), Map.of()));
        assertThrows(ServerConfig.ConfigException.class, () -> ServerConfig.load(Map.of("route", List.of("nope")), Map.of()));
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{ not json");
        var e = assertThrows(ServerConfig.ConfigException.class,
                () -> ServerConfig.load(Map.of("config", List.of(bad.toString())), Map.of()));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        Path unknown = dir.resolve("unknown.json");
        Files.writeString(unknown, "{\"colour\": 1}");
        e = assertThrows(ServerConfig.ConfigException.class,
                () -> ServerConfig.load(Map.of(), Map.of("ISOWORKER_CONFIG", unknown.toString())));
        assertTrue(e.getMessage().contains("colour"), e.getMessage());
    }
}
