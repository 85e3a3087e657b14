package io.isoworker.runtime.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.isoworker.isolate.IsolateSettings;
import io.isoworker.runtime.traffic.EdgeSettings;
import io.isoworker.runtime.traffic.ListenerSettings;
import io.isoworker.runtime.traffic.TrustedProxies;
import io.isoworker.runtime.fetch.EgressPolicy;
import io.isoworker.runtime.fetch.FetchSettings;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.isoworker.kv.KvSettings;
import io.vertx.core.json.JsonObject;

/**
 * The server's settings. Each setting has one name, used three ways: the flag {@code --NAME}, the environment
 * variable {@code ISOWORKER_NAME} (upper case, dashes as underscores) and the key {@code "NAME"} of the JSON config
 * file. Flags win over the environment, which wins over the file, which wins over the defaults.
 */
public record ServerConfig(
        String host,
        int port,
        String adminHost,
        int adminPort,
        Path dataDir,
        String baseDomain,
        String adminToken,
        List<RouteSetting> routes,
        long maxScriptSize,
        long maxRequestBody,
        long maxResponseBody,
        int eventLoops,
        IsolateSettings isolates,
        FetchSettings fetch,
        EdgeSettings edge,
        int maxConcurrentRequests,
        KvSettings kv,
        ListenerSettings listeners,
        Duration cronTimeout) {

    /** The same settings with other KV settings (tests inject a clock this way). */
    public ServerConfig withKv(KvSettings settings) {
        return new ServerConfig(host, port, adminHost, adminPort, dataDir, baseDomain, adminToken, routes, maxScriptSize,
                maxRequestBody, maxResponseBody, eventLoops, isolates, fetch, edge, maxConcurrentRequests, settings,
                listeners, cronTimeout);
    }

    /** A configured route: requests matching {@code pattern} go to {@code script}. */
    public record RouteSetting(String pattern, String script) {
    }

    /** Every setting with its default and its meaning, for {@code --help} and the README. */
    public static final Map<String, String[]> SETTINGS = settings();

    private static Map<String, String[]> settings() {
        Map<String, String[]> m = new LinkedHashMap<>();
        m.put("host", new String[] {"0.0.0.0", "address the traffic listener binds"});
        m.put("port", new String[] {"8787", "port of the traffic listener (0: any free port)"});
        m.put("admin-host", new String[] {"127.0.0.1", "address the admin API binds"});
        m.put("admin-port", new String[] {"8788", "port of the admin API (0: any free port)"});
        m.put("data-dir", new String[] {"./.isoworker", "where scripts, versions, KV data and the admin token are kept"});
        m.put("base-domain", new String[] {"localhost", "requests for NAME.BASE-DOMAIN go to script NAME"});
        m.put("admin-token", new String[] {"", "bearer token of the admin API (default: generated at first start)"});
        m.put("route", new String[] {"", "PATTERN=SCRIPT, e.g. example.com/api/*=api; repeatable (comma-separated in the environment, an array in the file)"});
        m.put("max-script-size", new String[] {"10485760", "largest script upload in bytes"});
        m.put("max-request-body", new String[] {"104857600", "largest request body a worker receives, in bytes"});
        m.put("max-response-body", new String[] {"0", "largest response body a worker may send, in bytes; past it the response is aborted (0: no limit)"});
        m.put("event-loops", new String[] {"0", "event-loop threads (0: one per core)"});
        m.put("guest-threads", new String[] {"0", "threads that run guest code, apart from the event loops (0: two per core)"});
        m.put("guest-threads-per-script", new String[] {"0", "most guest threads one script may occupy at once, so a script that burns CPU leaves the others free (0: half of guest-threads)"});
        m.put("heap-guard-percent", new String[] {"85", "when more of the maximum heap than this (in percent) is still in use after a garbage collection, isolates are recycled, the one that allocated most first (0: off)"});
        m.put("prewarmed-contexts", new String[] {"8", "blank contexts kept ready for cold starts"});
        m.put("max-isolates", new String[] {"10000", "most loaded isolates kept in memory"});
        m.put("idle-timeout-seconds", new String[] {"300", "an isolate idle this long is closed"});
        m.put("startup-cpu-ms", new String[] {"1000", "CPU time a script's top-level evaluation may take"});
        m.put("cpu-ms", new String[] {"50", "CPU time one request may take before its isolate is cancelled, for scripts that set no limits.cpu_ms"});
        m.put("memory-mb", new String[] {"128", "MiB a script may allocate in one run of its code (a request, a timer, an I/O callback) before its isolate is discarded (0: no limit)"});
        m.put("response-timeout-ms", new String[] {"30000", "wall-clock time a worker has to send its response headers; then the client gets a 503"});
        m.put("cron-timeout-ms", new String[] {"900000", "wall-clock time a cron trigger's scheduled() run may take before it is failed (Workers: 15 minutes)"});
        m.put("wait-until-timeout-ms", new String[] {"30000", "wall-clock time ctx.waitUntil() work may take; then what it has pending is cancelled and a warning logged"});
        m.put("max-cpu-ms", new String[] {"30000", "the largest limits.cpu_ms a script's upload may ask for (never below cpu-ms)"});
        m.put("colo", new String[] {"local", "this node's name, as workers see it in request.cf.colo"});
        m.put("trusted-proxies", new String[] {"", "comma-separated CIDRs of proxies whose X-Forwarded-For sets CF-Connecting-IP (default: none)"});
        m.put("subrequests", new String[] {"50", "outbound fetch() requests (redirects included) one incoming request may make"});
        m.put("egress-allow", new String[] {"", "CIDRs and host:port destinations fetch() may reach although they are private, loopback, link-local or this server's own listeners; comma-separated, repeatable"});
        m.put("fetch-connect-timeout-ms", new String[] {"10000", "how long fetch() may take to connect to a server"});
        m.put("fetch-idle-timeout-ms", new String[] {"100000", "how long a fetch() may go without receiving any data before it fails"});
        m.put("header-timeout-ms", new String[] {"10000", "a client connection that has not sent a complete request head this long after connecting, or after its previous response, is closed (slow clients; traffic and admin listeners)"});
        m.put("connection-idle-timeout-s", new String[] {"120", "a client connection on which nothing is read or written for this many seconds is closed (traffic and admin listeners)"});
        m.put("max-concurrent-requests", new String[] {"1000", "requests one script may have in flight on this server; more get a 503 with Retry-After (0: no limit)"});
        m.put("kv-sync", new String[] {"true", "sync every KV commit to disk before a put or delete resolves (false: a write survives a crash of the process, not a power loss)"});
        m.put("kv-cache-mb", new String[] {"64", "size of the KV read cache in MiB (0: none)"});
        m.put("config", new String[] {"", "path of a JSON config file (default: ./isoworker.json when it exists)"});
        return m;
    }

    /**
     * Reads the settings from the flags, the environment and the config file.
     *
     * @param flags the command line's {@code --name value} pairs (repeatable names give several values)
     */
    public static ServerConfig load(Map<String, List<String>> flags, Map<String, String> env) {
        for (String name : flags.keySet()) {
            if (!SETTINGS.containsKey(name)) {
                throw new ConfigException("unknown option --" + name);
            }
        }
        String configPath = first(flags.get("config"));
        if (configPath == null) {
            configPath = env.get("ISOWORKER_CONFIG");
        }
        JsonObject file = readFile(configPath);
        for (String key : file.fieldNames()) {
            if (!SETTINGS.containsKey(key) && !key.equals("routes")) {
                throw new ConfigException("unknown key \"" + key + "\" in the config file");
            }
        }
        Source src = new Source(flags, env, file);
        List<RouteSetting> routes = new ArrayList<>();
        for (String r : src.list("route")) {
            routes.add(parseRoute(r));
        }
        int loops = src.integer("event-loops");
        IsolateSettings isolates = new IsolateSettings(
                src.integer("prewarmed-contexts"),
                src.longValue("max-isolates"),
                Duration.ofSeconds(src.longValue("idle-timeout-seconds")),
                Duration.ofMillis(src.longValue("startup-cpu-ms")),
                Duration.ofMillis(src.longValue("cpu-ms")),
                Duration.ofMillis(Math.max(src.longValue("max-cpu-ms"), src.longValue("cpu-ms"))),
                src.longValue("memory-mb") * 1024 * 1024,
                Duration.ofMillis(Math.max(1, src.longValue("response-timeout-ms"))),
                Duration.ofMillis(Math.max(1, src.longValue("wait-until-timeout-ms"))),
                src.integer("guest-threads"),
                src.integer("guest-threads-per-script"),
                src.integer("heap-guard-percent"));
        FetchSettings fetch = fetchSettings(src);
        String token = src.string("admin-token");
        TrustedProxies proxies;
        try {
            proxies = TrustedProxies.parse(src.string("trusted-proxies"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--trusted-proxies: " + e.getMessage());
        }
        return new ServerConfig(
                src.string("host"),
                src.port("port"),
                src.string("admin-host"),
                src.port("admin-port"),
                Path.of(src.string("data-dir")),
                src.string("base-domain").toLowerCase(Locale.ROOT),
                token.isEmpty() ? null : token,
                List.copyOf(routes),
                src.longValue("max-script-size"),
                src.longValue("max-request-body"),
                src.longValue("max-response-body"),
                loops > 0 ? loops : Runtime.getRuntime().availableProcessors(),
                isolates,
                fetch,
                new EdgeSettings(src.string("colo"), proxies),
                src.integer("max-concurrent-requests"),
                KvSettings.defaults(Path.of(src.string("data-dir")).resolve("kv"))
                        .withSyncCommits(src.bool("kv-sync"))
                        .withCacheMaxBytes(src.longValue("kv-cache-mb") * 1024 * 1024),
                listenerSettings(src),
                Duration.ofMillis(Math.max(1, src.longValue("cron-timeout-ms"))));
    }

    private static ListenerSettings listenerSettings(Source src) {
        long header = src.longValue("header-timeout-ms");
        int idle = src.integer("connection-idle-timeout-s");
        if (header < 1 || idle < 1) {
            throw new ConfigException("--header-timeout-ms and --connection-idle-timeout-s must be positive");
        }
        return new ListenerSettings(header, idle);
    }

    private static FetchSettings fetchSettings(Source src) {
        List<String> allow = new ArrayList<>();
        for (String item : src.list("egress-allow")) {
            for (String part : item.split(",")) {
                if (!part.isBlank()) {
                    allow.add(part.trim());
                }
            }
        }
        EgressPolicy egress;
        try {
            egress = EgressPolicy.of(allow);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--egress-allow: " + e.getMessage());
        }
        long connect = src.longValue("fetch-connect-timeout-ms");
        long idle = src.longValue("fetch-idle-timeout-ms");
        if (connect < 1 || idle < 1) {
            throw new ConfigException("--fetch-connect-timeout-ms and --fetch-idle-timeout-ms must be positive");
        }
        return new FetchSettings(src.integer("subrequests"), connect, idle, egress);
    }

    static RouteSetting parseRoute(String text) {
        int eq = text.lastIndexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new ConfigException("a route is PATTERN=SCRIPT, got: " + text);
        }
        return new RouteSetting(text.substring(0, eq).trim(), text.substring(eq + 1).trim());
    }

    private static JsonObject readFile(String path) {
        Path p;
        if (path == null) {
            p = Path.of("isoworker.json");
            if (!Files.isRegularFile(p)) {
                return new JsonObject();
            }
        } else {
            p = Path.of(path);
        }
        try {
            return new JsonObject(Files.readString(p));
        } catch (IOException e) {
            throw new ConfigException("cannot read the config file " + p + ": " + e.getMessage());
        } catch (DecodeException e) {
            throw new ConfigException("the config file " + p + " is not valid JSON: " + e.getMessage());
        }
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    /** Looks a setting up in the flags, then the environment, then the file, then the defaults. */
    private record Source(Map<String, List<String>> flags, Map<String, String> env, JsonObject file) {

        static String envName(String name) {
            return "ISOWORKER_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
        }

        String string(String name) {
            String v = first(flags.get(name));
            if (v == null) {
                v = env.get(envName(name));
            }
            if (v == null && file.containsKey(name)) {
                Object o = file.getValue(name);
                v = o == null ? null : o.toString();
            }
            return v == null ? SETTINGS.get(name)[0] : v;
        }

        List<String> list(String name) {
            List<String> v = flags.get(name);
            if (v != null && !v.isEmpty()) {
                return v;
            }
            String e = env.get(envName(name) + "S");
            if (e == null) {
                e = env.get(envName(name));
            }
            if (e != null) {
                List<String> out = new ArrayList<>();
                for (String part : e.split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.trim());
                    }
                }
                return out;
            }
            Object o = file.getValue(name + "s");
            if (o == null) {
                o = file.getValue(name);
            }
            List<String> out = new ArrayList<>();
            if (o instanceof JsonArray arr) {
                for (Object item : arr) {
                    if (item instanceof JsonObject r) {
                        out.add(r.getString("pattern") + "=" + r.getString("script"));
                    } else {
                        out.add(String.valueOf(item));
                    }
                }
            } else if (o != null) {
                out.add(o.toString());
            }
            return out;
        }

        long longValue(String name) {
            String v = string(name);
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException("--" + name + " must be a whole number, got: " + v);
            }
        }

        boolean bool(String name) {
            String v = string(name).trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "true", "yes", "1", "on" -> true;
                case "false", "no", "0", "off" -> false;
                default -> throw new ConfigException("--" + name + " must be true or false, got: " + v);
            };
        }

        int integer(String name) {
            long v = longValue(name);
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new ConfigException("--" + name + " is out of range: " + v);
            }
            return (int) v;
        }

        int port(String name) {
            int v = integer(name);
            if (v > 65535) {
                throw new ConfigException("--" + name + " must be a port number (0-65535), got: " + v);
            }
            return v;
        }
    }

    /** A setting is missing, malformed or unknown. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
