package io.isoworker.kv.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

import io.isoworker.kv.KvBackend;
import io.isoworker.kv.KvEntry;
import io.isoworker.kv.KvException;
import io.isoworker.kv.KvLimits;
import io.isoworker.kv.KvListPage;
import io.isoworker.kv.KvListedKey;
import io.isoworker.kv.KvNamespace;
import io.isoworker.kv.KvWrite;

/**
 * KV namespaces in one embedded SQLite database ({@code kv.sqlite3}, WAL journal).
 * <p>
 * Writes go through one writer thread with its own connection, which applies every write waiting in its queue (up to
 * {@link #MAX_BATCH_OPERATIONS} operations or {@link #MAX_BATCH_VALUE_BYTES} bytes of values) in one transaction,
 * each under its own savepoint so that one failing write does not fail the others, commits (synced to disk when
 * {@code syncCommits}), then completes their futures in order. Reads run on {@link #READER_THREADS} reader threads,
 * each with its own read-only connection; WAL lets them read beside the writer.
 * <p>
 * Keys are stored as the BLOB of their UTF-8 bytes, so that SQLite's binary order is KV's order.
 */
public final class SqliteKvBackend implements KvBackend {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteKvBackend.class);

    public static final String DATABASE_FILE = "kv.sqlite3";
    static final int SCHEMA_VERSION = 1;
    static final int READER_THREADS = 2;
    static final int MAX_BATCH_OPERATIONS = 1000;
    static final long MAX_BATCH_VALUE_BYTES = 32L * 1024 * 1024;
    private static final int BUSY_TIMEOUT_MS = 10_000;

    /** Cursors are {@code CURSOR_VERSION} followed by the last listed key's bytes in unpadded base64url. */
    private static final String CURSOR_VERSION = "1";

    private static final String[] SCHEMA = {
        """
        CREATE TABLE namespaces (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL UNIQUE,
            created_ms INTEGER NOT NULL
        )""",
        // value last: a large value's bytes go to overflow pages, which listing never reads
        """
        CREATE TABLE entries (
            namespace TEXT NOT NULL,
            key BLOB NOT NULL,
            metadata TEXT,
            expiration INTEGER,
            value BLOB NOT NULL,
            PRIMARY KEY (namespace, key)
        ) WITHOUT ROWID""",
        "CREATE INDEX entries_expiration ON entries (expiration) WHERE expiration IS NOT NULL",
    };

    private static final String SELECT_NAMESPACES = "SELECT id, title FROM namespaces ORDER BY title, id";
    private static final String INSERT_NAMESPACE = "INSERT INTO namespaces (id, title, created_ms) VALUES (?, ?, ?)";
    private static final String NAMESPACE_EXISTS = "SELECT 1 FROM namespaces WHERE id = ?";
    private static final String DELETE_NAMESPACE_ENTRIES = "DELETE FROM entries WHERE namespace = ?";
    private static final String DELETE_NAMESPACE = "DELETE FROM namespaces WHERE id = ?";
    private static final String UPSERT_ENTRY =
            "REPLACE INTO entries (namespace, key, metadata, expiration, value) VALUES (?, ?, ?, ?, ?)";
    private static final String DELETE_ENTRY = "DELETE FROM entries WHERE namespace = ? AND key = ?";
    private static final String DELETE_EXPIRED =
            "DELETE FROM entries WHERE expiration IS NOT NULL AND expiration <= ?";

    private final Path file;
    private final boolean syncCommits;
    private final Connection writerConnection;
    private final StatementCache writerStatements;
    private final LinkedBlockingQueue<Operation<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final ExecutorService readers;
    private final ThreadLocal<StatementCache> readerStatements;
    private final List<StatementCache> openReaders = new CopyOnWriteArrayList<>();
    private final Object submitLock = new Object();
    private boolean closed;

    /**
     * Opens the database {@code kv.sqlite3} in {@code directory}, creating both (owner-only where the file system has
     * POSIX permissions) when missing.
     *
     * @param syncCommits true to sync every commit to disk before acknowledging it
     */
    public static KvBackend open(Path directory, boolean syncCommits) {
        try {
            Path file = prepareFiles(directory);
            return new SqliteKvBackend(file, syncCommits);
        } catch (IOException e) {
            throw new UncheckedIOException("KV: cannot create " + directory, e);
        } catch (SQLException e) {
            throw new IllegalStateException("KV: cannot open the database in " + directory + ": " + e.getMessage(), e);
        }
    }

    private static Path prepareFiles(Path directory) throws IOException {
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(directory)) {
            if (posix) {
                Files.createDirectories(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(directory);
            }
        }
        Path file = directory.resolve(DATABASE_FILE);
        if (posix && !Files.exists(file)) {
            // SQLite gives its -wal and -shm files the database file's permissions; an empty file is an empty database.
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException raced) {
                // made meanwhile: fine
            }
        }
        return file;
    }

    private SqliteKvBackend(Path file, boolean syncCommits) throws SQLException {
        this.file = file;
        this.syncCommits = syncCommits;
        this.writerConnection = openWriterConnection();
        this.writerStatements = new StatementCache(writerConnection);
        this.readerStatements = ThreadLocal.withInitial(this::openReader);
        AtomicInteger readerNumber = new AtomicInteger();
        this.readers = Executors.newFixedThreadPool(READER_THREADS, task -> Thread.ofPlatform().daemon()
                .name("isoworker-kv-reader-" + readerNumber.incrementAndGet()).unstarted(task));
        this.writer = Thread.ofPlatform().daemon().name("isoworker-kv-writer").unstarted(this::writeLoop);
        writer.start();
        LOG.info("KV: database {} open (WAL, synchronous={})", file, syncCommits ? "FULL" : "NORMAL");
    }

    private String url() {
        return "jdbc:sqlite:" + file.toAbsolutePath();
    }

    private Connection openWriterConnection() throws SQLException {
        Connection c = DriverManager.getConnection(url());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = " + (syncCommits ? "FULL" : "NORMAL"));
            migrate(s);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void migrate(Statement s) throws SQLException {
        int version;
        try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version == SCHEMA_VERSION) {
            return;
        }
        if (version != 0) {
            throw new SQLException("schema version " + version + " is not " + SCHEMA_VERSION
                    + " (a database of another isoworker version?)");
        }
        s.execute("BEGIN IMMEDIATE");
        try {
            for (String ddl : SCHEMA) {
                s.execute(ddl);
            }
            s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
            s.execute("COMMIT");
        } catch (SQLException e) {
            s.execute("ROLLBACK");
            throw e;
        }
        LOG.info("KV: created the schema (version {}) in {}", SCHEMA_VERSION, file);
    }

    private StatementCache openReader() {
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            config.setBusyTimeout(BUSY_TIMEOUT_MS);
            Connection c = DriverManager.getConnection(url(), config.toProperties());
            StatementCache reader = new StatementCache(c);
            openReaders.add(reader);
            return reader;
        } catch (SQLException e) {
            throw new IllegalStateException("KV: cannot open a reader on " + file + ": " + e.getMessage(), e);
        }
    }

    // ---- reads

    @Override
    public CompletableFuture<List<KvNamespace>> namespaces() {
        return onReader(null, statements -> {
            List<KvNamespace> out = new ArrayList<>();
            try (ResultSet rs = statements.get(SELECT_NAMESPACES).executeQuery()) {
                while (rs.next()) {
                    out.add(new KvNamespace(rs.getString(1), rs.getString(2)));
                }
            }
            return out;
        });
    }

    @Override
    public CompletableFuture<Map<String, KvEntry>> read(String namespace, Collection<String> keys) {
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        List<String> requested = List.copyOf(keys);
        return onReader(namespace, statements -> readKeys(statements, namespace, requested));
    }

    private static Map<String, KvEntry> readKeys(StatementCache statements, String namespace, List<String> keys)
            throws SQLException {
        // Stored keys come back as well-formed strings; a requested key with lone surrogates names the same entry.
        Map<String, List<String>> requestedByStored = new HashMap<>();
        for (String key : keys) {
            requestedByStored.computeIfAbsent(KvLimits.wellFormed(key), k -> new ArrayList<>(1)).add(key);
        }
        PreparedStatement ps = statements.get(selectEntries(requestedByStored.size()));
        ps.setString(1, namespace);
        int i = 2;
        for (String key : requestedByStored.keySet()) {
            ps.setBytes(i++, key.getBytes(StandardCharsets.UTF_8));
        }
        Map<String, KvEntry> out = HashMap.newHashMap(keys.size());
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String stored = new String(rs.getBytes(1), StandardCharsets.UTF_8);
                KvEntry entry = new KvEntry(nonNull(rs.getBytes(2)), rs.getString(3), rs.getLong(4));
                List<String> names = requestedByStored.get(stored);
                if (names != null) {
                    for (String name : names) {
                        out.put(name, entry);
                    }
                }
            }
        }
        return out;
    }

    private static String selectEntries(int keyCount) {
        StringBuilder sql = new StringBuilder(
                "SELECT key, value, metadata, expiration FROM entries WHERE namespace = ? AND key IN (?");
        sql.append(",?".repeat(keyCount - 1)).append(')');
        return sql.toString();
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
        byte[] prefixBytes = KvLimits.utf8(prefix);
        return onReader(namespace, statements -> listKeys(statements, namespace, prefixBytes, limit, after,
                Math.floorDiv(nowMillis, 1000)));
    }

    private static KvListPage listKeys(StatementCache statements, String namespace, byte[] prefix, int limit,
            byte[] after, long nowSeconds) throws SQLException {
        // The lower bound is the tighter of "at or after the prefix" and "strictly after the cursor"; the upper bound
        // is prefix || 0xFF, which UTF-8 never contains.
        boolean fromCursor = after != null && Arrays.compareUnsigned(after, prefix) >= 0;
        boolean bounded = prefix.length > 0;
        PreparedStatement ps = statements.get(listSql(fromCursor, bounded));
        int i = 1;
        ps.setString(i++, namespace);
        ps.setBytes(i++, fromCursor ? after : prefix);
        if (bounded) {
            byte[] upper = Arrays.copyOf(prefix, prefix.length + 1);
            upper[prefix.length] = (byte) 0xFF;
            ps.setBytes(i++, upper);
        }
        ps.setLong(i++, nowSeconds);
        ps.setInt(i, limit + 1);
        List<KvListedKey> keys = new ArrayList<>(Math.min(limit, 256));
        byte[] last = null;
        boolean more = false;
        try (ResultSet rs = ps.executeQuery()) {
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
    }

    private static String listSql(boolean fromCursor, boolean bounded) {
        return "SELECT key, metadata, expiration FROM entries WHERE namespace = ? AND key " + (fromCursor ? ">" : ">=")
                + " ?" + (bounded ? " AND key < ?" : "")
                + " AND (expiration IS NULL OR expiration > ?) ORDER BY key LIMIT ?";
    }

    static String encodeCursor(byte[] lastKey) {
        return CURSOR_VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey);
    }

    static byte[] decodeCursor(String cursor) throws KvException {
        if (cursor.length() > 1 && cursor.startsWith(CURSOR_VERSION)) {
            try {
                byte[] key = Base64.getUrlDecoder().decode(cursor.substring(CURSOR_VERSION.length()));
                if (key.length > 0) {
                    return key;
                }
            } catch (IllegalArgumentException e) {
                // below
            }
        }
        throw new KvException(400, "Invalid cursor");
    }

    private static byte[] nonNull(byte[] bytes) {
        return bytes == null ? new byte[0] : bytes;
    }

    @FunctionalInterface
    private interface ReadWork<T> {
        T run(StatementCache statements) throws SQLException;
    }

    private <T> CompletableFuture<T> onReader(String namespace, ReadWork<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        synchronized (submitLock) {
            if (closed) {
                return CompletableFuture.failedFuture(closedException());
            }
            try {
                readers.execute(() -> {
                    try {
                        result.complete(work.run(readerStatements.get()));
                    } catch (SQLException | RuntimeException e) {
                        LOG.warn("KV: read in namespace {} failed: {}", namespace, e.toString());
                        result.completeExceptionally(e);
                    }
                });
            } catch (RejectedExecutionException e) {
                return CompletableFuture.failedFuture(closedException());
            }
        }
        return result;
    }

    // ---- writes

    @Override
    public CompletableFuture<Void> createNamespace(KvNamespace namespace) {
        return submit(new Operation<Void>(namespace.id(), 0) {
            @Override
            Void apply(StatementCache statements) throws SQLException {
                PreparedStatement ps = statements.get(INSERT_NAMESPACE);
                ps.setString(1, namespace.id());
                ps.setString(2, namespace.title());
                ps.setLong(3, System.currentTimeMillis());
                ps.executeUpdate();
                return null;
            }
        });
    }

    @Override
    public CompletableFuture<Boolean> deleteNamespace(String id) {
        return submit(new Operation<Boolean>(id, 0) {
            @Override
            Boolean apply(StatementCache statements) throws SQLException {
                PreparedStatement entries = statements.get(DELETE_NAMESPACE_ENTRIES);
                entries.setString(1, id);
                entries.executeUpdate();
                PreparedStatement ns = statements.get(DELETE_NAMESPACE);
                ns.setString(1, id);
                return ns.executeUpdate() > 0;
            }
        });
    }

    @Override
    public CompletableFuture<Void> write(String namespace, List<KvWrite> writes) {
        List<KvWrite> copy = List.copyOf(writes);
        long bytes = 0;
        for (KvWrite w : copy) {
            bytes += w.entry() == null ? 0 : w.entry().value().length;
        }
        return submit(new Operation<Void>(namespace, bytes) {
            @Override
            Void apply(StatementCache statements) throws SQLException, KvException {
                PreparedStatement exists = statements.get(NAMESPACE_EXISTS);
                exists.setString(1, namespace);
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        // deleted between the store's check and this write
                        throw new KvException(404, "Namespace " + namespace + " does not exist.");
                    }
                }
                for (KvWrite w : copy) {
                    applyWrite(statements, namespace, w);
                }
                return null;
            }
        });
    }

    private static void applyWrite(StatementCache statements, String namespace, KvWrite w) throws SQLException {
        byte[] key = KvLimits.utf8(w.key());
        KvEntry e = w.entry();
        if (e == null) {
            PreparedStatement ps = statements.get(DELETE_ENTRY);
            ps.setString(1, namespace);
            ps.setBytes(2, key);
            ps.executeUpdate();
            return;
        }
        PreparedStatement ps = statements.get(UPSERT_ENTRY);
        ps.setString(1, namespace);
        ps.setBytes(2, key);
        ps.setString(3, e.metadata());
        if (e.expiration() == 0) {
            ps.setNull(4, java.sql.Types.INTEGER);
        } else {
            ps.setLong(4, e.expiration());
        }
        ps.setBytes(5, e.value());
        ps.executeUpdate();
    }

    @Override
    public CompletableFuture<Integer> removeExpired(long nowMillis) {
        long nowSeconds = Math.floorDiv(nowMillis, 1000);
        return submit(new Operation<Integer>(null, 0) {
            @Override
            Integer apply(StatementCache statements) throws SQLException {
                PreparedStatement ps = statements.get(DELETE_EXPIRED);
                ps.setLong(1, nowSeconds);
                return ps.executeUpdate();
            }
        });
    }

    /** A write queued for the writer thread. */
    private abstract static class Operation<T> {
        final String logNamespace;
        final long valueBytes;
        final CompletableFuture<T> future = new CompletableFuture<>();
        T result;
        Throwable failure;

        Operation(String namespace, long valueBytes) {
            this.logNamespace = namespace;
            this.valueBytes = valueBytes;
        }

        abstract T apply(StatementCache statements) throws SQLException, KvException;

        void complete() {
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(result);
            }
        }
    }

    /** Queued by {@link #close()}: the writer stops once it reaches it. */
    private static final Operation<Void> STOP = new Operation<>(null, 0) {
        @Override
        Void apply(StatementCache statements) {
            return null;
        }
    };

    private <T> CompletableFuture<T> submit(Operation<T> op) {
        synchronized (submitLock) {
            if (closed) {
                return CompletableFuture.failedFuture(closedException());
            }
            queue.add(op);
        }
        return op.future;
    }

    private void writeLoop() {
        List<Operation<?>> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                // close() does not interrupt; keep serving until STOP arrives
                continue;
            }
            long bytes = batch.getFirst().valueBytes;
            Operation<?> next;
            while (batch.size() < MAX_BATCH_OPERATIONS && bytes < MAX_BATCH_VALUE_BYTES
                    && (next = queue.peek()) != null && bytes + next.valueBytes <= MAX_BATCH_VALUE_BYTES) {
                batch.add(queue.poll());
                bytes += next.valueBytes;
            }
            if (batch.getLast() == STOP) {
                batch.removeLast();
                stopping = true;
            }
            if (!batch.isEmpty()) {
                try {
                    runBatch(batch);
                } catch (RuntimeException | Error e) {
                    // never leave a future hanging, nor the writer dead
                    LOG.error("KV: the writer failed on a batch of {} operation(s)", batch.size(), e);
                    for (Operation<?> op : batch) {
                        op.future.completeExceptionally(e);
                    }
                }
            }
            batch.clear();
        }
    }

    private void runBatch(List<Operation<?>> batch) {
        try (Statement s = writerConnection.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                for (Operation<?> op : batch) {
                    applyInSavepoint(s, op);
                }
                s.execute("COMMIT");
            } catch (SQLException e) {
                rollbackQuietly(s);
                throw e;
            }
        } catch (SQLException e) {
            LOG.error("KV: commit of {} write(s) failed", batch.size(), e);
            for (Operation<?> op : batch) {
                if (op.failure == null) {
                    op.failure = e;
                }
            }
        }
        for (Operation<?> op : batch) {
            op.complete();
        }
    }

    private <T> void applyInSavepoint(Statement s, Operation<T> op) throws SQLException {
        s.execute("SAVEPOINT op");
        try {
            op.result = op.apply(writerStatements);
        } catch (SQLException | KvException | RuntimeException e) {
            s.execute("ROLLBACK TO op");
            op.failure = e;
            if (!(e instanceof KvException)) {
                LOG.warn("KV: write in namespace {} failed: {}", op.logNamespace, e.toString());
            }
        }
        s.execute("RELEASE op");
    }

    private static void rollbackQuietly(Statement s) {
        try {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            LOG.debug("KV: rollback failed: {}", e.toString());
        }
    }

    // ---- closing

    private static IllegalStateException closedException() {
        return new IllegalStateException("the KV store is closed");
    }

    @Override
    public void close() {
        synchronized (submitLock) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
            readers.shutdown();
        }
        joinUninterruptibly(writer);
        try {
            if (!readers.awaitTermination(1, TimeUnit.MINUTES)) {
                LOG.warn("KV: readers still busy after a minute; closing their connections anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (StatementCache reader : openReaders) {
            reader.close();
        }
        writerStatements.close();
        LOG.info("KV: database {} closed", file);
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A connection and its prepared statements, by SQL text; used by one thread at a time. */
    private static final class StatementCache {
        private final Connection connection;
        private final Map<String, PreparedStatement> statements = new HashMap<>();

        StatementCache(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement get(String sql) throws SQLException {
            PreparedStatement ps = statements.get(sql);
            if (ps == null) {
                ps = connection.prepareStatement(sql);
                statements.put(sql, ps);
            }
            return ps;
        }

        void close() {
            try {
                for (PreparedStatement ps : statements.values()) {
                    ps.close();
                }
                connection.close();
            } catch (SQLException e) {
                LOG.warn("KV: closing a connection failed: {}", e.toString());
            }
        }
    }
}
