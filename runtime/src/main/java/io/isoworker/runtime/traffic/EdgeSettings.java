package io.isoworker.runtime.traffic;

import java.util.Objects;

/**
 * What the traffic listener tells workers about where and from whom a request came: the node's {@code colo} name
 * ({@code request.cf.colo}) and the proxies whose {@code X-Forwarded-For} decides {@code CF-Connecting-IP}.
 */
public record EdgeSettings(String colo, TrustedProxies trustedProxies) {

    /** {@code colo} "local", no trusted proxies. */
    public static final EdgeSettings DEFAULT = new EdgeSettings("local", TrustedProxies.NONE);

    public EdgeSettings {
        Objects.requireNonNull(colo, "colo");
        Objects.requireNonNull(trustedProxies, "trustedProxies");
    }
}
