package io.isoworker.runtime.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import io.isoworker.api.Binding;
import io.isoworker.api.ModuleType;
import io.isoworker.api.WorkerModule;
import io.isoworker.runtime.bundle.Bundler;
import io.isoworker.runtime.scripts.ScriptNames;
import io.isoworker.runtime.scripts.ScriptVersion;

/**
 * Reads a worker for {@code isoworker dev}: a single file, or a project folder. A folder's entry point is its wrangler
 * configuration's {@code main} when it sets one, else the first of {@link #ENTRY_POINTS} that exists; its modules are
 * every module file below it (not {@code node_modules} or hidden folders). The configuration ({@link WranglerConfig},
 * read from the folder, or from the file's folder) gives the name, bindings and compatibility date, and
 * {@code .dev.vars} ({@link DevVars}) the secrets.
 *
 * <p>A project whose entry point is TypeScript or JSX, or whose JavaScript imports npm packages, is bundled with
 * esbuild ({@link Bundler}) into one module with a source map, in {@code .isoworker/bundle/}; the version then has the
 * bundle as its only module. Plain JavaScript is read as it is.
 */
final class DevProject {

    static final List<String> ENTRY_POINTS = List.of("index.js", "index.mjs", "src/index.js", "src/index.mjs",
            "worker.js", "src/worker.js", "index.ts", "src/index.ts", "worker.ts", "src/worker.ts");

    /** Files that do not become modules, but a change to which can change a bundle. */
    private static final List<String> BUILD_FILES = List.of("package.json", "package-lock.json", "tsconfig.json");

    private static final long MAX_FILE = 10L * 1024 * 1024;

    /**
     * A project as read.
     *
     * @param script       the version to serve
     * @param config       the wrangler configuration (with its warnings)
     * @param bundle       the esbuild bundle the version was made of, or null when the project was read as it is
     * @param bundleReason why it was bundled, or null
     */
    record Loaded(ScriptVersion script, WranglerConfig config, Bundler.Bundle bundle, String bundleReason) {

        /** What to tell the user about the bundle (null when there is none): from what, how fast, and why. */
        String bundleSummary() {
            return bundle == null ? null : "bundled " + bundle.entry() + " into " + bundle.mainModule()
                    + " with esbuild " + io.isoworker.runtime.bundle.Esbuild.VERSION + " in " + bundle.millis()
                    + " ms (" + bundleReason + ")";
        }
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
            Loaded bundled = bundled(scriptName, dir, config, env, main, withDevVars);
            if (bundled != null) {
                return bundled;
            }
            WorkerModule m = module(abs, main, true);
            return new Loaded(version(scriptName, dir, config, env, main, List.of(m), Map.of(), withDevVars), config,
                    null, null);
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
        Loaded bundled = bundled(scriptName, abs, config, env, main, withDevVars);
        if (bundled != null) {
            return bundled;
        }
        List<WorkerModule> modules = new ArrayList<>();
        for (Path f : moduleFiles(abs)) {
            String rel = abs.relativize(f).toString().replace('\\', '/');
            if (ScriptNames.moduleNameProblem(rel) != null && !rel.equals(main)) {
                continue;
            }
            modules.add(module(f, rel, rel.equals(main)));
        }
        return new Loaded(version(scriptName, abs, config, env, main, modules, Map.of(), withDevVars), config, null,
                null);
    }

    /**
     * The project bundled with esbuild when it needs that ({@link Bundler#reason}), else null: one module, the bundle,
     * with its source map. {@code dev} bundles for development, {@code deploy} for production
     * ({@code process.env.NODE_ENV}).
     */
    private static Loaded bundled(String scriptName, Path dir, WranglerConfig config, String env, String main,
            boolean withDevVars) throws IOException {
        String reason = Bundler.reason(dir, main, config.noBundle());
        if (reason == null) {
            return null;
        }
        Bundler.Bundle bundle = Bundler.bundle(dir, main, dir.resolve(".isoworker").resolve("bundle"),
                withDevVars ? Bundler.Mode.DEVELOPMENT : Bundler.Mode.PRODUCTION, reason);
        String text = new String(bundle.code(), StandardCharsets.UTF_8);
        WorkerModule module = new WorkerModule(bundle.mainModule(), ModuleType.ofScriptSource(text), bundle.code());
        Map<String, byte[]> maps = bundle.sourceMap() == null ? Map.of() : Map.of(bundle.mainModule(),
                bundle.sourceMap());
        return new Loaded(version(scriptName, dir, config, env, bundle.mainModule(), List.of(module), maps,
                withDevVars), config, bundle, reason);
    }

    /** The files {@code load} reads from a project folder, sorted. */
    static List<Path> moduleFiles(Path dir) throws IOException {
        return projectFiles(dir, DevProject::moduleFile);
    }

    /**
     * What a change to means a reload: the module files, the TypeScript and JSX sources, and the files that steer a
     * bundle ({@code package.json}, its lock file, {@code tsconfig.json}), sorted. Packages in {@code node_modules}
     * are not watched (a new {@code npm install} changes {@code package.json} or its lock file).
     */
    static List<Path> watchedFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>(projectFiles(dir, rel -> moduleFile(rel) || Bundler.compiled(rel)));
        for (String f : BUILD_FILES) {
            if (Files.isRegularFile(dir.resolve(f)) && !files.contains(dir.resolve(f))) {
                files.add(dir.resolve(f));
            }
        }
        return files.stream().sorted().toList();
    }

    /**
     * The regular files below {@code dir} whose relative path passes {@code wanted}, sorted; {@code node_modules} and
     * hidden folders are not entered.
     */
    private static List<Path> projectFiles(Path dir, Predicate<String> wanted) throws IOException {
        List<Path> out = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                if (d.equals(dir)) {
                    return FileVisitResult.CONTINUE;
                }
                String name = d.getFileName().toString();
                return name.equals("node_modules") || name.startsWith(".") ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                String rel = dir.relativize(f).toString().replace('\\', '/');
                if (Files.isRegularFile(f) && !hidden(rel) && wanted.test(rel)) {
                    out.add(f);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // deleted while listed
                }
                throw e;
            }
        });
        out.sort(null);
        return out;
    }

    private static ScriptVersion version(String scriptName, Path dir, WranglerConfig config, String env, String main,
            List<WorkerModule> modules, Map<String, byte[]> sourceMaps, boolean withDevVars) throws IOException {
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
        return ScriptVersion.create(name, main, modules, List.copyOf(bindings.values()), config.compatibilityDate(), 0,
                sourceMaps);
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
