package io.isoworker.kv;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where namespaces are stored: the embedded SQLite database today ({@link io.isoworker.kv.sqlite.SqliteKvBackend}), a
 * networked store later. {@link KvStore} checks every request before it gets here and keeps the read cache in front;
 * a backend only stores.
 * <p>
 * Every method returns at once and never blocks its caller, which may be an event loop: the work runs on the
 * backend's own threads, and the future completes there. A write's future completes only once the write is durable
 * (committed, and synced when the backend is configured to sync). Futures of failed operations complete with a
 * {@link KvException} (a request the backend refuses, such as an invalid cursor) or another exception (storage
 * failure).
 */
public interface KvBackend extends AutoCloseable {

    /** Every namespace; called once when the store opens. */
    CompletableFuture<List<KvNamespace>> namespaces();

    /** Stores a new namespace. The caller has checked that its id and title are unused. */
    CompletableFuture<Void> createNamespace(KvNamespace namespace);

    /** Removes a namespace and all its keys; true when it existed. */
    CompletableFuture<Boolean> deleteNamespace(String id);

    /**
     * Reads keys. The result maps each stored key to its entry, expired or not; keys not stored are absent from it.
     */
    CompletableFuture<Map<String, KvEntry>> read(String namespace, Collection<String> keys);

    /** Applies the writes in order in one transaction: all of them or none. */
    CompletableFuture<Void> write(String namespace, List<KvWrite> writes);

    /**
     * Lists keys that start with {@code prefix} (byte for byte), that have not expired at {@code nowMillis}, in
     * ascending order of their UTF-8 bytes, starting after the position {@code cursor} (from an earlier page) names.
     *
     * @param prefix the prefix, possibly empty
     * @param limit  1 to 1000
     * @param cursor a cursor from an earlier page, or null to start at the beginning
     */
    CompletableFuture<KvListPage> list(String namespace, String prefix, int limit, String cursor, long nowMillis);

    /** Deletes entries whose expiration is at or before {@code nowMillis}; the count removed. */
    CompletableFuture<Integer> removeExpired(long nowMillis);

    /** Finishes the writes already accepted, then releases the storage. */
    @Override
    void close();
}
