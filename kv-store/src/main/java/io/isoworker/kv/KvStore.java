package io.isoworker.kv;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.isoworker.kv.sqlite.SqliteKvBackend;

/**
 * The KV namespaces of one server: what the KV binding and the admin API call. It applies KV's rules and limits
 * ({@link KvLimits}), hides expired keys at once, keeps a read cache coherent with writes, and hands storage to a
 * {@link KvBackend}.
 * <p>
 * Every method returns without blocking. A read the cache answers returns an already completed future, on the
 * caller's thread; anything else completes on the backend's threads, so a caller on an event loop must move the result
 * back to its own thread. A refused request fails its future with a {@link KvException}.
 * <p>
 * The cache maps (namespace, key) to the stored entry or to "absent". A write invalidates its keys once it is durable
 * and before its future completes, so a reader that saw the write complete reads it back; a read that was loading
 * while the write committed is dropped from the cache by the invalidation and does not put the old value back.
 */
public final class KvStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KvStore.class);

    /** Namespace ids the server makes: 32 lower-case hex characters. Ids given for dev namespaces may be any of these. */
    private static final Pattern NAMESPACE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final SecureRandom RANDOM = new SecureRandom();

    private record CacheKey(String namespace, String key) {
    }

    /** A cache value: the entry, or null for a key that is not stored. */
    private record Cached(KvEntry entry) {
    }

    private final KvBackend backend;
    private final LongSupplier clock;
    private final AsyncCache<CacheKey, Cached> cache;
    private final Map<String, KvNamespace> namespaces = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;

    /** Opens (or creates) the SQLite database under {@code settings.directory()}. */
    public static KvStore open(KvSettings settings) {
        return new KvStore(SqliteKvBackend.open(settings.directory(), settings.syncCommits()), settings);
    }

    public KvStore(KvBackend backend, KvSettings settings) {
        this.backend = backend;
        this.clock = settings.clock();
        this.cache = settings.cacheMaxBytes() <= 0 ? null : Caffeine.newBuilder()
                .maximumWeight(settings.cacheMaxBytes())
                .<CacheKey, Cached>weigher((k, v) -> weight(k, v))
                .buildAsync();
        for (KvNamespace ns : backend.namespaces().join()) {
            namespaces.put(ns.id(), ns);
        }
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("isoworker-kv-sweeper").factory());
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        long every = Math.max(1, settings.sweepInterval().toMillis());
        timer.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
        this.sweeper = timer;
    }

    private static int weight(CacheKey k, Cached v) {
        long w = 64L + 2L * (k.namespace().length() + k.key().length());
        if (v.entry() != null) {
            w += v.entry().value().length + (v.entry().metadata() == null ? 0 : 2L * v.entry().metadata().length());
        }
        return (int) Math.min(Integer.MAX_VALUE, w);
    }

    /** The store's clock, in milliseconds since the epoch. */
    public long nowMillis() {
        return clock.getAsLong();
    }

    // ---- namespaces

    /** Creates a namespace with a new id. Titles are unique. */
    public synchronized CompletableFuture<KvNamespace> createNamespace(String title) {
        if (title == null || title.isBlank()) {
            return failed(new KvException(400, "A namespace needs a title."));
        }
        if (KvLimits.utf8Length(title) > 512) {
            return failed(new KvException(400, "A namespace title must be at most 512 bytes."));
        }
        for (KvNamespace ns : namespaces.values()) {
            if (ns.title().equals(title)) {
                return failed(new KvException(409, "A namespace with this title already exists: " + title));
            }
        }
        String id;
        do {
            byte[] bytes = new byte[16];
            RANDOM.nextBytes(bytes);
            id = HexFormat.of().formatHex(bytes);
        } while (namespaces.containsKey(id));
        return add(new KvNamespace(id, title));
    }

    /**
     * The namespace with this id, created (titled with the id) when there is none: {@code isoworker dev} keeps one
     * local namespace per binding, made on first use.
     */
    public synchronized CompletableFuture<KvNamespace> namespaceOrCreate(String id) {
        KvNamespace existing = namespaces.get(id);
        if (existing != null) {
            return CompletableFuture.completedFuture(existing);
        }
        if (id == null || !NAMESPACE_ID.matcher(id).matches()) {
            return failed(new KvException(400, "Invalid namespace id: " + id));
        }
        String title = id;
        for (KvNamespace ns : namespaces.values()) {
            if (ns.title().equals(title)) {
                title = id + "-" + HexFormat.of().formatHex(new byte[] {(byte) RANDOM.nextInt(), (byte) RANDOM.nextInt()});
            }
        }
        return add(new KvNamespace(id, title));
    }

    private CompletableFuture<KvNamespace> add(KvNamespace ns) {
        namespaces.put(ns.id(), ns);
        return backend.createNamespace(ns).handle((v, e) -> {
            if (e != null) {
                namespaces.remove(ns.id(), ns);
                throw new java.util.concurrent.CompletionException(unwrap(e));
            }
            LOG.info("KV namespace {} created ({})", ns.id(), ns.title());
            return ns;
        });
    }

    public Optional<KvNamespace> namespace(String id) {
        return Optional.ofNullable(id == null ? null : namespaces.get(id));
    }

    /** A page of namespaces ordered by title (then id); {@code page} counts from 1. */
    public KvNamespacePage namespaces(int page, int perPage) {
        List<KvNamespace> all = new ArrayList<>(namespaces.values());
        all.sort(Comparator.comparing(KvNamespace::title).thenComparing(KvNamespace::id));
        long from = (long) Math.max(0, page - 1) * Math.max(1, perPage);
        List<KvNamespace> out = from >= all.size() ? List.of()
                : all.subList((int) from, (int) Math.min(all.size(), from + Math.max(1, perPage)));
        return new KvNamespacePage(out, all.size());
    }

    /** Deletes a namespace and its keys; completes with false when there was no such namespace. */
    public synchronized CompletableFuture<Boolean> deleteNamespace(String id) {
        KvNamespace ns = namespaces.remove(id);
        if (ns == null) {
            return CompletableFuture.completedFuture(false);
        }
        return backend.deleteNamespace(id).handle((existed, e) -> {
            if (e != null) {
                namespaces.putIfAbsent(id, ns); // still in storage: keep it visible
                throw new java.util.concurrent.CompletionException(unwrap(e));
            }
            if (cache != null) {
                cache.synchronous().asMap().keySet().removeIf(k -> k.namespace().equals(id));
            }
            LOG.info("KV namespace {} deleted ({})", id, ns.title());
            return true;
        });
    }

    // ---- keys

    /**
     * Reads one key: the entry, or null when it is missing or expired. A cache hit returns a completed future at once,
     * on the calling thread.
     */
    public CompletableFuture<KvEntry> get(String namespace, String requestedKey) {
        String key;
        try {
            checkNamespace(namespace);
            KvLimits.checkKey(requestedKey);
            key = KvLimits.wellFormed(requestedKey);
        } catch (KvException e) {
            return failed(e);
        }
        if (cache == null) {
            return backend.read(namespace, List.of(key)).thenApply(found -> live(found.get(key)));
        }
        return cache.get(new CacheKey(namespace, key), (k, executor) -> backend.read(namespace, List.of(key))
                        .thenApply(found -> new Cached(found.get(key))))
                .thenApply(c -> live(c.entry()));
    }

    /**
     * Reads up to 100 keys at once: a map with every requested key, in the order asked, to its entry or null when it
     * is missing or expired.
     */
    public CompletableFuture<Map<String, KvEntry>> getBulk(String namespace, List<String> requestedKeys) {
        List<String> keys = new ArrayList<>(requestedKeys.size());
        try {
            checkNamespace(namespace);
            KvLimits.checkBulkKeyCount(requestedKeys.size());
            for (String key : requestedKeys) {
                KvLimits.checkKey(key);
                keys.add(KvLimits.wellFormed(key));
            }
        } catch (KvException e) {
            return failed(e);
        }
        CompletableFuture<Map<String, KvEntry>> found;
        if (cache == null) {
            found = backend.read(namespace, Set.copyOf(keys));
        } else {
            List<CacheKey> cacheKeys = keys.stream().map(k -> new CacheKey(namespace, k)).distinct().toList();
            found = cache.getAll(cacheKeys, (missing, executor) -> backend.read(namespace,
                    missing.stream().map(CacheKey::key).toList()).thenApply(entries -> {
                        Map<CacheKey, Cached> out = new HashMap<>();
                        for (CacheKey k : missing) {
                            out.put(k, new Cached(entries.get(k.key())));
                        }
                        return out;
                    })).thenApply(cached -> {
                        Map<String, KvEntry> out = new HashMap<>();
                        cached.forEach((k, c) -> {
                            if (c.entry() != null) {
                                out.put(k.key(), c.entry());
                            }
                        });
                        return out;
                    });
        }
        return found.thenApply(entries -> {
            Map<String, KvEntry> out = new LinkedHashMap<>();
            long total = 0;
            for (int i = 0; i < keys.size(); i++) {
                KvEntry e = live(entries.get(keys.get(i)));
                out.put(requestedKeys.get(i), e);
                total += e == null ? 0 : e.value().length;
            }
            if (total > KvLimits.MAX_BULK_RESULT_BYTES) {
                throw new java.util.concurrent.CompletionException(
                        new KvException(413, "Total size of request exceeds the limit of 25MB"));
            }
            return out;
        });
    }

    /** Writes one key; completes once the write is durable. */
    public CompletableFuture<Void> put(String namespace, KvPut put) {
        return putAll(namespace, List.of(put));
    }

    /** Writes several keys in one transaction: all or none. Every write is checked before any is made. */
    public CompletableFuture<Void> putAll(String namespace, List<KvPut> puts) {
        List<KvWrite> writes = new ArrayList<>(puts.size());
        try {
            checkNamespace(namespace);
            long now = nowMillis();
            for (KvPut p : puts) {
                KvLimits.checkKey(p.key());
                KvLimits.checkValueLength(p.value().length);
                KvLimits.checkMetadata(p.metadata());
                long expiration = KvLimits.expiration(p.expiration(), p.expirationTtl(), now);
                writes.add(new KvWrite(KvLimits.wellFormed(p.key()), new KvEntry(p.value(), p.metadata(), expiration)));
            }
        } catch (KvException e) {
            return failed(e);
        }
        return write(namespace, writes);
    }

    /** Deletes one key; a key that does not exist is not an error. */
    public CompletableFuture<Void> delete(String namespace, String key) {
        return deleteAll(namespace, List.of(key));
    }

    /** Deletes several keys in one transaction. */
    public CompletableFuture<Void> deleteAll(String namespace, List<String> keys) {
        List<KvWrite> writes = new ArrayList<>(keys.size());
        try {
            checkNamespace(namespace);
            for (String key : keys) {
                KvLimits.checkKey(key);
                writes.add(new KvWrite(KvLimits.wellFormed(key), null));
            }
        } catch (KvException e) {
            return failed(e);
        }
        return write(namespace, writes);
    }

    private CompletableFuture<Void> write(String namespace, List<KvWrite> writes) {
        if (writes.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return backend.write(namespace, writes).whenComplete((v, e) -> {
            // Also after a failure: the outcome of a failed commit is not known for sure.
            if (cache != null) {
                for (KvWrite w : writes) {
                    cache.synchronous().invalidate(new CacheKey(namespace, w.key()));
                }
            }
        });
    }

    /**
     * Lists keys in ascending order of their UTF-8 bytes.
     *
     * @param prefix null or a prefix of at most 512 bytes
     * @param limit  1 to 1000
     * @param cursor null, or the cursor of the previous page
     */
    public CompletableFuture<KvListPage> list(String namespace, String prefix, int limit, String cursor) {
        try {
            checkNamespace(namespace);
            String p = prefix == null ? "" : KvLimits.wellFormed(prefix);
            KvLimits.checkKeyLength(p);
            KvLimits.checkListLimit(limit);
            return backend.list(namespace, p, limit, cursor == null || cursor.isEmpty() ? null : cursor, nowMillis());
        } catch (KvException e) {
            return failed(e);
        }
    }

    private void checkNamespace(String id) throws KvException {
        if (id == null || !namespaces.containsKey(id)) {
            throw new KvException(404, "Namespace " + id + " does not exist.");
        }
    }

    private KvEntry live(KvEntry e) {
        return e == null || e.expiredAt(nowMillis()) ? null : e;
    }

    private void sweep() {
        try {
            int removed = backend.removeExpired(nowMillis()).get(5, TimeUnit.MINUTES);
            if (removed > 0) {
                LOG.debug("KV: removed {} expired key(s)", removed);
            }
        } catch (Exception e) {
            LOG.warn("KV: removing expired keys failed", e);
        }
    }

    /** Removes expired keys from storage now (they are already invisible); for tests and the sweeper. */
    public CompletableFuture<Integer> removeExpired() {
        return backend.removeExpired(nowMillis());
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        backend.close();
    }

    private static <T> CompletableFuture<T> failed(Throwable e) {
        return CompletableFuture.failedFuture(e);
    }

    /** The cause of a {@link java.util.concurrent.CompletionException} or ExecutionException. */
    public static Throwable unwrap(Throwable e) {
        while ((e instanceof java.util.concurrent.CompletionException
                || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
