package io.isoworker.runtime.fetch;

/**
 * Settings of guest {@code fetch()}.
 *
 * @param subrequests      outbound requests (redirect hops included) one incoming request may make
 * @param connectTimeoutMs how long connecting to a server may take
 * @param idleTimeoutMs    how long a request may go without any data moving before it fails
 * @param egress           which destinations may be reached
 */
public record FetchSettings(int subrequests, long connectTimeoutMs, long idleTimeoutMs, EgressPolicy egress) {

    public FetchSettings {
        if (subrequests < 0) {
            throw new IllegalArgumentException("subrequests must be >= 0");
        }
        if (connectTimeoutMs < 1 || idleTimeoutMs < 1) {
            throw new IllegalArgumentException("fetch timeouts must be positive");
        }
    }

    /** The defaults with everything reachable ({@code isoworker dev}). */
    public static FetchSettings dev() {
        return new FetchSettings(50, 10_000, 100_000, EgressPolicy.allowAll());
    }
}
