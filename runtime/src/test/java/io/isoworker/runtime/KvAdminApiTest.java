package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The KV admin API over HTTP: Cloudflare's routes, envelope, error codes and the KV rules. */
@Timeout(120)
class KvAdminApiTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static String path(String ns, String rest) {
        return "/v1/kv/namespaces/" + ns + rest;
    }

    private static HttpResponse<String> send(String method, String path, String contentType, String body)
            throws Exception {
        return server.adminSend(method, path, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonObject ok(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        JsonObject body = new JsonObject(r.body());
        assertEquals(true, body.getValue("success"), r.body());
        assertEquals(new JsonArray(), body.getValue("errors"));
        return body;
    }

    /** Asserts a Cloudflare error envelope with this status and code; the message. */
    private static String refused(HttpResponse<String> r, int status, int code) {
        assertEquals(status, r.statusCode(), r.body());
        JsonObject body = new JsonObject(r.body());
        assertEquals(false, body.getValue("success"), r.body());
        JsonObject error = body.getJsonArray("errors").getJsonObject(0);
        assertEquals(code, error.getInteger("code"), r.body());
        return error.getString("message");
    }

    private static byte[] rawValue(String ns, String encodedKey) throws Exception {
        HttpResponse<byte[]> r = server.http.send(HttpRequest.newBuilder(URI.create(server.admin(path(ns,
                "/values/" + encodedKey)))).header("authorization", "Bearer " + TestServer.TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        return r.body();
    }

    private static List<JsonObject> allKeys(String ns, String query) throws Exception {
        List<JsonObject> out = new ArrayList<>();
        String cursor = "";
        do {
            JsonObject page = ok(send("GET", path(ns, "/keys?" + query + "&cursor=" + cursor), null, null));
            page.getJsonArray("result").forEach(o -> out.add((JsonObject) o));
            cursor = page.getJsonObject("result_info").getString("cursor");
        } while (!cursor.isEmpty());
        return out;
    }

    @Test
    void namespacesAreCreatedListedAndDeleted() throws Exception {
        JsonObject created = ok(send("POST", "/v1/kv/namespaces", "application/json", "{\"title\":\"ns-alpha\"}"));
        String id = created.getJsonObject("result").getString("id");
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertEquals("ns-alpha", created.getJsonObject("result").getString("title"));
        // wrangler sends JSON with text/plain; the body is JSON whatever the content type says
        String beta = ok(send("POST", "/v1/kv/namespaces", "text/plain;charset=UTF-8", "{\"title\":\"ns-beta\"}"))
                .getJsonObject("result").getString("id");

        assertFalse(send("POST", "/v1/kv/namespaces", "application/json", "{\"title\":\"ns-alpha\"}").statusCode() < 300,
                "a title is unique");
        assertEquals("missing title", refused(send("POST", "/v1/kv/namespaces", "application/json", "{}"), 400, 10019));
        refused(send("POST", "/v1/kv/namespaces", "application/json", "not json"), 400, 400);

        JsonObject all = ok(send("GET", "/v1/kv/namespaces?per_page=1000", null, null));
        List<String> titles = all.getJsonArray("result").stream().map(o -> ((JsonObject) o).getString("title")).toList();
        assertTrue(titles.contains("ns-alpha") && titles.contains("ns-beta"), titles.toString());
        int total = all.getJsonObject("result_info").getInteger("total_count");
        JsonObject page1 = ok(send("GET", "/v1/kv/namespaces?page=1&per_page=1", null, null));
        assertEquals(1, page1.getJsonArray("result").size());
        assertEquals(total, page1.getJsonObject("result_info").getInteger("total_count"));
        JsonObject past = ok(send("GET", "/v1/kv/namespaces?page=" + (total + 1) + "&per_page=1", null, null));
        assertEquals(new JsonArray(), past.getValue("result"), "wrangler pages until an empty page");

        ok(send("DELETE", "/v1/kv/namespaces/" + beta, null, null));
        assertEquals("namespace not found", refused(send("GET", path(beta, "/keys"), null, null), 404, 10013));
        refused(send("PUT", path(beta, "/values/k"), null, "v"), 404, 10013);
        refused(send("DELETE", "/v1/kv/namespaces/" + beta, null, null), 404, 10013);
        assertEquals(401, server.send(HttpRequest.newBuilder(URI.create(server.admin("/v1/kv/namespaces"))).GET())
                .statusCode(), "the same token as the scripts API");
        refused(send("GET", "/v1/kv/nothing-here", null, null), 404, 10025);
    }

    @Test
    void valuesAreRawBytesUnderPercentEncodedKeys() throws Exception {
        String ns = server.createNamespace("values");
        byte[] binary = {0, 1, (byte) 0xff, (byte) 0xfe, 'x', (byte) 0x80};
        HttpResponse<String> put = server.adminSend("PUT", path(ns, "/values/bin"), null, binary);
        assertEquals(JsonObject.of("success", true, "errors", new JsonArray(), "messages", new JsonArray())
                .putNull("result"), new JsonObject(put.body()));
        assertArrayEquals(binary, rawValue(ns, "bin"));

        ok(send("PUT", path(ns, "/values/a%2Fb%20c"), "text/plain", "slash and space"));
        ok(send("PUT", path(ns, "/values/%E2%82%AC%25_%F0%9F%98%80"), "text/plain", "unicode"));
        assertEquals("slash and space", new String(rawValue(ns, "a%2Fb%20c"), StandardCharsets.UTF_8));
        assertEquals("unicode", new String(rawValue(ns, "%E2%82%AC%25_%F0%9F%98%80"), StandardCharsets.UTF_8));
        List<String> names = allKeys(ns, "prefix=").stream().map(k -> k.getString("name")).toList();
        assertEquals(List.of("a/b c", "bin", "€%_😀"), names);

        assertEquals("key not found", refused(send("GET", path(ns, "/values/missing"), null, null), 404, 10009));
        refused(send("GET", path(ns, "/values/bad%E2%82"), null, null), 400, 400); // not UTF-8
        ok(send("DELETE", path(ns, "/values/bin"), null, null));
        refused(send("GET", path(ns, "/values/bin"), null, null), 404, 10009);
        ok(send("DELETE", path(ns, "/values/never-there"), null, null));

        String long513 = "%E2%82%AC".repeat(171);
        assertEquals("UTF-8 encoded length of 513 exceeds key length limit of 512.",
                refused(send("PUT", path(ns, "/values/" + long513), null, "v"), 414, 414));
        assertEquals("Illegal key name \".\". Please use a different name.",
                refused(send("PUT", path(ns, "/values/%2E"), null, "v"), 400, 400));
        HttpResponse<String> tooBig = server.adminSend("PUT", path(ns, "/values/big"), null, new byte[26_214_401]);
        assertEquals("Value length of 26214401 exceeds limit of 26214400.", refused(tooBig, 413, 10024));
        ok(server.adminSend("PUT", path(ns, "/values/big"), null, new byte[26_214_400]));
        assertEquals(26_214_400, rawValue(ns, "big").length);
    }

    @Test
    void expirationAndMetadata() throws Exception {
        String ns = server.createNamespace("expiring");
        long now = System.currentTimeMillis() / 1000;
        ok(send("PUT", path(ns, "/values/ttl?expiration_ttl=60"), null, "v"));
        ok(send("PUT", path(ns, "/values/at?expiration=" + (now + 3600)), null, "v"));
        assertEquals("Invalid expiration_ttl of 30. Expiration TTL must be at least 60.",
                refused(send("PUT", path(ns, "/values/x?expiration_ttl=30"), null, "v"), 400, 400));
        assertTrue(refused(send("PUT", path(ns, "/values/x?expiration=" + now), null, "v"), 400, 400)
                .contains("Please specify integer greater than the current number of seconds since the UNIX epoch."));

        TestServer.Multipart withMetadata = new TestServer.Multipart()
                .part("value", null, null, "the value")
                .part("metadata", null, null, "{\"owner\":\"me\",\"n\":1}");
        ok(server.adminSend("PUT", path(ns, "/values/meta"), withMetadata.contentType(), withMetadata.bytes()));
        assertEquals("the value", new String(rawValue(ns, "meta"), StandardCharsets.UTF_8));
        assertEquals(JsonObject.of("owner", "me", "n", 1), ok(send("GET", path(ns, "/metadata/meta"), null, null))
                .getValue("result"));
        TestServer.Multipart bigMetadata = new TestServer.Multipart()
                .part("value", null, null, "v")
                .part("metadata", null, null, "{\"m\":\"" + "x".repeat(1017) + "\"}");
        assertEquals("Metadata length of 1025 exceeds limit of 1024.",
                refused(server.adminSend("PUT", path(ns, "/values/m2"), bigMetadata.contentType(), bigMetadata.bytes()),
                        413, 10024));

        List<JsonObject> keys = allKeys(ns, "prefix=");
        assertEquals(List.of("at", "meta", "ttl"), keys.stream().map(k -> k.getString("name")).toList());
        assertEquals(now + 3600, keys.get(0).getLong("expiration"));
        assertEquals(JsonObject.of("owner", "me", "n", 1), keys.get(1).getValue("metadata"));
        assertFalse(keys.get(1).containsKey("expiration"));
        long ttlExpiration = keys.get(2).getLong("expiration");
        assertTrue(ttlExpiration >= now + 60 && ttlExpiration <= now + 62, "ttl expiration " + ttlExpiration);

        server.advanceKvClock(Duration.ofSeconds(3600));
        try {
            refused(send("GET", path(ns, "/values/ttl"), null, null), 404, 10009);
            assertEquals(List.of("meta"), allKeys(ns, "prefix=").stream().map(k -> k.getString("name")).toList());
        } finally {
            server.kvClockOffset.set(0);
        }
    }

    @Test
    void listingFollowsCursorsInUtf8ByteOrder() throws Exception {
        String ns = server.createNamespace("listing");
        // "\uFFFD" sorts before "😀" in UTF-8 (and in code points); String.compareTo orders them the other way.
        List<String> keys = List.of("😀", "\uFFFD", "a", "B", "é", "k1", "k2", "k3", "k10", "!");
        JsonArray bulk = new JsonArray();
        keys.forEach(k -> bulk.add(JsonObject.of("key", k, "value", "v-" + k)));
        JsonObject written = ok(send("PUT", path(ns, "/bulk"), "application/json", bulk.encode()));
        assertEquals(keys.size(), written.getJsonObject("result").getInteger("successful_key_count"));

        List<String> expected = List.of("!", "B", "a", "k1", "k10", "k2", "k3", "é", "\uFFFD", "😀");
        assertEquals(expected, allKeys(ns, "limit=3").stream().map(k -> k.getString("name")).toList());
        assertEquals(List.of("k1", "k10", "k2", "k3"),
                allKeys(ns, "prefix=k&limit=1").stream().map(k -> k.getString("name")).toList());
        JsonObject first = ok(send("GET", path(ns, "/keys?limit=3"), null, null));
        assertEquals(3, first.getJsonObject("result_info").getInteger("count"));
        assertFalse(first.getJsonObject("result_info").getString("cursor").isEmpty());
        assertEquals("Invalid key_count_limit of 1001. Please specify an integer less than 1000.",
                refused(send("GET", path(ns, "/keys?limit=1001"), null, null), 400, 10028));
        refused(send("GET", path(ns, "/keys?cursor=not-a-cursor"), null, null), 400, 400);
    }

    @Test
    void bulkWritesAreAllOrNothingAndBulkDeletes() throws Exception {
        String ns = server.createNamespace("bulk");
        JsonArray items = new JsonArray()
                .add(JsonObject.of("key", "plain", "value", "text value"))
                .add(JsonObject.of("key", "b64", "value", "AAH/", "base64", true))
                .add(JsonObject.of("key", "meta", "value", "m", "metadata", JsonObject.of("a", 1), "expiration_ttl", 600));
        ok(send("PUT", path(ns, "/bulk"), "application/json", items.encode()));
        assertEquals("text value", new String(rawValue(ns, "plain"), StandardCharsets.UTF_8));
        assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, rawValue(ns, "b64"));
        JsonObject meta = allKeys(ns, "prefix=meta").get(0);
        assertEquals(JsonObject.of("a", 1), meta.getValue("metadata"));
        assertTrue(meta.containsKey("expiration"));

        JsonArray oneBad = new JsonArray()
                .add(JsonObject.of("key", "new-good", "value", "v"))
                .add(JsonObject.of("key", "€".repeat(171), "value", "v"));
        refused(send("PUT", path(ns, "/bulk"), "application/json", oneBad.encode()), 414, 414);
        refused(send("GET", path(ns, "/values/new-good"), null, null), 404, 10009);
        refused(send("PUT", path(ns, "/bulk"), "application/json", "[{\"key\":1}]"), 400, 10012);

        JsonObject deleted = ok(send("POST", path(ns, "/bulk/delete"), "application/json",
                new JsonArray().add("plain").add("b64").add("never-there").encode()));
        assertEquals(3, deleted.getJsonObject("result").getInteger("successful_key_count"));
        assertEquals(List.of("meta"), allKeys(ns, "prefix=").stream().map(k -> k.getString("name")).toList());
    }

    @Test
    void aWorkerReadsWhatTheAdminApiWrote() throws Exception {
        String ns = server.createNamespace("shared-with-worker");
        ok(send("PUT", path(ns, "/values/greeting"), "text/plain", "hello from the admin API"));
        server.deployWithKv("kv-reader", "export default { async fetch(r, env) {"
                + " return new Response(await env.KV.get('greeting')); } };", "KV", ns);
        assertEquals("hello from the admin API", server.get("kv-reader.localhost", "/").body());
        ok(send("PUT", path(ns, "/values/greeting"), "text/plain", "changed"));
        assertEquals("changed", server.get("kv-reader.localhost", "/").body(), "the read cache follows admin writes");
    }

    /** Status line and body of a request sent over a plain socket (java.net.URI refuses a malformed escape). */
    private static String[] rawRequest(String method, String target, String body) throws Exception {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.server.adminPort())) {
            socket.setSoTimeout(30_000);
            String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + TestServer.TOKEN + "\r\nContent-Type: text/plain\r\nContent-Length: " + content.length
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = answer.indexOf("\r\n\r\n");
            return new String[] {answer.substring(0, answer.indexOf("\r\n")), answer.substring(split + 4)};
        }
    }

    private static void assertUndecodable(String[] answer, String raw) {
        assertTrue(answer[0].startsWith("HTTP/1.1 400"), raw + ": " + answer[0] + " " + answer[1]);
        JsonObject body = new JsonObject(answer[1]);
        assertEquals(false, body.getValue("success"), raw);
        assertEquals("Could not URL-decode key name",
                body.getJsonArray("errors").getJsonObject(0).getString("message"), raw);
    }

    @Test
    void anUndecodableScriptPathIsAJson400Too() throws Exception {
        String[] answer = rawRequest("GET", "/v1/scripts/%zz", null);
        assertTrue(answer[0].startsWith("HTTP/1.1 400"), answer[0] + " " + answer[1]);
        assertTrue(new JsonObject(answer[1]).getString("error").contains("invalid percent-encoding"), answer[1]);
    }

    @Test
    void anUndecodableKeyIs400() throws Exception {
        String ns = server.createNamespace("undecodable");
        for (String raw : List.of("%zz", "a%zzb", "abc%2", "%")) {
            assertUndecodable(rawRequest("PUT", path(ns, "/values/" + raw), "v"), raw);
            assertUndecodable(rawRequest("GET", path(ns, "/values/" + raw), null), raw);
        }
        assertEquals(List.of(), allKeys(ns, "prefix="), "nothing was written");
    }

    @Test
    void aKeyWithExpirationTtl60IsGoneAfter61Seconds() throws Exception {
        String ns = server.createNamespace("ttl-61");
        ok(send("PUT", path(ns, "/values/short-lived?expiration_ttl=60"), "text/plain", "soon gone"));
        ok(send("PUT", path(ns, "/values/forever"), "text/plain", "stays"));
        try {
            server.advanceKvClock(Duration.ofSeconds(30));
            assertEquals("soon gone", new String(rawValue(ns, "short-lived"), StandardCharsets.UTF_8),
                    "still there half-way");
            server.advanceKvClock(Duration.ofSeconds(31));
            assertEquals("key not found", refused(send("GET", path(ns, "/values/short-lived"), null, null), 404, 10009));
            assertEquals(List.of("forever"), allKeys(ns, "prefix=").stream().map(k -> k.getString("name")).toList());
            assertEquals("stays", new String(rawValue(ns, "forever"), StandardCharsets.UTF_8));
        } finally {
            server.kvClockOffset.set(0);
        }
    }

    @Test
    void anUploadMustNameAnExistingNamespace() throws Exception {
        String missing = "0123456789abcdef0123456789abcdef";
        TestServer.Multipart body = new TestServer.Multipart()
                .metadata(new JsonObject().put("main_module", "worker.js").put("bindings", new JsonArray()
                        .add(new JsonObject().put("type", "kv_namespace").put("name", "MY_KV")
                                .put("namespace_id", missing))))
                .module("worker.js", "application/javascript+module",
                        "export default { async fetch(r, env) { return new Response(await env.MY_KV.get('k')); } };");
        HttpResponse<String> refusedUpload = server.uploadMultipart("kv-unbound", body);
        assertEquals(400, refusedUpload.statusCode(), refusedUpload.body());
        assertTrue(refusedUpload.body().contains(missing), refusedUpload.body());
        assertFalse(server.get("kv-unbound.localhost", "/").statusCode() == 200, "the refused upload is not served");

        String ns = server.createNamespace("bound-at-upload");
        ok(send("PUT", path(ns, "/values/k"), "text/plain", "value for the worker"));
        server.deployWithKv("kv-unbound", "export default { async fetch(r, env) {"
                + " return new Response(await env.MY_KV.get('k')); } };", "MY_KV", ns);
        assertEquals("value for the worker", server.get("kv-unbound.localhost", "/").body());
    }

    @Test
    void aCreatedNamespaceAnswersInCloudflaresEnvelope() throws Exception {
        JsonObject created = ok(send("POST", "/v1/kv/namespaces", "application/json", "{\"title\":\"envelope shape\"}"));
        assertEquals(new JsonArray(), created.getValue("messages"));
        JsonObject result = created.getJsonObject("result");
        assertTrue(result.getString("id").matches("[0-9a-f]{32}"), result.encode());
        assertEquals("envelope shape", result.getString("title"));
        String message = refused(send("POST", "/v1/kv/namespaces", "application/json",
                "{\"title\":\"envelope shape\"}"), 409, 10014);
        assertTrue(message.contains("envelope shape"), message);
        refused(send("POST", "/v1/kv/namespaces", "application/json", "{\"title\":\"\"}"), 400, 10019);
    }

    @Test
    void namespacePagesCollectEveryNamespaceOnceLikeWrangler() throws Exception {
        for (int i = 0; i < 5; i++) {
            server.createNamespace("paged-" + i);
        }
        JsonObject all = ok(send("GET", "/v1/kv/namespaces?per_page=1000", null, null));
        List<String> expected = all.getJsonArray("result").stream().map(o -> ((JsonObject) o).getString("id")).toList();
        assertEquals(expected.size(), all.getJsonObject("result_info").getInteger("total_count"));
        // wrangler's `kv namespace list` asks for page 1, 2, ... until a page comes back empty
        List<String> paged = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonObject answer = ok(send("GET", "/v1/kv/namespaces?per_page=2&page=" + page, null, null));
            JsonArray result = answer.getJsonArray("result");
            assertEquals(expected.size(), answer.getJsonObject("result_info").getInteger("total_count"));
            if (result.isEmpty()) {
                break;
            }
            assertTrue(result.size() <= 2, result.encode());
            result.forEach(o -> paged.add(((JsonObject) o).getString("id")));
            assertTrue(page <= expected.size(), "paging does not end");
        }
        assertEquals(expected, paged, "every namespace exactly once, in the same order");
    }
}
