package io.isoworker.kv;

/**
 * One write as a caller asks for it, before {@link KvStore} checks it.
 *
 * @param key           the key
 * @param value         the bytes to store
 * @param metadata      the metadata's JSON text, or null for none
 * @param expiration    the {@code expiration} option (seconds since the epoch) as given, or null
 * @param expirationTtl the {@code expirationTtl} option (seconds from now) as given, or null; wins over
 *                      {@code expiration} when both are given, as in miniflare
 */
public record KvPut(String key, byte[] value, String metadata, Long expiration, Long expirationTtl) {

    public KvPut {
        java.util.Objects.requireNonNull(key, "key");
        java.util.Objects.requireNonNull(value, "value");
    }

    public static KvPut of(String key, byte[] value) {
        return new KvPut(key, value, null, null, null);
    }
}
