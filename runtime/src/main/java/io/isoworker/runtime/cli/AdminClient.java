package io.isoworker.runtime.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Option;

/**
 * The commands' way to a running server's admin API: its URL and bearer token (from {@code --url}/{@code --token} or
 * {@code ISOWORKER_ADMIN_URL}/{@code ISOWORKER_ADMIN_TOKEN}, the same variable {@code serve} reads its token from),
 * and one request at a time. A picocli mixin, so every command that talks to a server has the same two options.
 */
final class AdminClient {

    static final String DEFAULT_URL = "http://127.0.0.1:8788";

    @Option(names = "--url", paramLabel = "URL",
            description = "the server's admin API (default: $ISOWORKER_ADMIN_URL, else " + DEFAULT_URL + ")")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "the admin bearer token (default: $ISOWORKER_ADMIN_TOKEN)")
    String token;

    /** An answer: its status and body. */
    record Answer(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The body as JSON, or null when it is not a JSON object. */
        JsonObject json() {
            try {
                return new JsonObject(text());
            } catch (DecodeException | ClassCastException e) {
                return null;
            }
        }

        /** What the server said went wrong: the envelope's errors, the native API's {@code error}, or the body. */
        String error() {
            JsonObject j = json();
            if (j != null && j.getValue("errors") instanceof JsonArray errors && !errors.isEmpty()) {
                StringBuilder sb = new StringBuilder();
                for (Object e : errors) {
                    if (!sb.isEmpty()) {
                        sb.append("; ");
                    }
                    if (e instanceof JsonObject o) {
                        sb.append(o.getString("message", o.encode()));
                        if (o.getValue("code") != null) {
                            sb.append(" [code ").append(o.getValue("code")).append(']');
                        }
                    } else {
                        sb.append(e);
                    }
                }
                return "HTTP " + status + ": " + sb;
            }
            if (j != null && j.getValue("error") instanceof String message) {
                return "HTTP " + status + ": " + message;
            }
            return "HTTP " + status + (body.length == 0 ? "" : ": " + text());
        }
    }

    String baseUrl() {
        String u = url != null ? url : System.getenv().getOrDefault("ISOWORKER_ADMIN_URL", DEFAULT_URL);
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    private String token() {
        String t = token != null ? token : System.getenv("ISOWORKER_ADMIN_TOKEN");
        if (t == null || t.isBlank()) {
            throw new IllegalArgumentException("no admin token: pass --token or set ISOWORKER_ADMIN_TOKEN (serve "
                    + "prints it at its first start and keeps it in DATA/admin-token)");
        }
        return t;
    }

    Answer send(String method, String path, byte[] body, String contentType) throws IOException,
            InterruptedException {
        URI uri;
        try {
            uri = URI.create(baseUrl() + path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + baseUrl());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2))
                .header("authorization", "Bearer " + token())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(r.statusCode(), r.body());
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot reach the admin API at " + baseUrl() + " (is isoworker serve running "
                    + "there?)");
        }
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, null);
    }

    /** {@code value} percent-encoded for a path segment (spaces as {@code %20}, a slash as {@code %2F}). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
