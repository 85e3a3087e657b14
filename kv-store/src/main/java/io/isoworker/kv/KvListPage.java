package io.isoworker.kv;

import java.util.List;

/**
 * One page of a listing, keys in ascending order of their UTF-8 bytes.
 *
 * @param keys     the keys of this page
 * @param complete true when no key follows this page
 * @param cursor   where the next page starts (opaque, non-empty) when not complete; null when complete
 */
public record KvListPage(List<KvListedKey> keys, boolean complete, String cursor) {

    public KvListPage {
        keys = List.copyOf(keys);
    }
}
