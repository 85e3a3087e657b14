package io.isoworker.runtime.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import io.isoworker.api.ModuleType;
import io.isoworker.api.WorkerModule;
import io.isoworker.runtime.scripts.ScriptNames;
import io.isoworker.runtime.scripts.ScriptVersion;

/**
 * Reads a worker for {@code isoworker dev}: a single file, or a folder whose entry point is the first of
 * {@link #ENTRY_POINTS} that exists, with every module file below it (not {@code node_modules} or hidden folders).
 */
final class DevProject {

    static final List<String> ENTRY_POINTS = List.of("index.js", "index.mjs", "src/index.js", "src/index.mjs",
            "worker.js", "src/worker.js");

    private static final long MAX_FILE = 10L * 1024 * 1024;

    private DevProject() {
    }

    static ScriptVersion load(Path path) throws IOException {
        Path abs = path.toAbsolutePath().normalize();
        if (Files.isRegularFile(abs)) {
            String main = abs.getFileName().toString();
            WorkerModule m = module(abs, main, true);
            return ScriptVersion.create(scriptName(abs.getParent()), main, List.of(m),
                    WranglerConfig.read(abs.getParent()).bindings(), null);
        }
        if (!Files.isDirectory(abs)) {
            throw new IOException("no such file or folder: " + path);
        }
        String main = null;
        for (String candidate : ENTRY_POINTS) {
            if (Files.isRegularFile(abs.resolve(candidate))) {
                main = candidate;
                break;
            }
        }
        if (main == null) {
            throw new IOException("no entry point in " + path + ": expected one of " + String.join(", ", ENTRY_POINTS));
        }
        List<WorkerModule> modules = new ArrayList<>();
        try (Stream<Path> files = Files.walk(abs)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String rel = abs.relativize(f).toString().replace('\\', '/');
                if (rel.startsWith("node_modules/") || rel.contains("/node_modules/") || hidden(rel)
                        || !moduleFile(rel) || ScriptNames.moduleNameProblem(rel) != null) {
                    continue;
                }
                modules.add(module(f, rel, rel.equals(main)));
            }
        }
        return ScriptVersion.create(scriptName(abs), main, modules, WranglerConfig.read(abs).bindings(), null);
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
