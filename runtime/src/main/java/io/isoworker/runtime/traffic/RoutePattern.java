package io.isoworker.runtime.traffic;

import java.util.Locale;

/**
 * A Cloudflare-style route pattern: {@code [scheme://]host[/path]}. The host may start with {@code *} (any prefix,
 * so {@code *example.com} matches {@code example.com} and its subdomains, {@code *.example.com} only subdomains);
 * the path may end with {@code *} (any suffix). A missing path means every path. The scheme and query are ignored.
 */
public record RoutePattern(String text, String hostSuffix, boolean hostWildcard, String path, boolean pathWildcard) {

    public static RoutePattern parse(String text) {
        String t = text.trim();
        int scheme = t.indexOf("://");
        if (scheme >= 0) {
            t = t.substring(scheme + 3);
        }
        int slash = t.indexOf('/');
        String host = (slash < 0 ? t : t.substring(0, slash)).toLowerCase(Locale.ROOT);
        String path = slash < 0 ? "/*" : t.substring(slash);
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        boolean hostWildcard = host.startsWith("*");
        if (hostWildcard) {
            host = host.substring(1);
        }
        if (host.isEmpty() || host.contains("*") || host.contains(":")) {
            throw new IllegalArgumentException("invalid route pattern host in: " + text);
        }
        boolean pathWildcard = path.endsWith("*");
        if (pathWildcard) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.contains("*")) {
            throw new IllegalArgumentException("a route pattern may only have '*' at the end of its path: " + text);
        }
        return new RoutePattern(text, host, hostWildcard, path, pathWildcard);
    }

    /** @param host the request's host, lower case, without port */
    public boolean matches(String host, String path) {
        boolean hostOk = hostWildcard ? host.endsWith(hostSuffix) : host.equals(hostSuffix);
        if (!hostOk) {
            return false;
        }
        return pathWildcard ? path.startsWith(this.path) : path.equals(this.path);
    }

    /** Higher is more specific: exact hosts before wildcards, then longer hosts, then longer paths. */
    public int specificity() {
        return (hostWildcard ? 0 : 1_000_000) + hostSuffix.length() * 1000 + path.length() + (pathWildcard ? 0 : 500);
    }
}
