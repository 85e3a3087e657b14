package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/** {@code /client/v4}: Cloudflare's envelope, statuses and the error codes wrangler branches on. */
class CloudflareApiTest {

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    private static HttpResponse<String> call(String method, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(s.admin("/client/v4" + path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) {
            r.header("authorization", "Bearer " + token);
        }
        return s.send(r);
    }

    private static JsonObject failure(HttpResponse<String> r, int status, int code) {
        assertEquals(status, r.statusCode(), r.body());
        JsonObject body = new JsonObject(r.body());
        assertEquals(false, body.getBoolean("success"), r.body());
        assertEquals(code, body.getJsonArray("errors").getJsonObject(0).getInteger("code"), r.body());
        return body;
    }

    @Test
    void aMissingOrWrongTokenIsCode10000() throws Exception {
        failure(call("GET", "/user/tokens/verify", null, null), 401, 10000);
        failure(call("GET", "/accounts", "wrong", null), 401, 10000);
    }

    @Test
    void whoamiCallsAnswerInTheEnvelope() throws Exception {
        HttpResponse<String> verify = call("GET", "/user/tokens/verify", TestServer.TOKEN, null);
        assertEquals(200, verify.statusCode());
        assertEquals(true, new JsonObject(verify.body()).getBoolean("success"));
        JsonObject accounts = new JsonObject(call("GET", "/accounts?page=1", TestServer.TOKEN, null).body());
        assertEquals("isoworker", accounts.getJsonArray("result").getJsonObject(0).getString("id"));
        JsonObject page2 = new JsonObject(call("GET", "/memberships?page=2", TestServer.TOKEN, null).body());
        assertEquals(0, page2.getJsonObject("result_info").getInteger("count"));
        failure(call("GET", "/user", TestServer.TOKEN, null), 403, 9109);
    }

    @Test
    void kvIsTheKvAdminApiUnderCloudflaresPath() throws Exception {
        HttpResponse<String> created = call("POST", "/accounts/any-id/storage/kv/namespaces", TestServer.TOKEN,
                "{\"title\":\"cf-path\"}");
        assertEquals(200, created.statusCode(), created.body());
        String id = new JsonObject(created.body()).getJsonObject("result").getString("id");
        assertEquals(200, call("PUT", "/accounts/any-id/storage/kv/namespaces/" + id + "/values/a%2Fb",
                TestServer.TOKEN, "v").statusCode());
        assertEquals("v", call("GET", "/accounts/x/storage/kv/namespaces/" + id + "/values/a%2Fb", TestServer.TOKEN,
                null).body());
        HttpResponse<String> viaV1 = s.adminGet("/v1/kv/namespaces/" + id + "/values/a%2Fb");
        assertEquals("v", viaV1.body(), "one store behind both paths");
    }

    @Test
    void tailsOfUnknownWorkersAreCode10007AndUnknownRoutes7003() throws Exception {
        failure(call("POST", "/accounts/a/workers/scripts/nobody/tails", TestServer.TOKEN, "{\"filters\":[]}"), 404,
                10007);
        s.deploy("cf-tailed", "export default { fetch() { return new Response('x'); } };");
        HttpResponse<String> tail = call("POST", "/accounts/a/workers/scripts/cf-tailed/tails", TestServer.TOKEN,
                "{\"filters\":[{\"outcome\":[\"ok\"]}]}");
        assertEquals(200, tail.statusCode(), tail.body());
        JsonObject result = new JsonObject(tail.body()).getJsonObject("result");
        assertTrue(result.getString("url").contains("/v1/tail/" + result.getString("id")), tail.body());
        assertEquals(200, call("DELETE", "/accounts/a/workers/scripts/cf-tailed/tails/" + result.getString("id"),
                TestServer.TOKEN, null).statusCode());
        failure(call("GET", "/accounts/a/workers/nothing-here", TestServer.TOKEN, null), 404, 7003);
    }
}
