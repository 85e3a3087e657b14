package io.isoworker.runtime.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.isoworker.api.Binding;
import io.isoworker.runtime.cron.CronSchedule;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * A project's wrangler configuration, as wrangler reads it: {@code wrangler.json}, {@code wrangler.jsonc} or
 * {@code wrangler.toml} in the project folder (the first of these that exists, as wrangler looks for them), with the
 * {@code [env.NAME]} section chosen by {@code --env} applied.
 *
 * <p>Read: {@code name}, {@code main}, {@code compatibility_date}, {@code compatibility_flags}, {@code [vars]},
 * {@code [[kv_namespaces]]} ({@code binding}, {@code id}), {@code [triggers] crons}, {@code [limits] cpu_ms},
 * {@code route}/{@code routes}, {@code no_bundle}. As in wrangler, an environment inherits {@code main}, the
 * compatibility settings, {@code triggers}, {@code limits}, {@code no_bundle} and the routes from the top level unless
 * it sets its own, takes {@code name} as
 * {@code NAME-ENV} unless it sets one, and does not inherit {@code vars} or {@code kv_namespaces} (a top-level one
 * missing from the environment gets a warning). Keys isoworker does not know, or knows but does not act on, get a
 * warning each ({@link #warnings()}), never an error; a value of the wrong type is an error naming the file and key.
 *
 * @param file               the file read, or null when the project has none
 * @param name               the worker's name, or null
 * @param main               the entry point relative to the project folder, or null
 * @param compatibilityDate  {@code YYYY-MM-DD}, or null
 * @param compatibilityFlags the flags as written
 * @param vars               the {@code vars}: plain text for strings, JSON for other values
 * @param kvNamespaces       the KV bindings (a binding without an id uses its binding name, as wrangler's local mode)
 * @param crons              the cron schedules as written
 * @param cpuMs              the {@code limits.cpu_ms}, or 0 for the server's default
 * @param routes             the route patterns
 * @param warnings           one line per ignored or doubtful key
 * @param noBundle           {@code no_bundle}: true never bundles, false always does, null (unset) bundles when the
 *                           project needs it (see {@link io.isoworker.runtime.bundle.Bundler#reason})
 */
public record WranglerConfig(Path file, String name, String main, String compatibilityDate,
        List<String> compatibilityFlags, List<Binding> vars, List<Binding.KvNamespace> kvNamespaces, List<String> crons,
        long cpuMs, List<String> routes, List<String> warnings, Boolean noBundle) {

    /** The file names wrangler looks for, in its order. */
    static final List<String> FILE_NAMES = List.of("wrangler.json", "wrangler.jsonc", "wrangler.toml");

    static final WranglerConfig NONE = new WranglerConfig(null, null, null, null, List.of(), List.of(), List.of(),
            List.of(), 0, List.of(), List.of(), null);

    /** Keys read here, at the top level and in an environment. */
    private static final Set<String> READ = Set.of("name", "main", "compatibility_date", "compatibility_flags",
            "vars", "kv_namespaces", "triggers", "limits", "route", "routes", "no_bundle");

    /** Keys of wrangler's that isoworker accepts and does not act on: a warning, the worker still runs. */
    private static final Set<String> NOT_ACTED_ON = Set.of("$schema", "account_id", "workers_dev", "preview_urls",
            "zone_id", "build", "minify", "node_compat", "find_additional_modules", "base_dir",
            "preserve_file_names", "rules", "upload_source_maps", "keep_vars", "keep_names", "logpush", "observability",
            "tail_consumers", "placement", "send_metrics", "site", "assets", "dev", "durable_objects", "migrations",
            "r2_buckets", "d1_databases", "services", "queues", "analytics_engine_datasets", "text_blobs",
            "wasm_modules", "data_blobs", "unsafe", "browser", "ai", "vectorize", "hyperdrive", "mtls_certificates",
            "dispatch_namespaces", "version_metadata", "send_email", "secrets_store_secrets", "workflows",
            "pipelines", "images", "containers", "cloudchamber", "legacy_env", "usage_model", "first_party_worker",
            "alias", "define", "jsx_factory", "jsx_fragment", "tsconfig", "keep_bindings", "secrets",
            "compliance_region", "python_modules", "streaming_tail_consumers", "workers_dev_subdomain");

    /** Keys an environment inherits from the top level when it does not set them. */
    private static final Set<String> INHERITED = Set.of("main", "compatibility_date", "compatibility_flags",
            "triggers", "limits", "route", "routes", "no_bundle");

    /** Keys an environment does not inherit: it must declare its own. */
    private static final Set<String> NOT_INHERITED = Set.of("vars", "kv_namespaces");

    /**
     * Reads the configuration in {@code dir}, with environment {@code env} (null for the top level).
     *
     * @throws IOException a file that does not parse, a value of the wrong type, or an {@code env} the file does not
     *                     define; the message names the file
     */
    public static WranglerConfig read(Path dir, String env) throws IOException {
        List<String> warnings = new ArrayList<>();
        Path file = null;
        for (String candidate : FILE_NAMES) {
            Path f = dir.resolve(candidate);
            if (Files.isRegularFile(f)) {
                if (file == null) {
                    file = f;
                } else {
                    warnings.add("both " + file.getFileName() + " and " + candidate + " exist: using "
                            + file.getFileName() + ", as wrangler does");
                }
            }
        }
        if (file == null) {
            if (env != null) {
                throw new IOException("--env " + env + " given, but " + dir + " has no wrangler.json, "
                        + "wrangler.jsonc or wrangler.toml");
            }
            return NONE;
        }
        return parse(file, Files.readString(file), env, warnings);
    }

    static WranglerConfig parse(Path file, String text, String env, List<String> warnings) throws IOException {
        String fileName = file.getFileName().toString();
        JsonObject top = parseFile(fileName, text);
        JsonObject effective = top;
        String where = fileName;
        if (env != null) {
            if (!(top.getValue("env") instanceof JsonObject envs)) {
                throw new IOException(fileName + ": --env " + env + " given, but the file has no env section");
            }
            if (!(envs.getValue(env) instanceof JsonObject section)) {
                throw new IOException(fileName + ": no environment '" + env + "' (it defines: "
                        + (envs.isEmpty() ? "none" : String.join(", ", envs.fieldNames())) + ")");
            }
            effective = new JsonObject();
            for (String key : INHERITED) {
                if (top.containsKey(key) && !section.containsKey(key)) {
                    effective.put(key, top.getValue(key));
                }
            }
            for (String key : NOT_INHERITED) {
                if (top.containsKey(key) && !section.containsKey(key)) {
                    warnings.add(fileName + ": \"" + key + "\" is set at the top level but not in env." + env
                            + ", and environments do not inherit it (as in wrangler): env." + env + " has none");
                }
            }
            effective.mergeIn(section);
            if (!section.containsKey("name") && top.getValue("name") instanceof String topName) {
                effective.put("name", topName + "-" + env);
            }
            where = fileName + " (env." + env + ")";
            checkKeys(section, fileName + ": env." + env, warnings);
        }
        checkKeys(top, fileName, warnings);

        String name = string(effective, "name", where);
        String main = string(effective, "main", where);
        String date = string(effective, "compatibility_date", where);
        if (date != null) {
            try {
                LocalDate.parse(date);
            } catch (DateTimeParseException e) {
                throw new IOException(where + ": compatibility_date must be a date such as 2026-12-01, not '" + date
                        + "'");
            }
        }
        List<String> flags = strings(effective, "compatibility_flags", where);
        if (!flags.isEmpty()) {
            warnings.add(where + ": compatibility_flags " + flags + " are recorded; isoworker does not change "
                    + "behaviour by flag");
        }
        return new WranglerConfig(file, name, main, date, flags, vars(effective, where), kv(effective, where),
                crons(effective, where), cpuMs(effective, where), routes(effective, where), List.copyOf(warnings),
                bool(effective, "no_bundle", where));
    }

    /** The cron schedules, parsed (they were checked when the file was read). */
    public List<CronSchedule> cronSchedules() {
        return crons.stream().map(CronSchedule::parse).toList();
    }

    /** Every binding: the vars, then the KV namespaces. */
    public List<Binding> bindings() {
        List<Binding> all = new ArrayList<>(vars);
        all.addAll(kvNamespaces);
        return all;
    }

    private static JsonObject parseFile(String fileName, String text) throws IOException {
        if (text.isBlank()) {
            if (fileName.endsWith(".toml")) {
                return new JsonObject();
            }
            throw new IOException(fileName + " is empty: expected a JSON object");
        }
        try {
            Map<?, ?> map;
            if (fileName.endsWith(".toml")) {
                map = new TomlMapper().readValue(text, Map.class);
            } else {
                // wrangler.json may hold comments and trailing commas too, as wrangler reads both as JSONC.
                map = JsonMapper.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS,
                        JsonReadFeature.ALLOW_TRAILING_COMMA).build().readValue(text, Map.class);
            }
            if (map == null) {
                throw new IOException(fileName + " is empty: expected " + (fileName.endsWith(".toml")
                        ? "TOML" : "a JSON object"));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) map;
            return new JsonObject(typed);
        } catch (JacksonException e) {
            String what = fileName.endsWith(".toml") ? "valid TOML" : "a valid JSON object";
            var at = e.getLocation();
            String position = at == null || at.getLineNr() < 1 ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new IOException(fileName + " is not " + what + position + ": " + e.getOriginalMessage());
        }
    }

    private static void checkKeys(JsonObject section, String where, List<String> warnings) {
        for (String key : section.fieldNames()) {
            if (READ.contains(key) || key.equals("env") && !where.contains("env.")) {
                continue;
            }
            if (NOT_ACTED_ON.contains(key)) {
                warnings.add(where + ": \"" + key + "\" is not supported by isoworker and is ignored");
            } else {
                warnings.add(where + ": unknown key \"" + key + "\", ignored");
            }
        }
        if (section.getValue("triggers") instanceof JsonObject triggers) {
            for (String key : triggers.fieldNames()) {
                if (!key.equals("crons")) {
                    warnings.add(where + ": unknown key \"triggers." + key + "\", ignored");
                }
            }
        }
        if (section.getValue("limits") instanceof JsonObject limits) {
            for (String key : limits.fieldNames()) {
                if (!key.equals("cpu_ms")) {
                    warnings.add(where + ": \"limits." + key + "\" is not supported by isoworker and is ignored");
                }
            }
        }
    }

    private static String string(JsonObject o, String key, String where) throws IOException {
        Object v = o.getValue(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new IOException(where + ": " + key + " must be a string, not " + Json.encode(v));
    }

    private static Boolean bool(JsonObject o, String key, String where) throws IOException {
        Object v = o.getValue(key);
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        throw new IOException(where + ": " + key + " must be true or false, not " + Json.encode(v));
    }

    private static List<String> strings(JsonObject o, String key, String where) throws IOException {
        Object v = o.getValue(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof JsonArray array)) {
            throw new IOException(where + ": " + key + " must be an array of strings, not " + Json.encode(v));
        }
        List<String> out = new ArrayList<>();
        for (Object item : array) {
            if (!(item instanceof String s)) {
                throw new IOException(where + ": " + key + " must be an array of strings; found " + Json.encode(item));
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    private static List<Binding> vars(JsonObject o, String where) throws IOException {
        Object v = o.getValue("vars");
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof JsonObject vars)) {
            throw new IOException(where + ": vars must be a table of names and values, not " + Json.encode(v));
        }
        Map<String, Binding> out = new LinkedHashMap<>();
        for (String name : vars.fieldNames()) {
            Object value = vars.getValue(name);
            try {
                out.put(name, value instanceof String text ? new Binding.PlainText(name, text)
                        : new Binding.Json(name, Json.encode(value)));
            } catch (IllegalArgumentException e) {
                throw new IOException(where + ": vars." + name + ": " + e.getMessage());
            }
        }
        return List.copyOf(out.values());
    }

    private static List<Binding.KvNamespace> kv(JsonObject o, String where) throws IOException {
        Object kv = o.getValue("kv_namespaces");
        if (kv == null) {
            return List.of();
        }
        if (!(kv instanceof JsonArray array)) {
            throw new IOException(where + ": kv_namespaces must be an array of tables ([[kv_namespaces]])");
        }
        List<Binding.KvNamespace> out = new ArrayList<>();
        for (Object item : array) {
            if (!(item instanceof JsonObject entry) || !(entry.getValue("binding") instanceof String binding)) {
                throw new IOException(where + ": each kv_namespaces entry needs a binding name (binding = \"...\")");
            }
            Object id = entry.getValue("id");
            if (id != null && !(id instanceof String)) {
                throw new IOException(where + ": the id of KV binding " + binding + " must be a string");
            }
            try {
                out.add(new Binding.KvNamespace(binding, id == null ? binding : (String) id));
            } catch (IllegalArgumentException e) {
                throw new IOException(where + ": " + e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    private static List<String> crons(JsonObject o, String where) throws IOException {
        Object t = o.getValue("triggers");
        if (t == null) {
            return List.of();
        }
        if (!(t instanceof JsonObject triggers)) {
            throw new IOException(where + ": triggers must be a table ([triggers] crons = [...])");
        }
        List<String> crons = strings(triggers, "crons", where + " triggers");
        for (String cron : crons) {
            try {
                CronSchedule.parse(cron);
            } catch (IllegalArgumentException e) {
                throw new IOException(where + ": triggers.crons: " + e.getMessage());
            }
        }
        return crons;
    }

    private static long cpuMs(JsonObject o, String where) throws IOException {
        Object l = o.getValue("limits");
        if (l == null) {
            return 0;
        }
        if (!(l instanceof JsonObject limits)) {
            throw new IOException(where + ": limits must be a table ([limits] cpu_ms = 50)");
        }
        Object ms = limits.getValue("cpu_ms");
        if (ms == null) {
            return 0;
        }
        if (!(ms instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 1
                || n.longValue() > 300_000) {
            throw new IOException(where + ": limits.cpu_ms must be a whole number of milliseconds from 1 to 300000, "
                    + "not " + Json.encode(ms));
        }
        return n.longValue();
    }

    private static List<String> routes(JsonObject o, String where) throws IOException {
        List<String> out = new ArrayList<>();
        Object route = o.getValue("route");
        if (route != null) {
            out.add(routePattern(route, where + ": route"));
        }
        Object routes = o.getValue("routes");
        if (routes != null) {
            if (!(routes instanceof JsonArray array)) {
                throw new IOException(where + ": routes must be an array");
            }
            for (Object r : array) {
                out.add(routePattern(r, where + ": routes"));
            }
        }
        return List.copyOf(out);
    }

    private static String routePattern(Object r, String where) throws IOException {
        if (r instanceof String s) {
            return s;
        }
        if (r instanceof JsonObject obj && obj.getValue("pattern") instanceof String pattern) {
            return pattern;
        }
        throw new IOException(where + " must be a pattern string or a table with a pattern, not " + Json.encode(r));
    }
}
