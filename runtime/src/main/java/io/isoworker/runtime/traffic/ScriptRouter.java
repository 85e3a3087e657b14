package io.isoworker.runtime.traffic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import io.isoworker.runtime.config.ServerConfig;
import io.isoworker.runtime.scripts.ScriptNames;

/**
 * Decides which script a request is for. Configured route patterns win; otherwise a Host of
 * {@code NAME.BASE-DOMAIN} means script {@code NAME}. A port in the Host is ignored. In dev mode every request goes
 * to the one script.
 */
public final class ScriptRouter {

    private record Route(RoutePattern pattern, String script) {
    }

    private final List<Route> routes;
    private final String domainSuffix;
    private final String onlyScript;

    private ScriptRouter(List<Route> routes, String baseDomain, String onlyScript) {
        this.routes = routes;
        this.domainSuffix = "." + baseDomain.toLowerCase(Locale.ROOT);
        this.onlyScript = onlyScript;
    }

    public static ScriptRouter of(List<ServerConfig.RouteSetting> settings, String baseDomain) {
        List<Route> routes = new ArrayList<>();
        for (ServerConfig.RouteSetting r : settings) {
            if (!ScriptNames.validScriptName(r.script())) {
                throw new IllegalArgumentException("route " + r.pattern() + " names an invalid script: " + r.script());
            }
            routes.add(new Route(RoutePattern.parse(r.pattern()), r.script()));
        }
        routes.sort(Comparator.comparingInt((Route r) -> r.pattern().specificity()).reversed());
        return new ScriptRouter(List.copyOf(routes), baseDomain, null);
    }

    /** Every request goes to {@code script}. */
    public static ScriptRouter single(String script) {
        return new ScriptRouter(List.of(), "localhost", script);
    }

    /**
     * @param hostHeader the request's Host header (may be null, may carry a port)
     * @param path       the request path (without query)
     * @return the script name, or null when no script is meant
     */
    public String scriptFor(String hostHeader, String path) {
        if (onlyScript != null) {
            return onlyScript;
        }
        if (hostHeader == null) {
            return null;
        }
        String host = stripPort(hostHeader).toLowerCase(Locale.ROOT);
        for (Route r : routes) {
            if (r.pattern().matches(host, path)) {
                return r.script();
            }
        }
        if (host.endsWith(domainSuffix)) {
            String name = host.substring(0, host.length() - domainSuffix.length());
            if (ScriptNames.validScriptName(name)) {
                return name;
            }
        }
        return null;
    }

    static String stripPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }
}
