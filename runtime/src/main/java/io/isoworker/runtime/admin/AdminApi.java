package io.isoworker.runtime.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.api.Binding;
import io.isoworker.api.WorkerModule;
import io.isoworker.isolate.IsolatePool;
import io.isoworker.isolate.ScriptLoadException;
import io.isoworker.kv.KvStore;
import io.isoworker.runtime.scripts.ScriptNames;
import io.isoworker.runtime.cron.CronSchedule;
import io.isoworker.runtime.observe.TailFilter;
import io.isoworker.runtime.observe.TailSessions;
import io.isoworker.runtime.observe.Telemetry;
import io.isoworker.runtime.scripts.ScriptRegistry;
import io.isoworker.runtime.scripts.ScriptVersion;
import io.isoworker.runtime.traffic.BoundedBody;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The admin API (its own listener): upload, list, show and delete scripts, their cron schedules, KV
 * ({@link KvAdminApi}), tails and the Prometheus metrics. Every request needs {@code Authorization: Bearer TOKEN},
 * except a tail's WebSocket ({@code /v1/tail/ID}), whose unguessable id is its credential. Blocking work (checking a
 * script, writing to disk) runs on worker threads.
 */
public final class AdminApi {

    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    /** A {@code %} not followed by two hex digits: Vert.x cannot normalise such a path to match routes. */
    private static final String BEARER = "Bearer ";
    private static final java.util.regex.Pattern BAD_ESCAPE = java.util.regex.Pattern.compile("%(?![0-9A-Fa-f]{2})");

    private final Vertx vertx;
    private final ScriptRegistry scripts;
    private final IsolatePool isolates;
    private final byte[] token;
    private final long maxScriptSize;
    private final KvStore kv;
    private final KvAdminApi kvApi;

    private final Telemetry telemetry;
    private final TailRequests tailRequests;
    private final CloudflareApi cloudflare;

    /**
     * @param telemetry the metrics and tails (both set: this is serve)
     */
    public AdminApi(Vertx vertx, ScriptRegistry scripts, IsolatePool isolates, KvStore kv, String token,
            long maxScriptSize, Telemetry telemetry) {
        this.telemetry = telemetry;
        this.vertx = vertx;
        this.scripts = scripts;
        this.isolates = isolates;
        this.kv = kv;
        this.kvApi = new KvAdminApi(vertx, kv);
        this.tailRequests = new TailRequests(telemetry.tails());
        this.cloudflare = new CloudflareApi(scripts, kvApi, tailRequests, telemetry.tails(), this::readBody);
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.maxScriptSize = maxScriptSize;
    }

    public Router router() {
        Router router = Router.router(vertx);
        // A tail's socket has no token (its id is the credential). Matched on the raw path, as below: a route with a
        // path here would make Vert.x normalise every path before the KV API can answer a bad escape in it.
        router.route().handler(ctx -> {
            String path = ctx.request().path();
            if (path.startsWith(TailRequests.SOCKET_PATH)
                    && ctx.request().method() == io.vertx.core.http.HttpMethod.GET) {
                tailSocket(ctx, path.substring(TailRequests.SOCKET_PATH.length()));
            } else {
                ctx.next();
            }
        });
        // Cloudflare's API (for wrangler): its own envelope, for a refused token too; matched on the raw path.
        router.route().handler(ctx -> {
            String path = ctx.request().path();
            if (path.startsWith(CloudflareApi.ROOT + "/")) {
                if (!validToken(ctx.request().getHeader("authorization"))) {
                    Envelope.error(ctx, 401, CloudflareApi.CODE_AUTHENTICATION, "Authentication error: send the "
                            + "isoworker admin token as CLOUDFLARE_API_TOKEN (Authorization: Bearer TOKEN).");
                    return;
                }
                cloudflare.handle(ctx, path.substring(CloudflareApi.ROOT.length() + 1));
            } else {
                ctx.next();
            }
        });
        router.route().handler(this::authenticate);
        // Matched on the raw path, before any route with a path: Vert.x normalises the path to match those, which
        // fails on an undecodable escape in a key (%zz) before KvAdminApi can answer it in the envelope.
        router.route().handler(ctx -> {
            String path = ctx.request().path();
            if (path.startsWith("/v1/kv/")) {
                kvApi.handle(ctx, path.substring("/v1/kv/".length()));
            } else if (BAD_ESCAPE.matcher(path).find()) {
                error(ctx, 400, "The path has an invalid percent-encoding: " + path);
            } else {
                ctx.next();
            }
        });
        router.put("/v1/scripts/:name").handler(this::upload);
        router.get("/v1/scripts").handler(this::list);
        router.get("/v1/scripts/:name").handler(this::show);
        router.get("/v1/scripts/:name/versions").handler(this::versions);
        router.delete("/v1/scripts/:name").handler(this::delete);
        router.get("/v1/scripts/:name/schedules").handler(this::schedules);
        router.put("/v1/scripts/:name/schedules").handler(this::setSchedules);
        router.post("/v1/scripts/:name/tails").handler(this::startTail);
        router.get("/v1/scripts/:name/tails").handler(this::tails);
        router.delete("/v1/scripts/:name/tails/:id").handler(this::deleteTail);
        router.get("/metrics").handler(this::metrics);
        router.errorHandler(404, ctx -> error(ctx, 404, "No such admin endpoint: " + ctx.request().path()));
        router.errorHandler(405, ctx -> error(ctx, 405, "Method " + ctx.request().method() + " is not allowed here."));
        router.errorHandler(500, ctx -> {
            LOG.error("admin request {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
            error(ctx, 500, "Internal error.");
        });
        return router;
    }

    private void authenticate(RoutingContext ctx) {
        String header = ctx.request().getHeader("authorization");
        if (!validToken(header)) {
            ctx.response().putHeader("www-authenticate", "Bearer");
            error(ctx, 401, header == null ? "Missing Authorization: Bearer token." : "Invalid admin token.");
            return;
        }
        ctx.next();
    }

    /**
     * {@code Bearer TOKEN}, the scheme in any case (RFC 9110 11.1), the token compared in constant time: how long it
     * takes depends on the length of what was sent, not on how much of it matches.
     */
    private boolean validToken(String header) {
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] given = header.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }

    private String scriptName(RoutingContext ctx) throws AdminException {
        String name = ctx.pathParam("name");
        if (!ScriptNames.validScriptName(name)) {
            throw new AdminException(400, "Invalid script name '" + name
                    + "': use 1-63 lower-case letters, digits and dashes, starting with a letter or digit.");
        }
        return name;
    }

    private void upload(RoutingContext ctx) {
        String name;
        try {
            name = scriptName(ctx);
        } catch (AdminException e) {
            error(ctx, e);
            return;
        }
        readBody(ctx, body -> vertx.executeBlocking(() -> publish(name, ctx.request().getHeader("content-type"), body))
                .onSuccess(v -> json(ctx, 200, uploadAnswer(v)))
                .onFailure(e -> fail(ctx, e)));
    }

    private ScriptVersion publish(String name, String contentType, byte[] body) throws Exception {
        ScriptUpload upload = ScriptUpload.parse(contentType, body);
        long maxCpu = isolates.settings().maxRequestCpuLimit().toMillis();
        if (upload.cpuLimitMillis() > maxCpu) {
            throw new AdminException(400, "limits.cpu_ms " + upload.cpuLimitMillis() + " is above this server's maximum of "
                    + maxCpu + " ms.");
        }
        for (Binding b : upload.bindings()) {
            if (b instanceof Binding.KvNamespace ns && kv.namespace(ns.namespaceId()).isEmpty()) {
                throw new AdminException(400, "Binding '" + ns.name() + "' names KV namespace '" + ns.namespaceId()
                        + "', which does not exist.");
            }
        }
        ScriptVersion version;
        try {
            version = ScriptVersion.create(name, upload.mainModule(), upload.modules(), upload.bindings(),
                    upload.compatibilityDate(), upload.cpuLimitMillis(), upload.sourceMaps());
        } catch (IllegalArgumentException e) {
            throw new AdminException(400, e.getMessage());
        }
        try {
            isolates.validate(version.bundle());
        } catch (ScriptLoadException e) {
            JsonObject details = new JsonObject().put("kind", e.kind().name().toLowerCase());
            if (e.module() != null) {
                details.put("module", e.module());
            }
            if (e.line() > 0) {
                details.put("line", e.line());
            }
            throw new AdminException(400, e.getMessage(), details);
        }
        Optional<ScriptVersion> previous = scripts.publish(version);
        previous.ifPresent(p -> isolates.retireVersion(p.id()));
        LOG.info("script {}: version {} is active ({} bytes, {} module(s))", name, version.id(), version.size(),
                version.modules().size());
        return version;
    }

    private static JsonObject uploadAnswer(ScriptVersion v) {
        return new JsonObject()
                .put("name", v.scriptName())
                .put("version_id", v.id())
                .put("hash", v.hash())
                .put("size", v.size())
                .put("created_on", v.createdOn().toString())
                .put("main_module", v.mainModule())
                .put("format", v.format());
    }

    private void list(RoutingContext ctx) {
        JsonArray out = new JsonArray();
        for (ScriptRegistry.Script s : scripts.list()) {
            out.add(new JsonObject()
                    .put("name", s.name())
                    .put("active_version_id", s.active().id())
                    .put("modified_on", s.active().createdOn().toString())
                    .put("versions", s.versions().size()));
        }
        json(ctx, 200, new JsonObject().put("scripts", out));
    }

    private void show(RoutingContext ctx) {
        try {
            ScriptRegistry.Script s = existing(ctx);
            ScriptVersion v = s.active();
            JsonArray bindings = new JsonArray();
            for (Binding b : v.bindings()) {
                JsonObject j = new JsonObject().put("name", b.name()).put("type", b.type());
                switch (b) {
                    case Binding.PlainText t -> j.put("text", t.text());
                    case Binding.Json t -> j.put("json", io.vertx.core.json.Json.decodeValue(t.json()));
                    case Binding.KvNamespace k -> j.put("namespace_id", k.namespaceId());
                    case Binding.SecretText t -> {
                        // never shown
                    }
                }
                bindings.add(j);
            }
            JsonArray modules = new JsonArray();
            for (WorkerModule m : v.modules()) {
                modules.add(new JsonObject().put("name", m.name()).put("type", m.type().contentType())
                        .put("size", m.content().length));
            }
            json(ctx, 200, new JsonObject()
                    .put("name", s.name())
                    .put("active_version", versionJson(v, true))
                    .put("versions", s.versions().size())
                    .put("bindings", bindings)
                    .put("limits", new JsonObject().put("cpu_ms",
                            isolates.settings().requestCpuLimit(v.bundle()).toMillis()))
                    .put("modules", modules));
        } catch (AdminException e) {
            error(ctx, e);
        }
    }

    private void versions(RoutingContext ctx) {
        try {
            ScriptRegistry.Script s = existing(ctx);
            JsonArray out = new JsonArray();
            for (int i = s.versions().size() - 1; i >= 0; i--) {
                ScriptVersion v = s.versions().get(i);
                out.add(versionJson(v, v.id().equals(s.active().id())));
            }
            json(ctx, 200, new JsonObject().put("name", s.name()).put("versions", out));
        } catch (AdminException e) {
            error(ctx, e);
        }
    }

    private void delete(RoutingContext ctx) {
        String name;
        try {
            name = scriptName(ctx);
        } catch (AdminException e) {
            error(ctx, e);
            return;
        }
        vertx.executeBlocking(() -> {
            Optional<ScriptRegistry.Script> removed = scripts.delete(name);
            if (removed.isEmpty()) {
                throw new AdminException(404, "No script named '" + name + "'.");
            }
            for (ScriptVersion v : removed.get().versions()) {
                isolates.retireVersion(v.id());
            }
            telemetry.forget(name);
            LOG.info("script {}: deleted", name);
            return name;
        }).onSuccess(n -> json(ctx, 200, new JsonObject().put("deleted", n)))
                .onFailure(e -> fail(ctx, e));
    }

    /** {@code GET /v1/scripts/NAME/schedules}: {@code {"schedules": [{"cron": "..."}]}}. */
    private void schedules(RoutingContext ctx) {
        try {
            ScriptRegistry.Script script = existing(ctx);
            json(ctx, 200, schedulesJson(scripts.schedules(script.name())));
        } catch (AdminException e) {
            error(ctx, e);
        }
    }

    /**
     * {@code PUT /v1/scripts/NAME/schedules} with Cloudflare's body, {@code [{"cron": "*&#47;5 * * * *"}, ...]}:
     * replaces the script's cron schedules (an empty array removes them). Each is checked; a bad one is a 400 that
     * says what is wrong, and nothing changes.
     */
    private void setSchedules(RoutingContext ctx) {
        String name;
        try {
            name = existing(ctx).name();
        } catch (AdminException e) {
            error(ctx, e);
            return;
        }
        readBody(ctx, body -> vertx.executeBlocking(() -> {
            List<CronSchedule> parsed = new java.util.ArrayList<>();
            Object json;
            try {
                json = io.vertx.core.json.Json.decodeValue(new String(body, StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw new AdminException(400, "The body must be a JSON array of {\"cron\": \"...\"} objects.");
            }
            if (!(json instanceof io.vertx.core.json.JsonArray array)) {
                throw new AdminException(400, "The body must be a JSON array of {\"cron\": \"...\"} objects.");
            }
            for (Object o : array) {
                if (!(o instanceof JsonObject entry) || !(entry.getValue("cron") instanceof String text)) {
                    throw new AdminException(400, "Each schedule must be an object with a \"cron\" string.");
                }
                try {
                    parsed.add(CronSchedule.parse(text));
                } catch (IllegalArgumentException e) {
                    throw new AdminException(400, "Invalid cron schedule '" + text + "': " + e.getMessage());
                }
            }
            if (!scripts.setSchedules(name, parsed)) {
                throw new AdminException(404, "No script named '" + name + "'.");
            }
            LOG.info("script {}: cron schedules {}", name, parsed.stream().map(CronSchedule::text).toList());
            return parsed;
        }).onSuccess(crons -> json(ctx, 200, schedulesJson(crons))).onFailure(e -> fail(ctx, e)));
    }

    /** {@code GET /metrics}: every metric in Prometheus' text format. */
    private void metrics(RoutingContext ctx) {
        vertx.executeBlocking(() -> telemetry.metrics().scrape())
                .onSuccess(text -> ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(text))
                .onFailure(e -> fail(ctx, e));
    }

    /**
     * {@code POST /v1/scripts/NAME/tails} with {@code {"filters": [...]}} ({@link TailFilter}, the body wrangler
     * sends): starts a tail; the answer has its {@code id}, the WebSocket {@code url} to read its events from, and
     * {@code expires_at}.
     */
    private void startTail(RoutingContext ctx) {
        String name;
        try {
            name = existing(ctx).name();
        } catch (AdminException e) {
            error(ctx, e);
            return;
        }
        readBody(ctx, body -> {
            try {
                json(ctx, 200, tailRequests.create(ctx, name, body));
            } catch (AdminException e) {
                error(ctx, e);
            }
        });
    }

    /** {@code GET /v1/scripts/NAME/tails}: the script's tails (their ids, so that they can be deleted). */
    private void tails(RoutingContext ctx) {
        try {
            io.vertx.core.json.JsonArray list = new io.vertx.core.json.JsonArray();
            for (TailSessions.Tail t : telemetry.tails().list(existing(ctx).name())) {
                list.add(TailRequests.json(t).put("connected", t.connected()));
            }
            json(ctx, 200, new JsonObject().put("tails", list));
        } catch (AdminException e) {
            error(ctx, e);
        }
    }

    /** {@code DELETE /v1/scripts/NAME/tails/ID}: ends the tail and closes its socket. */
    private void deleteTail(RoutingContext ctx) {
        try {
            String name = scriptName(ctx);
            if (!telemetry.tails().delete(name, ctx.pathParam("id"))) {
                throw new AdminException(404, "Script '" + name + "' has no tail with that id.");
            }
            json(ctx, 200, new JsonObject().put("deleted", ctx.pathParam("id")));
        } catch (AdminException e) {
            error(ctx, e);
        }
    }

    /** {@code GET /v1/tail/ID} upgraded to a WebSocket: the tail's events, one JSON text message each. */
    private void tailSocket(RoutingContext ctx, String id) {
        if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("upgrade"))) {
            error(ctx, 400, "This is a tail's WebSocket: connect with a WebSocket client (subprotocol trace-v1).");
            return;
        }
        if (!telemetry.tails().connectable(id)) {
            error(ctx, 404, "No such tail, or it expired or is connected already.");
            return;
        }
        ctx.request().toWebSocket().onSuccess(ws -> {
            if (!telemetry.tails().connect(id, ws)) {
                ws.close((short) 1008, "No such tail, or it expired or is connected already.");
            }
        }).onFailure(e -> LOG.debug("tail socket upgrade failed", e));
    }

    private static JsonObject schedulesJson(List<CronSchedule> crons) {
        io.vertx.core.json.JsonArray list = new io.vertx.core.json.JsonArray();
        for (CronSchedule c : crons) {
            list.add(new JsonObject().put("cron", c.text()));
        }
        return new JsonObject().put("schedules", list);
    }

    private ScriptRegistry.Script existing(RoutingContext ctx) throws AdminException {
        String name = scriptName(ctx);
        return scripts.get(name).orElseThrow(() -> new AdminException(404, "No script named '" + name + "'."));
    }

    private static JsonObject versionJson(ScriptVersion v, boolean active) {
        return new JsonObject()
                .put("id", v.id())
                .put("hash", v.hash())
                .put("size", v.size())
                .put("created_on", v.createdOn().toString())
                .put("main_module", v.mainModule())
                .put("format", v.format())
                .put("compatibility_date", v.compatibilityDate())
                .put("active", active);
    }

    /** Collects the request body up to the upload limit; answers 413 beyond it. */
    private void readBody(RoutingContext ctx, java.util.function.Consumer<byte[]> then) {
        ctx.request().exceptionHandler(e -> {
            if (!ctx.response().ended()) {
                error(ctx, 400, "Could not read the request body: " + e.getMessage());
            }
        });
        BoundedBody.read(ctx.request(), maxScriptSize, () -> tooLarge(ctx),
                () -> error(ctx, 400, "Invalid Content-Length."), body -> then.accept(body.getBytes()));
    }

    private void tooLarge(RoutingContext ctx) {
        error(ctx, 413, "The upload is larger than the limit of " + maxScriptSize + " bytes.");
    }

    private static void fail(RoutingContext ctx, Throwable e) {
        if (e instanceof AdminException a) {
            error(ctx, a);
        } else {
            LOG.error("admin request {} {} failed", ctx.request().method(), ctx.request().path(), e);
            error(ctx, 500, "Internal error: " + e.getMessage());
        }
    }

    private static void error(RoutingContext ctx, AdminException e) {
        json(ctx, e.status(), e.body());
    }

    private static void error(RoutingContext ctx, int status, String message) {
        json(ctx, status, new JsonObject().put("error", message));
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
}
