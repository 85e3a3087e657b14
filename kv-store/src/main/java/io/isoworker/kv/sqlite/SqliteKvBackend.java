package io.isoworker.kv.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.kv.KvBackend;
import io.isoworker.kv.KvEntry;
import io.isoworker.kv.KvException;
import io.isoworker.kv.KvListPage;
import io.isoworker.kv.KvListedKey;
import io.isoworker.kv.KvNamespace;
import io.isoworker.kv.KvWrite;

/**
 * KV namespaces in one SQLite database ({@code kv.sqlite3}, WAL mode) through sqlite-jdbc.
 * <p>
 * Keys are stored as their UTF-8 bytes in a BLOB, so SQLite's byte-wise comparison orders them as KV lists them.
 * One writer thread owns the write connection and commits in groups: it takes every operation waiting in its queue,
 * applies each under its own savepoint (one failure does not fail the others), commits once, and only then completes
 * the futures, in order. With {@code syncCommits} the connection runs {@code synchronous=FULL}, so the commit is on
 * disk before any write of the group is acknowledged. Reads run on a small pool of threads with their own
 * read-only connections; WAL lets them read beside the writer.
 */
public final class SqliteKvBackend implements KvBackend {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteKvBackend.class);

    static final String FILE = "kv.sqlite3";
    private static final int SCHEMA_VERSION = 1;
    private static final int READERS = 2;
    /** A group commit takes at most this many operations or bytes of values. */
    private static final int MAX_GROUP_OPERATIONS = 1000;
    private static final long MAX_GROUP_BYTES = 32L * 1024 * 1024;
    private static final String CURSOR_PREFIX = "k1.";

    /** One queued operation of the writer, with the future its caller holds. */
    private abstract static class Operation<T> {
        final CompletableFuture<T> future = new CompletableFuture<>();
        T result;

        abstract T apply(Writer w) throws SQLException;

        long bytes() {
            return 0;
        }
    }

    private final String url;
    private final BlockingQueue<Operation<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writerThread;
    private final ExecutorService readers;
    private final ThreadLocal<Reader> readerConnections = new ThreadLocal<>();
    private final List<Reader> openReaders = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile boolean closed;

    private SqliteKvBackend(Path file, boolean syncCommits) throws SQLException {
        this.url = "jdbc:sqlite:" + file.toAbsolutePath();
        Connection write = DriverManager.getConnection(url);
        try (Statement s = write.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=" + (syncCommits ? "FULL" : "NORMAL"));
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA foreign_keys=ON");
            migrate(s);
        }
        write.setAutoCommit(false);
        Writer writer = new Writer(write);
        this.writerThread = Thread.ofPlatform().daemon().name("isoworker-kv-writer").unstarted(() -> writeLoop(writer));
        this.writerThread.start();
        AtomicInteger n = new AtomicInteger();
        this.readers = Executors.newFixedThreadPool(READERS,
                r -> Thread.ofPlatform().daemon().name("isoworker-kv-reader-" + n.incrementAndGet()).unstarted(r));
    }

    /** Opens (creating when needed) {@code directory/kv.sqlite3}. */
    public static KvBackend open(Path directory, boolean syncCommits) {
        try {
            Files.createDirectories(directory);
            try {
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            return new SqliteKvBackend(directory.resolve(FILE), syncCommits);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the KV directory " + directory, e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the KV database in " + directory + ": " + e.getMessage(), e);
        }
    }

    private static void migrate(Statement s) throws SQLException {
        int version;
        try (ResultSet r = s.executeQuery("PRAGMA user_version")) {
            version = r.next() ? r.getInt(1) : 0;
        }
        if (version > SCHEMA_VERSION) {
            throw new SQLException("the KV database has schema version " + version + ", newer than this server's "
                    + SCHEMA_VERSION);
        }
        if (version == 0) {
            s.execute("CREATE TABLE IF NOT EXISTS namespaces (id TEXT PRIMARY KEY, title TEXT NOT NULL UNIQUE,"
                    + " created_ms INTEGER NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS entries (namespace TEXT NOT NULL REFERENCES namespaces(id),"
                    + " key BLOB NOT NULL, value BLOB NOT NULL, metadata TEXT, expiration INTEGER,"
                    + " PRIMARY KEY (namespace, key)) WITHOUT ROWID");
            s.execute("CREATE INDEX IF NOT EXISTS entries_expiration ON entries (expiration)"
                    + " WHERE expiration IS NOT NULL");
            s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
        }
    }

    // ---- the writer

    /** The write connection and its prepared statements; used by the writer thread only. */
    private static final class Writer {
        final Connection c;
        final PreparedStatement put;
        final PreparedStatement delete;

        Writer(Connection c) throws SQLException {
            this.c = c;
            this.put = c.prepareStatement("INSERT INTO entries (namespace, key, value, metadata, expiration)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value,"
                    + " metadata = excluded.metadata, expiration = excluded.expiration");
            this.delete = c.prepareStatement("DELETE FROM entries WHERE namespace = ? AND key = ?");
        }
    }

    /** Queued by {@link #close}: the writer commits what came before it and stops. */
    private static final Operation<Void> STOP = new Operation<>() {
        @Override
        Void apply(Writer w) {
            return null;
        }
    };

    private void writeLoop(Writer w) {
        List<Operation<?>> group = new ArrayList<>();
        try {
            boolean stop = false;
            while (!stop) {
                Operation<?> next = queue.take();
                long bytes = 0;
                while (next != null) {
                    if (next == STOP) {
                        stop = true;
                        break;
                    }
                    group.add(next);
                    bytes += next.bytes();
                    if (group.size() >= MAX_GROUP_OPERATIONS || bytes >= MAX_GROUP_BYTES) {
                        break;
                    }
                    next = queue.poll();
                }
                if (!group.isEmpty()) {
                    commit(w, group);
                    group.clear();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (Operation<?> op : group) {
                op.future.completeExceptionally(new IllegalStateException("the KV store is closed"));
            }
            Operation<?> op;
            while ((op = queue.poll()) != null) {
                op.future.completeExceptionally(new IllegalStateException("the KV store is closed"));
            }
            try {
                w.c.close();
            } catch (SQLException e) {
                LOG.warn("closing the KV write connection", e);
            }
        }
    }

    /** Applies a group in one transaction, one savepoint per operation, then completes the futures in order. */
    private static void commit(Writer w, List<Operation<?>> group) {
        Throwable[] failures = new Throwable[group.size()];
        try {
            for (int i = 0; i < group.size(); i++) {
                try (Statement s = w.c.createStatement()) {
                    s.execute("SAVEPOINT op");
                    try {
                        applyOne(w, group.get(i));
                        s.execute("RELEASE op");
                    } catch (SQLException | RuntimeException e) {
                        s.execute("ROLLBACK TO op");
                        s.execute("RELEASE op");
                        failures[i] = e;
                    }
                }
            }
            w.c.commit();
        } catch (SQLException e) {
            LOG.error("KV commit of {} operation(s) failed", group.size(), e);
            try {
                w.c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            for (Operation<?> op : group) {
                op.future.completeExceptionally(e);
            }
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            complete(group.get(i), failures[i]);
        }
    }

    private static <T> void applyOne(Writer w, Operation<T> op) throws SQLException {
        op.result = op.apply(w);
    }

    private static <T> void complete(Operation<T> op, Throwable failure) {
        if (failure != null) {
            LOG.warn("KV write failed: {}", failure.toString());
            op.future.completeExceptionally(failure);
        } else {
            op.future.complete(op.result);
        }
    }

    private <T> CompletableFuture<T> enqueue(Operation<T> op) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the KV store is closed"));
        }
        queue.add(op);
        return op.future;
    }

    @Override
    public CompletableFuture<Void> createNamespace(KvNamespace namespace) {
        return enqueue(new Operation<>() {
            @Override
            Void apply(Writer w) throws SQLException {
                try (PreparedStatement p = w.c.prepareStatement(
                        "INSERT INTO namespaces (id, title, created_ms) VALUES (?, ?, ?)")) {
                    p.setString(1, namespace.id());
                    p.setString(2, namespace.title());
                    p.setLong(3, System.currentTimeMillis());
                    p.executeUpdate();
                }
                return null;
            }
        });
    }

    @Override
    public CompletableFuture<Boolean> deleteNamespace(String id) {
        return enqueue(new Operation<>() {
            @Override
            Boolean apply(Writer w) throws SQLException {
                try (PreparedStatement entries = w.c.prepareStatement("DELETE FROM entries WHERE namespace = ?");
                        PreparedStatement ns = w.c.prepareStatement("DELETE FROM namespaces WHERE id = ?")) {
                    entries.setString(1, id);
                    entries.executeUpdate();
                    ns.setString(1, id);
                    return ns.executeUpdate() > 0;
                }
            }
        });
    }

    @Override
    public CompletableFuture<Void> write(String namespace, List<KvWrite> writes) {
        long size = 0;
        for (KvWrite write : writes) {
            size += write.entry() == null ? 0 : write.entry().value().length;
        }
        long bytes = size;
        return enqueue(new Operation<>() {
            @Override
            Void apply(Writer w) throws SQLException {
                for (KvWrite write : writes) {
                    byte[] key = write.key().getBytes(StandardCharsets.UTF_8);
                    KvEntry e = write.entry();
                    if (e == null) {
                        w.delete.setString(1, namespace);
                        w.delete.setBytes(2, key);
                        w.delete.executeUpdate();
                    } else {
                        w.put.setString(1, namespace);
                        w.put.setBytes(2, key);
                        w.put.setBytes(3, e.value());
                        w.put.setString(4, e.metadata());
                        if (e.expiration() == 0) {
                            w.put.setNull(5, java.sql.Types.INTEGER);
                        } else {
                            w.put.setLong(5, e.expiration());
                        }
                        w.put.executeUpdate();
                    }
                }
                return null;
            }

            @Override
            long bytes() {
                return bytes;
            }
        });
    }

    @Override
    public CompletableFuture<Integer> removeExpired(long nowMillis) {
        return enqueue(new Operation<>() {
            @Override
            Integer apply(Writer w) throws SQLException {
                try (PreparedStatement p = w.c.prepareStatement(
                        "DELETE FROM entries WHERE expiration IS NOT NULL AND expiration * 1000 <= ?")) {
                    p.setLong(1, nowMillis);
                    return p.executeUpdate();
                }
            }
        });
    }

    // ---- readers

    /** A read-only connection of one reader thread, with its prepared statements. */
    private static final class Reader {
        final Connection c;
        final PreparedStatement get;
        final Map<Integer, PreparedStatement> listQueries = new HashMap<>();

        Reader(Connection c) throws SQLException {
            this.c = c;
            this.get = c.prepareStatement(
                    "SELECT value, metadata, expiration FROM entries WHERE namespace = ? AND key = ?");
        }

        /** {@code shape}: bit 0 set when there is a lower bound from a cursor, bit 1 when there is a prefix. */
        PreparedStatement list(int shape) throws SQLException {
            PreparedStatement p = listQueries.get(shape);
            if (p == null) {
                StringBuilder sql = new StringBuilder(
                        "SELECT key, metadata, expiration FROM entries WHERE namespace = ?");
                if ((shape & 1) != 0) {
                    sql.append(" AND key > ?");
                }
                if ((shape & 2) != 0) {
                    sql.append(" AND key >= ? AND key < ?");
                }
                sql.append(" AND (expiration IS NULL OR expiration * 1000 > ?) ORDER BY key LIMIT ?");
                p = c.prepareStatement(sql.toString());
                listQueries.put(shape, p);
            }
            return p;
        }
    }

    private Reader reader() throws SQLException {
        Reader r = readerConnections.get();
        if (r == null) {
            org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
            config.setReadOnly(true);
            config.setBusyTimeout(10000);
            r = new Reader(config.createConnection(url));
            readerConnections.set(r);
            openReaders.add(r);
        }
        return r;
    }

    private interface Read<T> {
        T run(Reader r) throws SQLException, KvException;
    }

    private <T> CompletableFuture<T> read(Read<T> read) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the KV store is closed"));
        }
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            readers.execute(() -> {
                try {
                    future.complete(read.run(reader()));
                } catch (KvException e) {
                    future.completeExceptionally(e);
                } catch (SQLException | RuntimeException e) {
                    LOG.error("KV read failed", e);
                    future.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            future.completeExceptionally(new IllegalStateException("the KV store is closed"));
        }
        return future;
    }

    @Override
    public CompletableFuture<List<KvNamespace>> namespaces() {
        return read(r -> {
            List<KvNamespace> out = new ArrayList<>();
            try (Statement s = r.c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT id, title FROM namespaces ORDER BY title")) {
                while (rs.next()) {
                    out.add(new KvNamespace(rs.getString(1), rs.getString(2)));
                }
            }
            return out;
        });
    }

    @Override
    public CompletableFuture<Map<String, KvEntry>> read(String namespace, Collection<String> keys) {
        return read(r -> {
            Map<String, KvEntry> out = new HashMap<>();
            boolean several = keys.size() > 1;
            if (several) {
                r.c.setAutoCommit(false); // one read transaction: a consistent snapshot of every key
            }
            try {
                for (String key : keys) {
                    r.get.setString(1, namespace);
                    r.get.setBytes(2, key.getBytes(StandardCharsets.UTF_8));
                    try (ResultSet rs = r.get.executeQuery()) {
                        if (rs.next()) {
                            byte[] value = rs.getBytes(1);
                            long expiration = rs.getLong(3);
                            out.put(key, new KvEntry(value == null ? new byte[0] : value, rs.getString(2), expiration));
                        }
                    }
                }
            } finally {
                if (several) {
                    r.c.commit();
                    r.c.setAutoCommit(true);
                }
            }
            return out;
        });
    }

    @Override
    public CompletableFuture<KvListPage> list(String namespace, String prefix, int limit, String cursor,
            long nowMillis) {
        byte[] after;
        try {
            after = cursor == null ? null : decodeCursor(cursor);
        } catch (KvException e) {
            return CompletableFuture.failedFuture(e);
        }
        return read(r -> {
            byte[] prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
            int shape = (after != null ? 1 : 0) | (prefixBytes.length > 0 ? 2 : 0);
            PreparedStatement p = r.list(shape);
            int i = 1;
            p.setString(i++, namespace);
            if (after != null) {
                p.setBytes(i++, after);
            }
            if (prefixBytes.length > 0) {
                p.setBytes(i++, prefixBytes);
                // UTF-8 never has the byte 0xFF, so every key that starts with the prefix sorts below prefix + 0xFF.
                byte[] upper = java.util.Arrays.copyOf(prefixBytes, prefixBytes.length + 1);
                upper[prefixBytes.length] = (byte) 0xFF;
                p.setBytes(i++, upper);
            }
            p.setLong(i++, nowMillis);
            p.setInt(i, limit + 1);
            List<KvListedKey> keys = new ArrayList<>(Math.min(limit, 1000));
            byte[] last = null;
            boolean more = false;
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    if (keys.size() == limit) {
                        more = true;
                        break;
                    }
                    last = rs.getBytes(1);
                    keys.add(new KvListedKey(new String(last, StandardCharsets.UTF_8), rs.getLong(3), rs.getString(2)));
                }
            }
            return new KvListPage(keys, !more, more ? encodeCursor(last) : null);
        });
    }

    static String encodeCursor(byte[] lastKey) {
        return CURSOR_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey);
    }

    static byte[] decodeCursor(String cursor) throws KvException {
        if (!cursor.startsWith(CURSOR_PREFIX)) {
            throw new KvException(400, "Invalid cursor: " + cursor);
        }
        try {
            return Base64.getUrlDecoder().decode(cursor.substring(CURSOR_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new KvException(400, "Invalid cursor: " + cursor);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(STOP);
        try {
            writerThread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readers.shutdown();
        try {
            readers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (openReaders) {
            for (Reader r : openReaders) {
                try {
                    r.c.close();
                } catch (SQLException e) {
                    LOG.debug("closing a KV read connection", e);
                }
            }
            openReaders.clear();
        }
    }
}
