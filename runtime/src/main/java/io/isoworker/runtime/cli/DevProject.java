package io.isoworker.runtime.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import io.isoworker.api.Binding;
import io.isoworker.api.ModuleType;
import io.isoworker.api.WorkerModule;
import io.isoworker.runtime.scripts.ScriptNames;
import io.isoworker.runtime.scripts.ScriptVersion;

/**
 * Reads a worker for {@code isoworker dev}: a single file, or a project folder. A folder's entry point is its wrangler
 * configuration's {@code main} when it sets one, else the first of {@link #ENTRY_POINTS} that exists; its modules are
 * every module file below it (not {@code node_modules} or hidden folders). The configuration ({@link WranglerConfig},
 * read from the folder, or from the file's folder) gives the name, bindings and compatibility date, and
 * {@code .dev.vars} ({@link DevVars}) the secrets.
 */
final class DevProject {

    static final List<String> ENTRY_POINTS = List.of("index.js", "index.mjs", "src/index.js", "src/index.mjs",
            "worker.js", "src/worker.js");

    private static final long MAX_FILE = 10L * 1024 * 1024;

    /**
     * A project as read.
     *
     * @param script the version to serve
     * @param config the wrangler configuration (with its warnings)
     */
    record Loaded(ScriptVersion script, WranglerConfig config) {
    }

    private DevProject() {
    }

    /** Reads the project at {@code path} with environment {@code env} (null: the top level). */
    static Loaded load(Path path, String env) throws IOException {
        return load(path, env, null);
    }

    /**
     * Reads the project at {@code path}, with environment {@code env} (null: the top level), as script
     * {@code scriptName} (null: the configuration's name, else the folder's).
     */
    static Loaded load(Path path, String env, String scriptName) throws IOException {
        return load(path, env, scriptName, true);
    }

    /**
     * Reads the project at {@code path}, with environment {@code env} (null: the top level), as script
     * {@code scriptName} (null: the configuration's name, else the folder's), with the secrets of {@code .dev.vars}
     * when {@code withDevVars} ({@code dev}) or without ({@code deploy}).
     */
    static Loaded load(Path path, String env, String scriptName, boolean withDevVars) throws IOException {
        Path abs = path.toAbsolutePath().normalize();
        if (Files.isRegularFile(abs)) {
            Path dir = abs.getParent();
            WranglerConfig config = WranglerConfig.read(dir, env);
            String main = abs.getFileName().toString();
            WorkerModule m = module(abs, main, true);
            return new Loaded(version(scriptName, dir, config, env, main, List.of(m), withDevVars), config);
        }
        if (!Files.isDirectory(abs)) {
            throw new IOException("no such file or folder: " + path);
        }
        WranglerConfig config = WranglerConfig.read(abs, env);
        String main = null;
        if (config.main() != null) {
            main = Path.of(config.main()).normalize().toString().replace('\\', '/');
            if (main.startsWith("./")) {
                main = main.substring(2);
            }
            if (!Files.isRegularFile(abs.resolve(main))) {
                throw new IOException(config.file().getFileName() + ": main = \"" + config.main()
                        + "\", but there is no such file in " + path);
            }
        } else {
            for (String candidate : ENTRY_POINTS) {
                if (Files.isRegularFile(abs.resolve(candidate))) {
                    main = candidate;
                    break;
                }
            }
        }
        if (main == null) {
            throw new IOException("no entry point in " + path + ": set main in wrangler.toml, or add one of "
                    + String.join(", ", ENTRY_POINTS));
        }
        List<WorkerModule> modules = new ArrayList<>();
        for (Path f : moduleFiles(abs)) {
            String rel = abs.relativize(f).toString().replace('\\', '/');
            if (ScriptNames.moduleNameProblem(rel) != null && !rel.equals(main)) {
                continue;
            }
            modules.add(module(f, rel, rel.equals(main)));
        }
        return new Loaded(version(scriptName, abs, config, env, main, modules, withDevVars), config);
    }

    /** The files {@code load} reads from a project folder, sorted: what a change to means a reload. */
    static List<Path> moduleFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                String rel = dir.relativize(f).toString().replace('\\', '/');
                return !rel.startsWith("node_modules/") && !rel.contains("/node_modules/") && !hidden(rel)
                        && moduleFile(rel);
            }).sorted().toList();
        }
    }

    private static ScriptVersion version(String scriptName, Path dir, WranglerConfig config, String env, String main,
            List<WorkerModule> modules, boolean withDevVars) throws IOException {
        String name = scriptName != null ? scriptName
                : config.name() != null && ScriptNames.validScriptName(config.name()) ? config.name()
                : scriptName(dir);
        Map<String, Binding> bindings = new LinkedHashMap<>();
        for (Binding b : config.bindings()) {
            bindings.put(b.name(), b);
        }
        for (Binding b : withDevVars ? DevVars.read(dir, env) : List.<Binding>of()) {
            bindings.put(b.name(), b);
        }
        return ScriptVersion.create(name, main, modules, List.copyOf(bindings.values()), config.compatibilityDate());
    }

    /** Where {@code dev} keeps a project's local state (KV namespaces): {@code .isoworker/} in the project folder. */
    static Path stateDirectory(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        return (Files.isRegularFile(abs) ? abs.getParent() : abs).resolve(".isoworker");
    }

    private static boolean hidden(String rel) {
        for (String segment : rel.split("/")) {
            if (segment.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean moduleFile(String rel) {
        String lower = rel.toLowerCase(Locale.ROOT);
        return lower.endsWith(".js") || lower.endsWith(".mjs") || lower.endsWith(".cjs") || lower.endsWith(".json")
                || lower.endsWith(".txt") || lower.endsWith(".html") || lower.endsWith(".wasm") || lower.endsWith(".bin");
    }

    private static WorkerModule module(Path file, String name, boolean main) throws IOException {
        if (Files.size(file) > MAX_FILE) {
            throw new IOException(file + " is larger than " + MAX_FILE + " bytes");
        }
        byte[] bytes = Files.readAllBytes(file);
        ModuleType type = ModuleType.ofFileName(name);
        if (main) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            type = name.endsWith(".mjs") ? ModuleType.ES_MODULE : ModuleType.ofScriptSource(text);
        }
        return new WorkerModule(name, type, bytes);
    }

    /** A valid script name from a folder name ("dev" when nothing usable is left). */
    static String scriptName(Path dir) {
        String raw = dir == null || dir.getFileName() == null ? "" : dir.getFileName().toString();
        String name = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+", "");
        if (name.length() > 63) {
            name = name.substring(0, 63);
        }
        return ScriptNames.validScriptName(name) ? name : "dev";
    }
}
