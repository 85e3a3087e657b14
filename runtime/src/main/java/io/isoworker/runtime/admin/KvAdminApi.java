package io.isoworker.runtime.admin;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.kv.KvException;
import io.isoworker.kv.KvLimits;
import io.isoworker.kv.KvListPage;
import io.isoworker.kv.KvListedKey;
import io.isoworker.kv.KvNamespace;
import io.isoworker.kv.KvNamespacePage;
import io.isoworker.kv.KvPut;
import io.isoworker.kv.KvStore;
import io.isoworker.runtime.traffic.BoundedBody;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The KV part of the admin API, in the shape of Cloudflare's ({@code /accounts/ID/storage/kv/...}) so that the same
 * handler can serve both: JSON answers in Cloudflare's envelope {@code {success, errors, messages, result}}, values as
 * raw bytes. Paths are split on the raw (still percent-encoded) path, so a key may contain {@code /}.
 * <pre>
 * POST   namespaces                      {"title"}            -> {id, title}
 * GET    namespaces?page=&amp;per_page=                           -> [{id, title}], result_info
 * DELETE namespaces/ID
 * PUT    namespaces/ID/values/KEY?expiration=&amp;expiration_ttl=  raw value, or multipart with value and metadata parts
 * GET    namespaces/ID/values/KEY                              -> the raw value
 * GET    namespaces/ID/metadata/KEY                            -> the metadata
 * DELETE namespaces/ID/values/KEY
 * GET    namespaces/ID/keys?prefix=&amp;limit=&amp;cursor=               -> [{name, expiration?, metadata?}], result_info.cursor
 * PUT    namespaces/ID/bulk              [{key, value, expiration?, expiration_ttl?, metadata?, base64?}]
 * POST   namespaces/ID/bulk/delete       ["key", ...]
 * </pre>
 * Error codes are Cloudflare's where it has one (10009 key not found, 10013 namespace not found, 10014 namespace
 * exists, 10019 missing title, 10024 payload too large, 10025 no such endpoint, 10028 invalid limit); other refusals
 * carry their HTTP status as the code.
 */
final class KvAdminApi {

    private static final Logger LOG = LoggerFactory.getLogger(KvAdminApi.class);

    /** The largest KV admin request body: a bulk write of many values. */
    static final long MAX_BODY = 100L * 1024 * 1024;
    private static final int MAX_BULK_WRITES = 10_000;

    private final Vertx vertx;
    private final KvStore kv;

    KvAdminApi(Vertx vertx, KvStore kv) {
        this.vertx = vertx;
        this.kv = kv;
    }

    /**
     * Handles a request whose path below the KV root (after {@code /v1/kv/}) is {@code rest}, still
     * percent-encoded.
     */
    void handle(RoutingContext ctx, String rest) {
        try {
            checkQuery(ctx);
            String[] seg = rest.split("/", -1);
            HttpMethod method = ctx.request().method();
            if (!seg[0].equals("namespaces")) {
                throw notFound(ctx);
            }
            if (seg.length == 1) {
                if (method == HttpMethod.POST) {
                    createNamespace(ctx);
                } else if (method == HttpMethod.GET) {
                    listNamespaces(ctx);
                } else {
                    throw notAllowed(ctx);
                }
                return;
            }
            String id = decode(seg[1], "namespace id");
            if (kv.namespace(id).isEmpty()) {
                throw new ApiError(404, 10013, "namespace not found");
            }
            if (seg.length == 2) {
                if (method != HttpMethod.DELETE) {
                    throw notAllowed(ctx);
                }
                complete(ctx, kv.deleteNamespace(id).thenApply(existed -> null));
                return;
            }
            String what = seg[2];
            if (seg.length == 3 && what.equals("keys") && method == HttpMethod.GET) {
                listKeys(ctx, id);
            } else if (seg.length == 3 && what.equals("bulk") && method == HttpMethod.PUT) {
                body(ctx, body -> bulkWrite(ctx, id, body));
            } else if (seg.length == 4 && what.equals("bulk") && seg[3].equals("delete")
                    && (method == HttpMethod.POST || method == HttpMethod.DELETE)) {
                body(ctx, body -> bulkDelete(ctx, id, body));
            } else if (seg.length >= 4 && (what.equals("values") || what.equals("metadata"))) {
                // A key is one segment; a '/' that was not percent-encoded is part of it too.
                String key = decode(String.join("/", java.util.Arrays.copyOfRange(seg, 3, seg.length)), "key name");
                if (what.equals("metadata")) {
                    if (method != HttpMethod.GET) {
                        throw notAllowed(ctx);
                    }
                    read(ctx, id, key, true);
                } else if (method == HttpMethod.GET) {
                    read(ctx, id, key, false);
                } else if (method == HttpMethod.PUT) {
                    body(ctx, body -> writeValue(ctx, id, key, body));
                } else if (method == HttpMethod.DELETE) {
                    complete(ctx, kv.delete(id, key).thenApply(v -> null));
                } else {
                    throw notAllowed(ctx);
                }
            } else {
                throw notFound(ctx);
            }
        } catch (ApiError e) {
            error(ctx, e);
        }
    }

    // ---- namespaces

    private void createNamespace(RoutingContext ctx) {
        body(ctx, body -> {
            JsonObject request = jsonObject(body);
            Object title = request.getValue("title");
            if (!(title instanceof String t) || t.isBlank()) {
                throw new ApiError(400, 10019, "missing title");
            }
            complete(ctx, kv.createNamespace(t).thenApply(KvAdminApi::namespaceJson));
        });
    }

    private void listNamespaces(RoutingContext ctx) throws ApiError {
        int page = intParam(ctx, "page", 1, 1, Integer.MAX_VALUE, 10007);
        int perPage = intParam(ctx, "per_page", 20, 1, 1000, 10008);
        KvNamespacePage p = kv.namespaces(page, perPage);
        JsonArray result = new JsonArray();
        p.namespaces().forEach(ns -> result.add(namespaceJson(ns)));
        envelope(ctx, 200, result, new JsonObject().put("page", page).put("per_page", perPage)
                .put("count", p.namespaces().size()).put("total_count", p.totalCount())
                .put("total_pages", (p.totalCount() + perPage - 1) / perPage));
    }

    private static JsonObject namespaceJson(KvNamespace ns) {
        return new JsonObject().put("id", ns.id()).put("title", ns.title()).put("supports_url_encoding", true);
    }

    // ---- keys

    /** GET .../values/KEY (the raw bytes) or GET .../metadata/KEY (the metadata in an envelope). */
    private void read(RoutingContext ctx, String id, String key, boolean metadataOnly) {
        whenDone(kv.get(id, key), (entry, failure) -> {
            if (failure != null) {
                fail(ctx, failure);
            } else if (entry == null) {
                error(ctx, new ApiError(404, 10009, "key not found"));
            } else if (metadataOnly) {
                envelope(ctx, 200, entry.metadata() == null ? null : Json.decodeValue(entry.metadata()), null);
            } else {
                ctx.response().setStatusCode(200).putHeader("content-type", "application/octet-stream")
                        .end(io.vertx.core.buffer.Buffer.buffer(entry.value()));
            }
        });
    }

    private void writeValue(RoutingContext ctx, String id, String key, byte[] body) throws ApiError {
        byte[] value = body;
        String metadata = null;
        String contentType = ctx.request().getHeader("content-type");
        if (MultipartBody.is(contentType)) {
            value = null;
            try {
                for (MultipartBody.Part part : MultipartBody.parse(contentType, body)) {
                    if (part.name().equals("value")) {
                        value = part.content();
                    } else if (part.name().equals("metadata")) {
                        metadata = metadataText(part.text());
                    }
                }
            } catch (AdminException e) {
                throw new ApiError(400, 400, e.getMessage());
            }
            if (value == null) {
                throw new ApiError(400, 10012, "A multipart value upload needs a 'value' part.");
            }
        }
        KvPut put = new KvPut(key, value, metadata, longParam(ctx, "expiration"), longParam(ctx, "expiration_ttl"));
        complete(ctx, kv.put(id, put).thenApply(v -> null));
    }

    private void listKeys(RoutingContext ctx, String id) throws ApiError {
        int limit = intParam(ctx, "limit", KvLimits.MAX_LIST_LIMIT, Integer.MIN_VALUE, Integer.MAX_VALUE, 10028);
        String prefix = ctx.request().getParam("prefix");
        String cursor = ctx.request().getParam("cursor");
        CompletableFuture<KvListPage> page = kv.list(id, prefix, limit, cursor);
        whenDone(page, (p, failure) -> {
            if (failure != null) {
                fail(ctx, failure);
                return;
            }
            JsonArray keys = new JsonArray();
            for (KvListedKey k : p.keys()) {
                JsonObject j = new JsonObject().put("name", k.name());
                if (k.expiration() != 0) {
                    j.put("expiration", k.expiration());
                }
                if (k.metadata() != null) {
                    j.put("metadata", Json.decodeValue(k.metadata()));
                }
                keys.add(j);
            }
            envelope(ctx, 200, keys, new JsonObject().put("count", p.keys().size())
                    .put("cursor", p.complete() ? "" : p.cursor()));
        });
    }

    private void bulkWrite(RoutingContext ctx, String id, byte[] body) throws ApiError {
        JsonArray items = jsonArray(body);
        if (items.size() > MAX_BULK_WRITES) {
            throw new ApiError(400, 10024, "A bulk write takes at most " + MAX_BULK_WRITES + " pairs.");
        }
        List<KvPut> puts = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!(items.getValue(i) instanceof JsonObject item) || !(item.getValue("key") instanceof String key)
                    || !(item.getValue("value") instanceof String text)) {
                throw new ApiError(400, 10012, "Item " + i + " needs a string key and a string value.");
            }
            byte[] value;
            if (Boolean.TRUE.equals(item.getValue("base64"))) {
                try {
                    value = Base64.getDecoder().decode(text);
                } catch (IllegalArgumentException e) {
                    throw new ApiError(400, 10012, "The value of item " + i + " is not valid base64.");
                }
            } else {
                value = text.getBytes(StandardCharsets.UTF_8);
            }
            Object metadata = item.getValue("metadata");
            puts.add(new KvPut(key, value, metadata == null ? null : Json.encode(metadata),
                    optionalLong(item, "expiration", i), optionalLong(item, "expiration_ttl", i)));
        }
        int count = puts.size();
        complete(ctx, kv.putAll(id, puts).thenApply(v -> bulkResult(count)));
    }

    private void bulkDelete(RoutingContext ctx, String id, byte[] body) throws ApiError {
        JsonArray items = jsonArray(body);
        if (items.size() > MAX_BULK_WRITES) {
            throw new ApiError(400, 10024, "A bulk delete takes at most " + MAX_BULK_WRITES + " keys.");
        }
        List<String> keys = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!(items.getValue(i) instanceof String key)) {
                throw new ApiError(400, 10012, "Item " + i + " must be a key name (a string).");
            }
            keys.add(key);
        }
        int count = keys.size();
        complete(ctx, kv.deleteAll(id, keys).thenApply(v -> bulkResult(count)));
    }

    private static JsonObject bulkResult(int count) {
        return new JsonObject().put("successful_key_count", count).put("unsuccessful_keys", new JsonArray());
    }

    // ---- parsing

    private interface BodyHandler {
        void accept(byte[] body) throws ApiError;
    }

    private void body(RoutingContext ctx, BodyHandler then) {
        BoundedBody.read(ctx.request(), MAX_BODY,
                () -> error(ctx, new ApiError(413, 10024, "payload too large")),
                () -> error(ctx, new ApiError(400, 400, "Invalid Content-Length.")),
                buffer -> {
                    try {
                        then.accept(buffer.getBytes());
                    } catch (ApiError e) {
                        error(ctx, e);
                    }
                });
    }

    /** The query string must decode: Vert.x decodes it on first use and throws on an escape such as {@code %zz}. */
    private static void checkQuery(RoutingContext ctx) throws ApiError {
        try {
            ctx.request().params();
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, 400, "Could not URL-decode the query string");
        }
    }

    /** Percent-decodes one path part as UTF-8. */
    private static String decode(String raw, String what) throws ApiError {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    throw new ApiError(400, 400, "Could not URL-decode " + what);
                }
                out.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ApiError(400, 400, "Could not URL-decode " + what);
        }
    }

    /** The metadata part: JSON text, re-encoded so that what is stored is compact JSON. */
    private static String metadataText(String text) throws ApiError {
        try {
            Object value = Json.decodeValue(text);
            return value == null ? null : Json.encode(value);
        } catch (DecodeException e) {
            throw new ApiError(400, 10012, "The metadata part is not valid JSON.");
        }
    }

    private static JsonObject jsonObject(byte[] body) throws ApiError {
        try {
            return new JsonObject(io.vertx.core.buffer.Buffer.buffer(body));
        } catch (DecodeException | ClassCastException e) {
            throw new ApiError(400, 400, "The body must be a JSON object.");
        }
    }

    private static JsonArray jsonArray(byte[] body) throws ApiError {
        try {
            return new JsonArray(io.vertx.core.buffer.Buffer.buffer(body));
        } catch (DecodeException | ClassCastException e) {
            throw new ApiError(400, 400, "The body must be a JSON array.");
        }
    }

    private static int intParam(RoutingContext ctx, String name, int fallback, int min, int max, int code)
            throws ApiError {
        String v = ctx.request().getParam(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < min || n > max) {
                throw new ApiError(400, code, "Invalid " + name + ": " + v + " (allowed: " + min + " to " + max + ")");
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new ApiError(400, code, "Invalid " + name + ": " + v);
        }
    }

    private static Long longParam(RoutingContext ctx, String name) throws ApiError {
        String v = ctx.request().getParam(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return 0L; // reported by the store as an invalid value, as a worker's non-number is
        }
    }

    private static Long optionalLong(JsonObject item, String name, int index) throws ApiError {
        Object v = item.getValue(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        throw new ApiError(400, 400, "The " + name + " of item " + index + " must be a number.");
    }

    // ---- answers

    /** A refused request: HTTP status, Cloudflare error code, message. */
    private static final class ApiError extends Exception {
        final int status;
        final int code;

        ApiError(int status, int code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    private static ApiError notFound(RoutingContext ctx) {
        return new ApiError(404, 10025, "No such endpoint: " + ctx.request().method() + " " + ctx.request().path());
    }

    private static ApiError notAllowed(RoutingContext ctx) {
        return new ApiError(405, 10025, "Method " + ctx.request().method() + " is not allowed on "
                + ctx.request().path());
    }

    private <T> void complete(RoutingContext ctx, CompletableFuture<T> future) {
        whenDone(future, (result, failure) -> {
            if (failure != null) {
                fail(ctx, failure);
            } else {
                envelope(ctx, 200, result, null);
            }
        });
    }

    /**
     * Runs {@code answer} when {@code future} completes, on the event loop of the calling request (store futures
     * complete on the store's threads, or at once on a cache hit).
     */
    private static <T> void whenDone(CompletableFuture<T> future, java.util.function.BiConsumer<T, Throwable> answer) {
        io.vertx.core.Context here = Vertx.currentContext();
        future.whenComplete((result, failure) -> {
            if (here == null || Vertx.currentContext() == here) {
                answer.accept(result, failure);
            } else {
                here.runOnContext(v -> answer.accept(result, failure));
            }
        });
    }

    private static void fail(RoutingContext ctx, Throwable failure) {
        Throwable cause = KvStore.unwrap(failure);
        if (cause instanceof KvException e) {
            int code = switch (e.status()) {
                case 404 -> 10013;
                case 409 -> 10014;
                case 413 -> 10024;
                default -> e.getMessage().contains("key_count_limit") ? 10028 : e.status();
            };
            error(ctx, new ApiError(e.status(), code, e.getMessage()));
        } else {
            LOG.error("admin KV request {} {} failed", ctx.request().method(), ctx.request().path(), cause);
            error(ctx, new ApiError(500, 500, "Internal error."));
        }
    }

    private static void error(RoutingContext ctx, ApiError e) {
        Envelope.error(ctx, e.status, e.code, e.getMessage());
    }

    private static void envelope(RoutingContext ctx, int status, Object result, JsonObject resultInfo) {
        Envelope.ok(ctx, status, result, resultInfo);
    }
}
