package io.isoworker.bench.compare;

import java.util.LinkedHashMap;
import java.util.Map;

import io.isoworker.bench.BenchFiles;

/**
 * A load workload of the comparison: the JavaScript module every JS runtime serves (kept in
 * {@code bench/src/main/resources/compare/}), the request wrk sends, and the exact answer the body must be.
 */
enum Workload {

    HELLO("hello", "/", Map.of(), "Hello World!"),
    JSON_API("json-api", "/v1/items?q=42", jsonApiHeaders(),
            "{\"path\":\"/v1/items\",\"q\":\"42\",\"agent\":\"isoworker-compare\",\"accept\":\"application/json\","
                    + "\"id\":\"r-1\"}"),
    KV_READ("kv-read", "/", Map.of(), "hello from KV");

    /** The KV key and value of {@link #KV_READ}, put before the run. */
    static final String KV_KEY = "greeting";
    static final String KV_VALUE = "hello from KV";

    private final String id;
    private final String path;
    private final Map<String, String> headers;
    private final String expectedBody;

    Workload(String id, String path, Map<String, String> headers, String expectedBody) {
        this.id = id;
        this.path = path;
        this.headers = headers;
        this.expectedBody = expectedBody;
    }

    /** The name used on the command line and in results.json. */
    String id() {
        return id;
    }

    /** The request's path and query. */
    String path() {
        return path;
    }

    /** The request headers wrk and the answer check send, apart from Host. */
    Map<String, String> headers() {
        return headers;
    }

    String expectedBody() {
        return expectedBody;
    }

    /** The module's file name, in the resources and in the folder the runtimes read it from. */
    String fileName() {
        return id + ".js";
    }

    /** The module's source. */
    String source() {
        return resource(fileName());
    }

    static Workload byId(String id) {
        for (Workload w : values()) {
            if (w.id.equals(id)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + id + "'");
    }

    /** A text file of {@code bench/src/main/resources/compare/}. */
    static String resource(String name) {
        return BenchFiles.resource("compare/" + name);
    }

    private static Map<String, String> jsonApiHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("User-Agent", "isoworker-compare");
        h.put("Accept", "application/json");
        h.put("X-Request-Id", "r-1");
        return h;
    }
}
