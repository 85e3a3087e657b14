package io.isoworker.kv;

import java.util.List;

/**
 * One page of namespaces, ordered by title.
 *
 * @param namespaces the namespaces on this page (empty after the last page)
 * @param totalCount how many namespaces there are in all
 */
public record KvNamespacePage(List<KvNamespace> namespaces, int totalCount) {

    public KvNamespacePage {
        namespaces = List.copyOf(namespaces);
    }
}
