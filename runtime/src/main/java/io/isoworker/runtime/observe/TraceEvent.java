package io.isoworker.runtime.observe;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.isoworker.api.http.InvocationSummary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One event of Cloudflare's {@code trace-v1} tail format: what {@code wrangler tail} prints. A request's event is
 * {@code {outcome, scriptName, scriptVersion, exceptions, logs, eventTimestamp, event: {request: {url, method,
 * headers, cf}, response: {status}}}}; a cron run's {@code event} is {@code {cron, scheduledTime}}.
 */
final class TraceEvent {

    /** Headers whose values a tail never shows. */
    private static final Set<String> REDACTED = Set.of("authorization", "cookie", "proxy-authorization");

    /** The parts of a request an event shows and the filters look at. */
    record Request(String method, String url, List<Map.Entry<String, String>> headers, int status) {
        String header(String lowerCaseName) {
            for (Map.Entry<String, String> h : headers) {
                if (h.getKey().equalsIgnoreCase(lowerCaseName)) {
                    return h.getValue();
                }
            }
            return null;
        }
    }

    private TraceEvent() {
    }

    static String request(String script, String version, Request request, InvocationSummary s) {
        JsonObject headers = new JsonObject();
        for (Map.Entry<String, String> h : request.headers()) {
            String name = h.getKey().toLowerCase(java.util.Locale.ROOT);
            headers.put(name, REDACTED.contains(name) ? "REDACTED" : h.getValue());
        }
        JsonObject event = new JsonObject()
                .put("request", new JsonObject().put("url", request.url()).put("method", request.method())
                        .put("headers", headers).put("cf", new JsonObject()))
                .put("response", new JsonObject().put("status", request.status()));
        return envelope(script, version, s, event).encode();
    }

    static String scheduled(String script, String version, String cron, long scheduledTime, InvocationSummary s) {
        return envelope(script, version, s, new JsonObject().put("cron", cron).put("scheduledTime", scheduledTime))
                .encode();
    }

    private static JsonObject envelope(String script, String version, InvocationSummary s, JsonObject event) {
        JsonArray logs = new JsonArray();
        for (InvocationSummary.ConsoleLine line : s.logs()) {
            logs.add(new JsonObject().put("message", new JsonArray().add(line.message())).put("level", line.level())
                    .put("timestamp", line.timestampMillis()));
        }
        JsonArray exceptions = new JsonArray();
        for (InvocationSummary.UncaughtException e : s.exceptions()) {
            exceptions.add(new JsonObject().put("name", e.name()).put("message", e.message())
                    .put("timestamp", e.timestampMillis()));
        }
        return new JsonObject().put("outcome", s.outcome()).put("scriptName", script)
                .put("scriptVersion", new JsonObject().put("id", version)).put("exceptions", exceptions)
                .put("logs", logs).put("eventTimestamp", s.startedAtMillis()).put("event", event)
                .put("diagnosticsChannelEvents", new JsonArray());
    }
}
