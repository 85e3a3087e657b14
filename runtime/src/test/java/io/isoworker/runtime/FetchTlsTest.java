package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.vertx.core.json.JsonObject;

/**
 * fetch() over https: a loopback TLS origin whose certificate names {@code localhost} (made with keytool here) and
 * is the JVM's trust store for this test run. The client connects to the checked address and still verifies the
 * certificate against the name and sends it as SNI.
 */
class FetchTlsTest {

    static Path dir;
    static HttpsServer origin;
    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("isoworker-tls");
        Path store = dir.resolve("origin.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "origin", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, out);
        System.setProperty("javax.net.ssl.trustStore", store.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        origin = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        origin.setHttpsConfigurator(new HttpsConfigurator(tls));
        origin.createContext("/", ex -> {
            byte[] b = ("secure " + ex.getRequestHeaders().getFirst("host")).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        origin.start();
        s = TestServer.start("egress-allow", "127.0.0.1/32");
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
        origin.stop(0);
        for (Path p : new Path[] {dir.resolve("origin.p12"), dir}) {
            Files.deleteIfExists(p);
        }
    }

    @Test
    void httpsVerifiesTheCertificateAgainstTheName() throws Exception {
        int port = origin.getAddress().getPort();
        s.deploy("fetch-tls", """
                async function attempt(url) {
                  try { return await (await fetch(url)).text(); } catch (e) { return e.constructor.name + ': ' + e.message; }
                }
                export default {
                  async fetch() {
                    return Response.json({
                      byName: await attempt('https://localhost:%PORT%/'),
                      byAddress: await attempt('https://127.0.0.1:%PORT%/'),
                    });
                  },
                };
                """.replace("%PORT%", Integer.toString(port)));
        HttpResponse<String> r = s.get("fetch-tls.localhost", "/");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject j = new JsonObject(r.body());
        assertEquals("secure localhost:" + port, j.getString("byName"));
        // the certificate names localhost, not 127.0.0.1
        assertTrue(j.getString("byAddress").startsWith("TypeError: Network connection failed: the TLS handshake"),
                j.getString("byAddress"));
    }
}
