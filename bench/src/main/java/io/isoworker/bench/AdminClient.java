package io.isoworker.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The admin API calls the benchmarks make, over one keep-alive loopback connection to an isoworker admin listener:
 * upload a script (plain module or multipart with a KV binding), create a KV namespace, put a KV value. Used by
 * {@link BenchServer} (a server in the benchmark's JVM) and by the peer comparison (an {@code isoworker serve}
 * process). Not thread-safe, as {@link LoopbackHttpClient} is not.
 */
public final class AdminClient implements AutoCloseable {

    private final int port;
    private final String token;
    private final LoopbackHttpClient http;

    /** Connects to the admin listener on loopback port {@code port}, which accepts bearer token {@code token}. */
    public AdminClient(int port, String token) throws IOException {
        this.port = port;
        this.token = token;
        this.http = new LoopbackHttpClient(port);
    }

    /**
     * Uploads {@code source} as the new active version of script {@code name} (module syntax).
     *
     * @return the new version's id
     */
    public String deploy(String name, String source) throws IOException {
        String answer = call("PUT", "/v1/scripts/" + name, "application/javascript+module",
                source.getBytes(StandardCharsets.UTF_8), "uploading script " + name);
        return new JsonObject(answer).getString("version_id");
    }

    /** Creates a KV namespace; its id. */
    public String createNamespace(String title) throws IOException {
        String answer = call("POST", "/v1/kv/namespaces", "application/json",
                new JsonObject().put("title", title).encode().getBytes(StandardCharsets.UTF_8),
                "creating KV namespace " + title);
        return new JsonObject(answer).getJsonObject("result").getString("id");
    }

    /** Writes one KV value. */
    public void putValue(String namespaceId, String key, String value) throws IOException {
        call("PUT", "/v1/kv/namespaces/" + namespaceId + "/values/" + key, null,
                value.getBytes(StandardCharsets.UTF_8), "KV put of " + key);
    }

    /**
     * Uploads a module-syntax script (module {@code worker.js}) with one KV binding {@code binding} to namespace
     * {@code namespaceId}, as a multipart upload with metadata.
     *
     * @return the new version's id
     */
    public String deployWithKv(String name, String source, String binding, String namespaceId) throws IOException {
        String boundary = "isoworker-bench-boundary";
        JsonObject metadata = new JsonObject().put("main_module", "worker.js").put("bindings",
                new JsonArray().add(new JsonObject().put("type", "kv_namespace")
                        .put("name", binding).put("namespace_id", namespaceId)));
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + metadata.encode() + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"worker.js\"; filename=\"worker.js\"\r\n"
                + "Content-Type: application/javascript+module\r\n\r\n" + source + "\r\n--" + boundary + "--\r\n";
        String answer = call("PUT", "/v1/scripts/" + name, "multipart/form-data; boundary=" + boundary,
                body.getBytes(StandardCharsets.UTF_8), "uploading script " + name);
        return new JsonObject(answer).getString("version_id");
    }

    /** One authorized call; its answer's body, or an IOException naming {@code what} when the status is not 200. */
    private String call(String method, String path, String contentType, byte[] body, String what)
            throws IOException {
        Map<String, String> headers = contentType == null
                ? Map.of("Authorization", "Bearer " + token)
                : Map.of("Authorization", "Bearer " + token, "Content-Type", contentType);
        int status = http.exchange(LoopbackHttpClient.request(method, "127.0.0.1:" + port, path, headers, body));
        String answer = http.bodyText();
        if (status != 200) {
            throw new IOException(what + " failed: HTTP " + status + " " + answer);
        }
        return answer;
    }

    @Override
    public void close() {
        http.close();
    }
}
