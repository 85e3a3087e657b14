package io.isoworker.runtime.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import io.isoworker.api.http.InvocationSummary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The filters of a tail, in the shape {@code wrangler tail} sends them ({@code {"filters": [...]}}): every filter
 * given must match for an event to be sent.
 *
 * <ul>
 *   <li>{@code {"sampling_rate": 0.5}}: that share of events, at random;</li>
 *   <li>{@code {"outcome": ["ok", "exception", ...]}}: the trace outcome;</li>
 *   <li>{@code {"method": ["GET", "POST"]}}: the request's method;</li>
 *   <li>{@code {"header": {"key": "x-foo", "query": "bar"}}}: the request has the header (whose value contains
 *       {@code query}, when given);</li>
 *   <li>{@code {"client_ip": ["self", "1.2.3.4"]}}: the request's client address ({@code self}: the address that
 *       created the tail);</li>
 *   <li>{@code {"query": "text"}}: a console line, exception or the URL contains the text;</li>
 *   <li>{@code {"scriptVersion": "id"}}: the version that ran.</li>
 * </ul>
 * Request filters (method, header, client address) leave out cron runs.
 */
public record TailFilter(double samplingRate, List<String> outcomes, List<String> methods, String headerKey,
        String headerQuery, List<String> clientIps, String query, String scriptVersion) {

    public static final TailFilter NONE = new TailFilter(1, List.of(), List.of(), null, null, List.of(), null, null);

    /**
     * Reads {@code {"filters": [...]}} (an empty or missing body: no filters).
     *
     * @param selfAddress what {@code "self"} in a client_ip filter stands for
     * @throws IllegalArgumentException with what is wrong
     */
    public static TailFilter parse(String body, String selfAddress) {
        if (body == null || body.isBlank()) {
            return NONE;
        }
        JsonObject json;
        try {
            json = new JsonObject(body);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("The body must be a JSON object {\"filters\": [...]}.");
        }
        Object raw = json.getValue("filters");
        if (raw == null) {
            return NONE;
        }
        if (!(raw instanceof JsonArray filters)) {
            throw new IllegalArgumentException("\"filters\" must be an array.");
        }
        double rate = 1;
        List<String> outcomes = List.of();
        List<String> methods = List.of();
        String headerKey = null;
        String headerQuery = null;
        List<String> ips = List.of();
        String query = null;
        String version = null;
        for (Object f : filters) {
            if (!(f instanceof JsonObject filter) || filter.size() != 1) {
                throw new IllegalArgumentException("Each filter must be an object with one key, got: " + f);
            }
            String key = filter.fieldNames().iterator().next();
            Object value = filter.getValue(key);
            switch (key) {
                case "sampling_rate" -> {
                    if (!(value instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 1) {
                        throw new IllegalArgumentException("sampling_rate must be a number from 0 to 1.");
                    }
                    rate = n.doubleValue();
                }
                case "outcome" -> outcomes = strings(key, value, false);
                case "method" -> methods = strings(key, value, true);
                case "header" -> {
                    if (!(value instanceof JsonObject h) || !(h.getValue("key") instanceof String k) || k.isEmpty()) {
                        throw new IllegalArgumentException("header must be {\"key\": NAME, \"query\": TEXT}.");
                    }
                    headerKey = k.toLowerCase(Locale.ROOT);
                    headerQuery = h.getValue("query") instanceof String q ? q : null;
                }
                case "client_ip" -> {
                    List<String> given = new ArrayList<>();
                    for (String ip : strings(key, value, false)) {
                        given.add(ip.equals("self") ? selfAddress : ip);
                    }
                    ips = List.copyOf(given);
                }
                case "query" -> {
                    if (!(value instanceof String q)) {
                        throw new IllegalArgumentException("query must be a string.");
                    }
                    query = q;
                }
                case "scriptVersion" -> {
                    if (!(value instanceof String v)) {
                        throw new IllegalArgumentException("scriptVersion must be a string.");
                    }
                    version = v;
                }
                default -> throw new IllegalArgumentException("Unknown tail filter '" + key + "'.");
            }
        }
        return new TailFilter(rate, outcomes, methods, headerKey, headerQuery, ips, query, version);
    }

    private static List<String> strings(String key, Object value, boolean upper) {
        if (!(value instanceof JsonArray array)) {
            throw new IllegalArgumentException(key + " must be an array of strings.");
        }
        List<String> out = new ArrayList<>();
        for (Object o : array) {
            if (!(o instanceof String s)) {
                throw new IllegalArgumentException(key + " must be an array of strings.");
            }
            out.add(upper ? s.toUpperCase(Locale.ROOT) : s);
        }
        return List.copyOf(out);
    }

    /** Whether an event passes. {@code request} is null for a cron run. */
    boolean matches(TraceEvent.Request request, String version, InvocationSummary s) {
        if (!outcomes.isEmpty() && !outcomes.contains(s.outcome())) {
            return false;
        }
        if (scriptVersion != null && !scriptVersion.equals(version)) {
            return false;
        }
        if (request == null && (!methods.isEmpty() || headerKey != null || !clientIps.isEmpty())) {
            return false;
        }
        if (request != null) {
            if (!methods.isEmpty() && !methods.contains(request.method().toUpperCase(Locale.ROOT))) {
                return false;
            }
            if (headerKey != null) {
                String value = request.header(headerKey);
                if (value == null || (headerQuery != null && !value.contains(headerQuery))) {
                    return false;
                }
            }
            if (!clientIps.isEmpty() && !clientIps.contains(request.header("cf-connecting-ip"))) {
                return false;
            }
        }
        if (query != null && !mentions(request, s)) {
            return false;
        }
        return samplingRate >= 1 || ThreadLocalRandom.current().nextDouble() < samplingRate;
    }

    private boolean mentions(TraceEvent.Request request, InvocationSummary s) {
        if (request != null && request.url().contains(query)) {
            return true;
        }
        for (InvocationSummary.ConsoleLine line : s.logs()) {
            if (line.message().contains(query)) {
                return true;
            }
        }
        for (InvocationSummary.UncaughtException e : s.exceptions()) {
            if (e.message().contains(query) || e.name().contains(query)) {
                return true;
            }
        }
        return false;
    }
}
