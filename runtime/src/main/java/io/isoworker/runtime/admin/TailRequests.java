package io.isoworker.runtime.admin;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.isoworker.runtime.observe.TailFilter;
import io.isoworker.runtime.observe.TailSessions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Starting a tail from an admin request, for the native API ({@code /v1/scripts/NAME/tails}) and Cloudflare's
 * ({@code /client/v4/accounts/ID/workers/scripts/NAME/tails}): the same filters, the same answer
 * {@code {id, url, expires_at}}, in their own envelopes.
 */
final class TailRequests {

    /** Where a tail's WebSocket is: this, then the tail's id. */
    static final String SOCKET_PATH = "/v1/tail/";

    private final TailSessions tails;

    TailRequests(TailSessions tails) {
        this.tails = tails;
    }

    /**
     * Starts a tail of {@code script} (which exists) with the filters in {@code body}; its socket URL is on the
     * listener the request came in on.
     */
    JsonObject create(RoutingContext ctx, String script, byte[] body) throws AdminException {
        String self = ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().hostAddress();
        TailSessions.Tail tail;
        try {
            tail = tails.create(script, TailFilter.parse(new String(body, StandardCharsets.UTF_8), self));
        } catch (IllegalArgumentException e) {
            throw new AdminException(400, "Invalid tail filters: " + e.getMessage());
        } catch (IllegalStateException e) {
            throw new AdminException(429, e.getMessage());
        }
        String authority = ctx.request().authority() != null ? ctx.request().authority().toString()
                : ctx.request().localAddress().host() + ":" + ctx.request().localAddress().port();
        return json(tail).put("url", (ctx.request().isSSL() ? "wss://" : "ws://") + authority + SOCKET_PATH
                + tail.id());
    }

    static JsonObject json(TailSessions.Tail tail) {
        return new JsonObject().put("id", tail.id())
                .put("expires_at", Instant.ofEpochMilli(tail.expiresAtMillis()).toString());
    }
}
