package io.isoworker.kv.sqlite;

import java.nio.file.Path;

/** The SQLite backend: being written on branch kv-store. */
public final class SqliteKvBackend {

    private SqliteKvBackend() {
    }

    public static io.isoworker.kv.KvBackend open(Path directory, boolean syncCommits) {
        throw new UnsupportedOperationException("SqliteKvBackend is not written yet");
    }
}
