package io.isoworker.kv;

/**
 * One key in a {@link KvListPage}.
 *
 * @param name       the key
 * @param expiration seconds since the epoch, or 0 when it never expires
 * @param metadata   the metadata's JSON text, or null
 */
public record KvListedKey(String name, long expiration, String metadata) {
}
