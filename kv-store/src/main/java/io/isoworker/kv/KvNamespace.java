package io.isoworker.kv;

/**
 * A namespace.
 *
 * @param id    32 lower-case hex characters, made by the server
 * @param title the title it was created with; titles are unique
 */
public record KvNamespace(String id, String title) {
}
