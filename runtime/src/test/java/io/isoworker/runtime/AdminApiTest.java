package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The admin API's answers to good and bad requests. */
class AdminApiTest {

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start("max-script-size", "65536");
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    private static final String OK_SCRIPT = "export default { fetch() { return new Response('ok'); } };";

    private static JsonObject error(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""), r.body());
        JsonObject body = new JsonObject(r.body());
        assertTrue(!body.getString("error", "").isBlank(), r.body());
        return body;
    }

    @Test
    void missingOrWrongTokenIs401() throws Exception {
        HttpResponse<String> none = s.send(HttpRequest.newBuilder(URI.create(s.admin("/v1/scripts"))).GET());
        error(none, 401);
        HttpResponse<String> wrong = s.send(HttpRequest.newBuilder(URI.create(s.admin("/v1/scripts")))
                .header("authorization", "Bearer " + TestServer.TOKEN + "x").GET());
        error(wrong, 401);
        HttpResponse<String> upload = s.send(HttpRequest.newBuilder(URI.create(s.admin("/v1/scripts/x")))
                .header("authorization", "Basic " + TestServer.TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString(OK_SCRIPT)));
        error(upload, 401);
        assertEquals(404, s.get("x.localhost", "/").statusCode(), "an unauthorized upload must not deploy");
    }

    @Test
    void syntaxErrorNamesModuleAndLine() throws Exception {
        HttpResponse<String> r = s.upload("broken", "application/javascript+module",
                "export default {\n  fetch() {\n    return new Response('x' +);\n  }\n};\n");
        JsonObject e = error(r, 400);
        assertEquals("syntax_error", e.getString("kind"), r.body());
        assertEquals("worker.js", e.getString("module"), r.body());
        assertEquals(3, e.getInteger("line"), r.body());

        HttpResponse<String> multi = s.uploadMultipart("broken", new TestServer.Multipart()
                .metadata(new JsonObject().put("main_module", "index.js"))
                .module("index.js", "application/javascript+module", "import { x } from './b.js';\nexport default { fetch() { return new Response(x); } };")
                .module("b.js", "application/javascript+module", "export const x = ;\n"));
        JsonObject m = error(multi, 400);
        assertEquals("b.js", m.getString("module"), multi.body());
        assertEquals(1, m.getInteger("line"), multi.body());
    }

    @Test
    void noHandlerIsRejected() throws Exception {
        JsonObject e = error(s.upload("idle", "application/javascript+module", "export const x = 1;"), 400);
        assertEquals("no_handler", e.getString("kind"));
        assertTrue(e.getString("error").contains("No event handlers were registered"), e.encode());
        error(s.upload("idle-sw", "application/javascript", "const x = 1;"), 400);
        error(s.upload("idle2", "application/javascript+module", "export default { notAHandler() {} };"), 400);
    }

    @Test
    void topLevelThrowIsRejectedWithItsMessage() throws Exception {
        JsonObject e = error(s.upload("thrower", "application/javascript+module",
                "throw new Error('top-level failure');\nexport default { fetch() {} };"), 400);
        assertTrue(e.getString("error").contains("top-level failure"), e.encode());
        assertEquals("evaluation_error", e.getString("kind"));
    }

    @Test
    void missingImportIsRejected() throws Exception {
        JsonObject e = error(s.upload("lonely", "application/javascript+module",
                "import { x } from './missing.js';\nexport default { fetch() { return new Response(x); } };"), 400);
        assertTrue(e.getString("error").contains("missing.js"), e.encode());
    }

    @Test
    void unknownMainModuleIsRejected() throws Exception {
        JsonObject e = error(s.uploadMultipart("nomain", new TestServer.Multipart()
                .metadata(new JsonObject().put("main_module", "main.js"))
                .module("index.js", "application/javascript+module", OK_SCRIPT)), 400);
        assertTrue(e.getString("error").contains("main.js"), e.encode());
    }

    @Test
    void badScriptNamesAreRejected() throws Exception {
        for (String name : new String[] {"Upper", "-dash", "a_b", "x".repeat(64), "..", "%2e%2e", "a%2Fb"}) {
            HttpResponse<String> r = s.upload(name, "application/javascript+module", OK_SCRIPT);
            assertTrue(r.statusCode() == 400 || r.statusCode() == 404, name + " -> " + r.statusCode() + " " + r.body());
        }
        JsonObject e = error(s.upload("Upper", "application/javascript+module", OK_SCRIPT), 400);
        assertTrue(e.getString("error").contains("Invalid script name"), e.encode());
        String list = s.adminGet("/v1/scripts").body();
        assertTrue(!list.contains("Upper") && !list.contains("-dash") && !list.contains("a_b"), list);
    }

    @Test
    void badModuleNamesAreRejected() throws Exception {
        for (String module : new String[] {"../escape.js", "/abs.js", "a/./b.js", "a//b.js"}) {
            HttpResponse<String> r = s.uploadMultipart("modname", new TestServer.Multipart()
                    .metadata(new JsonObject().put("main_module", "index.js"))
                    .module("index.js", "application/javascript+module", OK_SCRIPT)
                    .module(module, "application/javascript+module", "export const x = 1;"));
            assertEquals(400, r.statusCode(), module + " -> " + r.body());
        }
    }

    @Test
    void malformedMultipartAndMetadataAreRejected() throws Exception {
        HttpResponse<String> garbage = s.send(HttpRequest.newBuilder(URI.create(s.admin("/v1/scripts/garbage")))
                .header("authorization", "Bearer " + TestServer.TOKEN)
                .header("content-type", "multipart/form-data; boundary=abc")
                .PUT(HttpRequest.BodyPublishers.ofString("--abc\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n{\"main_module\":")));
        error(garbage, 400);

        HttpResponse<String> noBoundary = s.send(HttpRequest.newBuilder(URI.create(s.admin("/v1/scripts/garbage")))
                .header("authorization", "Bearer " + TestServer.TOKEN)
                .header("content-type", "multipart/form-data")
                .PUT(HttpRequest.BodyPublishers.ofString("nothing")));
        error(noBoundary, 400);

        error(s.uploadMultipart("badjson", new TestServer.Multipart()
                .part("metadata", null, null, "{not json")
                .module("index.js", "application/javascript+module", OK_SCRIPT)), 400);
        error(s.uploadMultipart("nometa", new TestServer.Multipart()
                .module("index.js", "application/javascript+module", OK_SCRIPT)), 400);
        error(s.uploadMultipart("badbinding", new TestServer.Multipart()
                .metadata(new JsonObject().put("main_module", "index.js").put("bindings",
                        new JsonArray().add(new JsonObject().put("type", "kv_namespace").put("name", "KV")))) 
                .module("index.js", "application/javascript+module", OK_SCRIPT)), 400);
        error(s.uploadMultipart("badbinding", new TestServer.Multipart()
                .metadata(new JsonObject().put("main_module", "index.js").put("bindings",
                        new JsonArray().add(new JsonObject().put("type", "plain_text").put("name", "not valid")
                                .put("text", "x"))))
                .module("index.js", "application/javascript+module", OK_SCRIPT)), 400);
        error(s.upload("empty", "application/javascript", ""), 400);
        error(s.upload("jsonbody", "application/json", "{}"), 400);
    }

    @Test
    void tooLargeUploadIs413() throws Exception {
        String big = "// " + "x".repeat(70_000) + "\n" + OK_SCRIPT;
        HttpResponse<String> r = s.upload("huge", "application/javascript+module", big);
        assertEquals(413, r.statusCode(), r.body());
        assertEquals(404, s.adminGet("/v1/scripts/huge").statusCode());
    }

    @Test
    void topLevelInfiniteLoopIsRejectedWithoutHangingTheAdminApi() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = s.send(HttpRequest.newBuilder(URI.create(s.admin("/v1/scripts/spinner")))
                .header("authorization", "Bearer " + TestServer.TOKEN)
                .header("content-type", "application/javascript+module")
                .timeout(Duration.ofSeconds(20))
                .PUT(HttpRequest.BodyPublishers.ofString("while (true) {}\nexport default { fetch() {} };")));
        JsonObject e = error(r, 400);
        assertEquals("startup_limit_exceeded", e.getString("kind"), r.body());
        assertTrue(System.nanoTime() - start < 15_000_000_000L, "rejected within the startup limit plus slack");
        // The admin API and the traffic listener still work.
        assertEquals(200, s.adminGet("/v1/scripts").statusCode());
        s.deploy("after-spin", OK_SCRIPT);
        assertEquals("ok", s.get("after-spin.localhost", "/").body());
    }

    @Test
    void unknownEndpointsAndMethods() throws Exception {
        error(s.adminGet("/v1/nothing"), 404);
        error(s.adminGet("/v1/scripts/absent"), 404);
        error(s.adminGet("/v1/scripts/absent/versions"), 404);
        error(s.adminDelete("/v1/scripts/absent"), 404);
        HttpResponse<String> post = s.send(HttpRequest.newBuilder(URI.create(s.admin("/v1/scripts/x")))
                .header("authorization", "Bearer " + TestServer.TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(OK_SCRIPT)));
        assertTrue(post.statusCode() == 405 || post.statusCode() == 404, post.statusCode() + " " + post.body());
    }
}
