package io.isoworker.kv;

import java.nio.charset.StandardCharsets;

/**
 * KV's limits and the checks the storage side makes, with the statuses and messages of Cloudflare's KV service (as
 * its local simulator words them; {@code shared/conformance/kv/README.md} §8). {@link KvStore} applies them to every
 * request, from a worker or from the admin API.
 */
public final class KvLimits {

    public static final int MAX_KEY_BYTES = 512;
    public static final long MAX_VALUE_BYTES = 25L * 1024 * 1024;
    public static final int MAX_METADATA_BYTES = 1024;
    public static final int MIN_EXPIRATION_TTL = 60;
    public static final int MIN_CACHE_TTL = 30;
    public static final int MAX_LIST_LIMIT = 1000;
    public static final int MAX_BULK_KEYS = 100;
    public static final long MAX_BULK_RESULT_BYTES = 25L * 1024 * 1024;

    private KvLimits() {
    }

    /** The UTF-8 length of a string; lone surrogates count as the three bytes of U+FFFD, as they are stored. */
    public static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** A key's UTF-8 bytes, lone surrogates replaced by U+FFFD. */
    public static byte[] utf8(String s) {
        // String.getBytes would encode a lone surrogate as '?'.
        return wellFormed(s).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The string with every lone surrogate replaced by U+FFFD (as JavaScript's {@code toWellFormed} does, and as a key
     * is stored); the same instance when it has none.
     */
    public static String wellFormed(String s) {
        int bad = firstLoneSurrogate(s);
        if (bad < 0) {
            return s;
        }
        char[] chars = s.toCharArray();
        for (int i = bad; i < chars.length; i++) {
            char c = chars[i];
            if (Character.isHighSurrogate(c) && i + 1 < chars.length && Character.isLowSurrogate(chars[i + 1])) {
                i++;
            } else if (Character.isSurrogate(c)) {
                chars[i] = '\uFFFD';
            }
        }
        return new String(chars);
    }

    private static int firstLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The checks on a key name: not empty, not {@code .} or {@code ..}, at most 512 bytes of UTF-8. */
    public static void checkKey(String key) throws KvException {
        if (key.isEmpty()) {
            throw new KvException(400, "Key names must not be empty");
        }
        if (key.equals(".") || key.equals("..")) {
            throw new KvException(400, "Illegal key name \"" + key + "\". Please use a different name.");
        }
        checkKeyLength(key);
    }

    /** The 512-byte limit alone (it applies to list prefixes too). */
    public static void checkKeyLength(String key) throws KvException {
        int length = utf8Length(key);
        if (length > MAX_KEY_BYTES) {
            throw new KvException(414, "UTF-8 encoded length of " + length + " exceeds key length limit of "
                    + MAX_KEY_BYTES + ".");
        }
    }

    public static void checkValueLength(long length) throws KvException {
        if (length > MAX_VALUE_BYTES) {
            throw new KvException(413, "Value length of " + length + " exceeds limit of " + MAX_VALUE_BYTES + ".");
        }
    }

    /** @param metadataJson the metadata's JSON text, or null */
    public static void checkMetadata(String metadataJson) throws KvException {
        if (metadataJson == null) {
            return;
        }
        int length = utf8Length(metadataJson);
        if (length > MAX_METADATA_BYTES) {
            throw new KvException(413, "Metadata length of " + length + " exceeds limit of " + MAX_METADATA_BYTES + ".");
        }
    }

    public static void checkCacheTtl(long cacheTtl) throws KvException {
        if (cacheTtl < MIN_CACHE_TTL) {
            throw new KvException(400, "Invalid cache_ttl of " + cacheTtl + ". Cache TTL must be at least "
                    + MIN_CACHE_TTL + ".");
        }
    }

    public static void checkListLimit(long limit) throws KvException {
        if (limit < 1) {
            throw new KvException(400, "Invalid key_count_limit of " + limit
                    + ". Please specify an integer greater than 0.");
        }
        if (limit > MAX_LIST_LIMIT) {
            throw new KvException(400, "Invalid key_count_limit of " + limit + ". Please specify an integer less than "
                    + MAX_LIST_LIMIT + ".");
        }
    }

    public static void checkBulkKeyCount(int count) throws KvException {
        if (count < 1) {
            throw new KvException(400, "You must request a minimum of 1 key");
        }
        if (count > MAX_BULK_KEYS) {
            throw new KvException(400, "You can request a maximum of " + MAX_BULK_KEYS + " keys");
        }
    }

    /**
     * The absolute expiration (seconds since the epoch, 0 for none) that a write's options give at {@code nowMillis}.
     * {@code expirationTtl} wins when both are given.
     */
    public static long expiration(Long expiration, Long expirationTtl, long nowMillis) throws KvException {
        long nowSeconds = Math.floorDiv(nowMillis, 1000);
        if (expirationTtl != null) {
            long ttl = expirationTtl;
            if (ttl <= 0) {
                throw new KvException(400, "Invalid expiration_ttl of " + ttl
                        + ". Please specify integer greater than 0.");
            }
            if (ttl < MIN_EXPIRATION_TTL) {
                throw new KvException(400, "Invalid expiration_ttl of " + ttl + ". Expiration TTL must be at least "
                        + MIN_EXPIRATION_TTL + ".");
            }
            return nowSeconds + ttl;
        }
        if (expiration != null) {
            long at = expiration;
            if (at <= nowSeconds) {
                throw new KvException(400, "Invalid expiration of " + at
                        + ". Please specify integer greater than the current number of seconds since the UNIX epoch.");
            }
            if (at < nowSeconds + MIN_EXPIRATION_TTL) {
                throw new KvException(400, "Invalid expiration of " + at
                        + ". Expiration times must be at least " + MIN_EXPIRATION_TTL + " seconds in the future.");
            }
            return at;
        }
        return 0;
    }
}
