package io.isoworker.api.host;

/**
 * Re-enters a guest context from host code (an I/O completion, a drained socket). The implementation runs
 * {@code callback} on the context's own thread under the context's limits.
 */
@FunctionalInterface
public interface GuestEntry {
    void enter(Runnable callback);
}
