package io.isoworker.kv;

/**
 * What a namespace holds under one key.
 *
 * @param value      the bytes (possibly empty)
 * @param metadata   the metadata's JSON text, or null when none was stored
 * @param expiration seconds since the Unix epoch after which the entry is gone, or 0 when it never expires
 */
public record KvEntry(byte[] value, String metadata, long expiration) {

    public KvEntry {
        java.util.Objects.requireNonNull(value, "value");
    }

    /** True when the entry has expired at {@code nowMillis}: an expiration at or before now counts as expired. */
    public boolean expiredAt(long nowMillis) {
        return expiration != 0 && expiration * 1000 <= nowMillis;
    }
}
