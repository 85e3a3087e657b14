package io.isoworker.runtime.admin;

import java.util.function.Consumer;

import io.isoworker.runtime.observe.TailSessions;
import io.isoworker.runtime.scripts.ScriptNames;
import io.isoworker.runtime.scripts.ScriptRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The part of Cloudflare's v4 API that {@code wrangler} calls, under {@code /client/v4} on the admin listener, in
 * Cloudflare's envelope ({@link Envelope}), so that wrangler can be pointed at isoworker with
 * {@code CLOUDFLARE_API_BASE_URL=http://ADMIN/client/v4}. Every route here serves the same implementation as the
 * native {@code /v1} API: KV is {@link KvAdminApi}, tails are {@link TailRequests}.
 *
 * <p>So far: {@code whoami} ({@code /user/tokens/verify}, {@code /user}, {@code /accounts}, {@code /memberships}),
 * KV ({@code /accounts/ID/storage/kv/...}) and tails ({@code /accounts/ID/workers/scripts/NAME/tails}). The account
 * id in a path can be anything: one isoworker server is one account, named {@link #ACCOUNT_ID}.
 */
final class CloudflareApi {

    /** Where it is mounted on the admin listener. */
    static final String ROOT = "/client/v4";
    /** The one account, as {@code /accounts} lists it. */
    static final String ACCOUNT_ID = "isoworker";

    /** Cloudflare's codes that wrangler branches on. */
    static final int CODE_AUTHENTICATION = 10000;
    static final int CODE_WORKER_NOT_FOUND = 10007;
    static final int CODE_NO_PERMISSION = 9109;
    static final int CODE_NO_ROUTE = 7003;

    private final ScriptRegistry scripts;
    private final KvAdminApi kv;
    private final TailRequests tailRequests;
    private final TailSessions tails;
    private final java.util.function.BiConsumer<RoutingContext, Consumer<byte[]>> readBody;

    CloudflareApi(ScriptRegistry scripts, KvAdminApi kv, TailRequests tailRequests, TailSessions tails,
            java.util.function.BiConsumer<RoutingContext, Consumer<byte[]>> readBody) {
        this.scripts = scripts;
        this.kv = kv;
        this.tailRequests = tailRequests;
        this.tails = tails;
        this.readBody = readBody;
    }

    /** Answers a request for {@code ROOT + rest} ({@code rest} still percent-encoded, without the leading slash). */
    void handle(RoutingContext ctx, String rest) {
        String[] seg = rest.split("/", -1);
        HttpMethod method = ctx.request().method();
        if (method == HttpMethod.GET && rest.equals("user/tokens/verify")) {
            Envelope.ok(ctx, 200, new JsonObject().put("id", "isoworker-admin-token").put("status", "active"), null);
        } else if (method == HttpMethod.GET && rest.equals("user")) {
            // there are no users: the admin token is the only credential (wrangler then shows no email)
            Envelope.error(ctx, 403, CODE_NO_PERMISSION, "isoworker has no user accounts: the admin token is the "
                    + "only credential.");
        } else if (method == HttpMethod.GET && rest.equals("accounts")) {
            Envelope.ok(ctx, 200, new JsonArray().add(account()), pageInfo(ctx));
        } else if (method == HttpMethod.GET && rest.equals("memberships")) {
            Envelope.ok(ctx, 200, new JsonArray().add(new JsonObject().put("id", ACCOUNT_ID).put("status", "accepted")
                    .put("account", account()).put("roles", new JsonArray().add("Administrator"))), pageInfo(ctx));
        } else if (seg.length >= 4 && seg[0].equals("accounts") && !seg[1].isEmpty() && seg[2].equals("storage")
                && seg[3].equals("kv")) {
            kv.handle(ctx, String.join("/", java.util.Arrays.copyOfRange(seg, 4, seg.length)));
        } else if (seg.length >= 6 && seg.length <= 7 && seg[0].equals("accounts") && seg[2].equals("workers")
                && seg[3].equals("scripts") && seg[5].equals("tails")) {
            tail(ctx, method, seg[4], seg.length == 7 ? seg[6] : null);
        } else {
            Envelope.error(ctx, 404, CODE_NO_ROUTE, "isoworker does not serve " + method + " " + ROOT + "/" + rest
                    + " (yet).");
        }
    }

    private static JsonObject account() {
        return new JsonObject().put("id", ACCOUNT_ID).put("name", "isoworker");
    }

    /** One page holds everything: a second page is empty, so wrangler's paging stops. */
    private static JsonObject pageInfo(RoutingContext ctx) {
        int page = 1;
        try {
            page = Integer.parseInt(ctx.request().getParam("page", "1"));
        } catch (NumberFormatException e) {
            // the first page
        }
        return new JsonObject().put("page", page).put("per_page", 20).put("count", page == 1 ? 1 : 0)
                .put("total_count", 1);
    }

    /** {@code POST .../tails} (start one), {@code DELETE .../tails/ID} (end it). */
    private void tail(RoutingContext ctx, HttpMethod method, String script, String id) {
        if (!ScriptNames.validScriptName(script) || scripts.get(script).isEmpty()) {
            Envelope.error(ctx, 404, CODE_WORKER_NOT_FOUND, "This Worker does not exist on your account: '" + script
                    + "'.");
            return;
        }
        if (id == null && method == HttpMethod.POST) {
            readBody.accept(ctx, body -> {
                try {
                    Envelope.ok(ctx, 200, tailRequests.create(ctx, script, body), null);
                } catch (AdminException e) {
                    Envelope.error(ctx, e.status(), e.status(), e.getMessage());
                }
            });
        } else if (id != null && method == HttpMethod.DELETE) {
            if (tails.delete(script, id)) {
                Envelope.ok(ctx, 200, null, null);
            } else {
                Envelope.error(ctx, 404, 404, "Worker '" + script + "' has no tail with that id.");
            }
        } else {
            Envelope.error(ctx, 405, 405, "Method " + method + " is not allowed here.");
        }
    }
}
