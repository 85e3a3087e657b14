package io.isoworker.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The worker scripts the warm-dispatch benchmarks run, each with the request it is sent and the answer it must give.
 * One place for them, so that every benchmark that runs {@code hello} runs the same {@code hello}.
 *
 * <p>The Web API workers ({@link #STREAM}, {@link #DIGEST}, {@link #ECHO}, {@link #FETCH}) each do one thing a real
 * worker does on its hot path, on top of what {@link #TEXT} costs (the floor: a constant answer that reads nothing of
 * the request).
 */
enum BenchWorker {

    /** A short text built from the request's method and URL. */
    HELLO("hello", "export default { fetch(request) { return new Response('hello ' + request.method + ' '"
            + " + request.url, { headers: { 'content-type': 'text/plain' } }); } };"),

    /**
     * What a small API worker does on every request: parses {@code request.url} with {@code new URL}, reads a query
     * parameter and three headers, and answers with {@code Response.json}.
     */
    API("api", BenchFiles.resource("compare/json-api.js")),

    /** One cached KV read per request: the value is read once at set-up, so every measured get hits the cache. */
    KV("kv", """
            export default {
              async fetch(request, env) {
                return new Response(await env.KV.get('greeting'), { headers: { 'content-type': 'text/plain' } });
              },
            };
            """),

    /** The same bytes as {@link #KV} without the KV read and without reading {@code request.url}. */
    TEXT("text", "export default { fetch() { return new Response('hello from KV',"
            + " { headers: { 'content-type': 'text/plain' } }); } };"),

    /** A 64 KiB body streamed from a {@code ReadableStream} in 16 chunks of 4 KiB (a chunked response). */
    STREAM("stream", """
            const chunk = new Uint8Array(4096).fill(120);
            export default {
              fetch() {
                let n = 0;
                return new Response(new ReadableStream({
                  pull(controller) { if (n++ < 16) controller.enqueue(chunk); else controller.close(); },
                }));
              },
            };
            """),

    /** {@code crypto.subtle.digest('SHA-256')} of 1 KiB, answered in hex. */
    DIGEST("digest", """
            const data = new TextEncoder().encode('x'.repeat(1024));
            export default {
              async fetch() {
                const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
                return new Response(Array.from(hash, b => b.toString(16).padStart(2, '0')).join(''));
              },
            };
            """),

    /** A 16 KiB POST body read with {@code request.text()}; answers its length. */
    ECHO("echo", """
            export default {
              async fetch(request) { return new Response(String((await request.text()).length)); },
            };
            """),

    /**
     * One subrequest per request: {@code fetch()} of a small answer from a loopback origin server in the benchmark's
     * JVM ({@code ORIGIN_URL} is replaced by its address at set-up; the server's {@code egress-allow} lets it through).
     */
    FETCH("fetch", """
            export default {
              async fetch() { return new Response(await (await fetch('ORIGIN_URL')).text()); },
            };
            """);

    static final String API_PATH = "/v1/items?q=42";
    static final String KV_VALUE = "hello from KV";
    static final String ORIGIN_ANSWER = "hello from the origin";
    static final int ECHO_BODY_BYTES = 16 * 1024;

    final String name;
    final String source;

    BenchWorker(String name, String source) {
        this.name = name;
        this.source = source;
    }

    static BenchWorker named(String name) {
        for (BenchWorker w : values()) {
            if (w.name.equals(name)) {
                return w;
            }
        }
        StringBuilder known = new StringBuilder();
        for (BenchWorker w : values()) {
            known.append(known.isEmpty() ? "" : ", ").append(w.name);
        }
        throw new IllegalArgumentException("worker is one of " + known + ", not '" + name + "'");
    }

    /**
     * Uploads this worker as script {@link #name} (with what it needs: the KV namespace and value, the origin's
     * address) and returns the request to send it.
     */
    byte[] deploy(BenchServer server, String originUrl) throws IOException {
        String host = BenchServer.host(name);
        switch (this) {
            case KV -> {
                String ns = server.createNamespace("bench");
                server.putValue(ns, "greeting", KV_VALUE);
                server.deployWithKv(name, source, "KV", ns);
            }
            case FETCH -> {
                if (originUrl == null) {
                    throw new IllegalStateException("the fetch worker needs an origin server");
                }
                server.deploy(name, source.replace("ORIGIN_URL", originUrl));
            }
            default -> server.deploy(name, source);
        }
        return switch (this) {
            case API -> LoopbackHttpClient.request("GET", host, API_PATH, Map.of("user-agent", "isoworker-bench",
                    "accept", "application/json", "x-request-id", "r-1"), null);
            case ECHO -> LoopbackHttpClient.request("POST", host, "/", Map.of("content-type", "text/plain"),
                    "e".repeat(ECHO_BODY_BYTES).getBytes(StandardCharsets.US_ASCII));
            default -> LoopbackHttpClient.get(host, "/");
        };
    }

    /** The body this worker answers with. */
    String expectedAnswer() {
        return switch (this) {
            case HELLO -> "hello GET http://" + BenchServer.host(name) + "/";
            case API -> "{\"path\":\"/v1/items\",\"q\":\"42\",\"agent\":\"isoworker-bench\","
                    + "\"accept\":\"application/json\",\"id\":\"r-1\"}";
            case KV, TEXT -> KV_VALUE;
            case STREAM -> "x".repeat(16 * 4096);
            case DIGEST -> sha256Hex("x".repeat(1024));
            case ECHO -> Integer.toString(ECHO_BODY_BYTES);
            case FETCH -> ORIGIN_ANSWER;
        };
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
