package io.isoworker.runtime.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers in Cloudflare's v4 envelope, {@code {success, errors: [{code, message}], messages, result, result_info?}},
 * always with a real HTTP status as well (wrangler's bundled SDK sees errors only through the status).
 */
final class Envelope {

    private Envelope() {
    }

    /** A success: {@code result}, and {@code resultInfo} (paging) when not null. */
    static void ok(RoutingContext ctx, int status, Object result, JsonObject resultInfo) {
        JsonObject body = new JsonObject().put("success", true).put("errors", new JsonArray())
                .put("messages", new JsonArray()).put("result", result);
        if (resultInfo != null) {
            body.put("result_info", resultInfo);
        }
        send(ctx, status, body);
    }

    /** A failure with Cloudflare's error {@code code} (where it has one) and a message that says what is wrong. */
    static void error(RoutingContext ctx, int status, int code, String message) {
        JsonObject body = new JsonObject().put("success", false)
                .put("errors", new JsonArray().add(new JsonObject().put("code", code).put("message", message)))
                .put("messages", new JsonArray()).putNull("result");
        send(ctx, status, body);
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
}
