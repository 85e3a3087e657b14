package io.isoworker.api.host;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.api.JsonText;
import io.isoworker.api.host.text.Utf8Decoder;
import io.isoworker.kv.KvEntry;
import io.isoworker.kv.KvException;
import io.isoworker.kv.KvListPage;
import io.isoworker.kv.KvListedKey;
import io.isoworker.kv.KvPut;
import io.isoworker.kv.KvStore;

/**
 * What the prelude's {@code KVNamespace} (kv.js) calls. It forwards to the server's {@link KvStore}, only for the
 * namespaces the worker is bound to. Every operation answers through a JavaScript callback
 * {@code (status, message, result...)}: status 0 for success, else the storage status (KV's HTTP status) and message,
 * which kv.js turns into {@code KV <OP> failed: <status> <message>}. An answer the read cache has already completes
 * during the call itself, on the isolate's thread; every other answer comes back through
 * {@link IsolateServices#entry}.
 */
public final class KvHost {

    private static final Logger LOG = LoggerFactory.getLogger(KvHost.class);

    private final HostBridge bridge;
    private KvStore store;
    private Set<String> namespaces = Set.of();

    KvHost(HostBridge bridge) {
        this.bridge = bridge;
    }

    /** Gives the context the store and the namespaces its worker is bound to; called when a worker is loaded. */
    public void connect(KvStore kv, Set<String> boundNamespaces) {
        this.store = kv;
        this.namespaces = Set.copyOf(boundNamespaces);
    }

    /**
     * Reads one key. The callback gets {@code (0, null, value, metadata)}: value null when the key is missing, else a
     * string (asText) or a ByteBuffer; metadata the stored JSON text or null.
     */
    @HostAccess.Export
    public void get(String namespace, String key, boolean asText, Value callback) {
        bridge.used(IsolateServices.Use.KV_READ);
        CompletableFuture<KvEntry> read = usable(namespace) ? store.get(namespace, key) : unbound(namespace);
        answer(read, callback, "GET", namespace, entry -> entry == null
                ? new Object[] {null, null}
                : new Object[] {asText ? utf8(entry.value()) : ByteBuffer.wrap(entry.value()), entry.metadata()});
    }

    /**
     * Reads up to 100 keys. The callback gets {@code (0, null, json)}: a JSON array with one element per key asked
     * for, in order: null when missing, else {@code [text, metadataJsonOrNull]}.
     */
    @HostAccess.Export
    public void getBulk(String namespace, Value keys, Value callback) {
        bridge.used(IsolateServices.Use.KV_READ);
        int n = (int) keys.getArraySize();
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(keys.getArrayElement(i).asString());
        }
        CompletableFuture<Map<String, KvEntry>> read = usable(namespace) ? store.getBulk(namespace, list)
                : unbound(namespace);
        answer(read, callback, "GET_BULK", namespace, entries -> {
            StringBuilder sb = new StringBuilder(64 + 32 * n).append('[');
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                KvEntry e = entries.get(list.get(i));
                if (e == null) {
                    sb.append("null");
                } else {
                    sb.append('[');
                    JsonText.appendQuoted(sb, utf8(e.value()));
                    sb.append(',');
                    if (e.metadata() == null) {
                        sb.append("null");
                    } else {
                        JsonText.appendQuoted(sb, e.metadata());
                    }
                    sb.append(']');
                }
            }
            return new Object[] {sb.append(']').toString()};
        });
    }

    /**
     * Writes one key; the callback gets {@code (0, null)} once the write is durable.
     *
     * @param value         an ArrayBuffer with the bytes
     * @param metadata      the metadata's JSON text, or null
     * @param expiration    the expiration option as an integer, or null when not given
     * @param expirationTtl the expirationTtl option as an integer, or null when not given
     */
    @HostAccess.Export
    public void put(String namespace, String key, Value value, String metadata, Value expiration, Value expirationTtl,
            Value callback) {
        bridge.used(IsolateServices.Use.KV_WRITE);
        byte[] bytes = new byte[(int) value.getBufferSize()];
        value.readBuffer(0, bytes, 0, bytes.length);
        KvPut put = new KvPut(key, bytes, metadata, optionalLong(expiration), optionalLong(expirationTtl));
        CompletableFuture<Void> write = usable(namespace) ? store.put(namespace, put) : unbound(namespace);
        answer(write, callback, "PUT", namespace, v -> new Object[0]);
    }

    /** Deletes one key; the callback gets {@code (0, null)} once the delete is durable. */
    @HostAccess.Export
    public void delete(String namespace, String key, Value callback) {
        bridge.used(IsolateServices.Use.KV_DELETE);
        CompletableFuture<Void> write = usable(namespace) ? store.delete(namespace, key) : unbound(namespace);
        answer(write, callback, "DELETE", namespace, v -> new Object[0]);
    }

    /**
     * Lists keys. The callback gets {@code (0, null, keysJson, complete, cursor)}: keysJson a JSON array of
     * {@code [name, expiration (0 for none), metadataJsonOrNull]}, cursor null when complete.
     */
    @HostAccess.Export
    public void list(String namespace, String prefix, int limit, String cursor, Value callback) {
        bridge.used(IsolateServices.Use.KV_LIST);
        CompletableFuture<KvListPage> read = usable(namespace) ? store.list(namespace, prefix, limit, cursor)
                : unbound(namespace);
        answer(read, callback, "GET", namespace, page -> {
            StringBuilder sb = new StringBuilder(64 + 48 * page.keys().size()).append('[');
            boolean first = true;
            for (KvListedKey k : page.keys()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append('[');
                JsonText.appendQuoted(sb, k.name());
                sb.append(',').append(k.expiration()).append(',');
                if (k.metadata() == null) {
                    sb.append("null");
                } else {
                    JsonText.appendQuoted(sb, k.metadata());
                }
                sb.append(']');
            }
            sb.append(']');
            return new Object[] {sb.toString(), page.complete(), page.cursor()};
        });
    }

    /** Checks a {@code cacheTtl}; the storage message, or null when it is valid. */
    @HostAccess.Export
    public String cacheTtlProblem(int cacheTtl) {
        try {
            io.isoworker.kv.KvLimits.checkCacheTtl(cacheTtl);
            return null;
        } catch (KvException e) {
            return e.getMessage();
        }
    }

    private boolean usable(String namespace) {
        return store != null && namespaces.contains(namespace);
    }

    private <T> CompletableFuture<T> unbound(String namespace) {
        return CompletableFuture.failedFuture(new IllegalStateException(store == null
                ? "no KV store is configured on this server"
                : "namespace " + namespace + " is not bound to this worker"));
    }

    private interface Result<T> {
        Object[] arguments(T value);
    }

    private <T> void answer(CompletableFuture<T> future, Value callback, String op, String namespace,
            Result<T> result) {
        if (future.isDone()) {
            deliver(future, callback, op, namespace, result);
            return;
        }
        GuestEntry entry = bridge.services().entry();
        future.whenComplete((v, e) -> entry.enter(() -> deliver(future, callback, op, namespace, result)));
    }

    private <T> void deliver(CompletableFuture<T> future, Value callback, String op, String namespace,
            Result<T> result) {
        Object[] args;
        try {
            Object[] values = result.arguments(future.join());
            args = new Object[values.length + 2];
            args[0] = 0;
            System.arraycopy(values, 0, args, 2, values.length);
        } catch (RuntimeException failure) {
            Throwable cause = KvStore.unwrap(failure);
            if (cause instanceof KvException kv) {
                args = new Object[] {kv.status(), kv.getMessage()};
            } else {
                LOG.error("script {}: KV {} on namespace {} failed", bridge.scriptName(), op, namespace, cause);
                args = new Object[] {500, "Internal Server Error"};
            }
        }
        callback.executeVoid(args);
    }

    private static Long optionalLong(Value v) {
        return v == null || v.isNull() ? null : v.asLong();
    }

    /**
     * UTF-8 decoding as a Response's text() does it (the Encoding Standard's decoder, {@link Utf8Decoder}): a leading
     * byte order mark is dropped, bad bytes become U+FFFD.
     */
    private static String utf8(byte[] bytes) {
        int skip = bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF
                ? 3 : 0;
        return Utf8Decoder.decodeReplacing(bytes, skip, bytes.length - skip);
    }
}
