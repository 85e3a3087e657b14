package io.isoworker.kv;

/**
 * A checked write as the backend stores it: {@code entry == null} deletes the key.
 *
 * @param key   the key
 * @param entry what to store, or null to delete
 */
public record KvWrite(String key, KvEntry entry) {

    public KvWrite {
        java.util.Objects.requireNonNull(key, "key");
    }
}
