package io.isoworker.runtime.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Bundles a project with {@link Esbuild} when it needs it, as wrangler does for {@code wrangler dev} and
 * {@code deploy}: one ES module with everything it imports, plus its source map.
 *
 * <p>A project needs bundling ({@link #reason}) when its entry point is TypeScript or JSX ({@code .ts}, {@code .tsx},
 * {@code .mts}, {@code .cts}, {@code .jsx}), when the JavaScript modules reachable from its entry point import a
 * package ({@code import { Hono } from 'hono'}: a bare specifier, resolved in {@code node_modules}), or when its
 * wrangler configuration says {@code no_bundle = false}. {@code no_bundle = true} turns it off. Plain JavaScript
 * modules with relative imports are served as they are, with no Node.js at all.
 *
 * <p>esbuild runs as wrangler runs it: {@code --bundle --format=esm --platform=neutral --target=es2022}, the
 * {@code workerd}, {@code worker} and {@code browser} export conditions, the {@code browser}, {@code module} and
 * {@code main} package fields, {@code --keep-names}, {@code process.env.NODE_ENV} defined, {@code cloudflare:*} imports
 * left to the runtime, and text files ({@code .txt}, {@code .html}, {@code .md}, {@code .css}) and {@code .bin} data
 * inlined. The output, {@code NAME.js} for an entry point {@code src/NAME.ts}, and its map go to
 * {@code PROJECT/.isoworker/bundle/}; the map's {@code sources} are rewritten relative to the project folder
 * ({@code src/index.ts}).
 */
public final class Bundler {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern COMPILED = Pattern.compile("(?i).*\\.(ts|tsx|mts|cts|jsx)$");

    private static final Pattern BLOCK_COMMENT = Pattern.compile("(?s)/\\*.*?\\*/");
    private static final Pattern LINE_COMMENT = Pattern.compile("(?m)^\\s*//.*$");
    /** Static and dynamic imports, re-exports and {@code require}: the specifier is group 1. */
    private static final Pattern SPECIFIER = Pattern.compile(
            "(?:\\bimport\\s*(?:[\\w$*{}\\s,]+?\\s*from\\s*)?"
                    + "|\\bexport\\s*(?:\\*(?:\\s*as\\s+[\\w$]+)?|\\{[^}]*})\\s*from\\s*"
                    + "|\\bimport\\s*\\(\\s*|\\brequire\\s*\\(\\s*)[\"']([^\"'\\n]+)[\"']");

    /** How the bundle is meant to run: {@code process.env.NODE_ENV} is {@code development} or {@code production}. */
    public enum Mode {
        DEVELOPMENT, PRODUCTION
    }

    /**
     * A bundled project.
     *
     * @param entry      the entry point it was bundled from, relative to the project folder ({@code src/index.ts})
     * @param mainModule the bundle's module name ({@code index.js})
     * @param code       the bundle
     * @param sourceMap  its source map (JSON), with sources relative to the project folder
     * @param warnings   what esbuild warned about, as it printed it (empty when nothing)
     * @param millis     how long bundling took
     */
    public record Bundle(String entry, String mainModule, byte[] code, byte[] sourceMap, String warnings,
            long millis) {
    }

    private Bundler() {
    }

    /** True for an entry point that must be compiled: TypeScript or JSX. */
    public static boolean compiled(String fileName) {
        return COMPILED.matcher(fileName).matches();
    }

    /**
     * Why the project in {@code dir} with entry point {@code main} (relative to {@code dir}) needs bundling, for the
     * user to read; null when it does not.
     *
     * @param noBundle the configuration's {@code no_bundle}, or null when it has none
     * @throws IOException {@code no_bundle = true} for a TypeScript or JSX entry point
     */
    public static String reason(Path dir, String main, Boolean noBundle) throws IOException {
        if (Boolean.TRUE.equals(noBundle)) {
            if (compiled(main)) {
                throw new IOException("the entry point " + main + " is TypeScript or JSX, which must be bundled, but "
                        + "the configuration says no_bundle = true");
            }
            return null;
        }
        if (compiled(main)) {
            return "the entry point " + main + " is " + (main.toLowerCase(Locale.ROOT).endsWith(".jsx")
                    ? "JSX" : "TypeScript");
        }
        if (Boolean.FALSE.equals(noBundle)) {
            return "the configuration says no_bundle = false";
        }
        String[] bare = firstPackageImport(dir, main);
        return bare == null ? null : bare[0] + " imports the package '" + bare[1] + "'";
    }

    /**
     * The first module reachable from {@code main} through relative imports that imports a package (a bare
     * specifier: not relative, not absolute, no scheme such as {@code node:} or {@code cloudflare:}), as
     * {@code {module, specifier}}; null when none does. Comments are skipped; strings that merely look like imports
     * are not told apart (they make a project bundle needlessly, never the other way round).
     */
    static String[] firstPackageImport(Path dir, String main) throws IOException {
        Deque<String> todo = new ArrayDeque<>(List.of(main));
        Set<String> seen = new HashSet<>(todo);
        while (!todo.isEmpty()) {
            String module = todo.removeFirst();
            Path file = dir.resolve(module);
            String lower = module.toLowerCase(Locale.ROOT);
            if (!Files.isRegularFile(file) || !(lower.endsWith(".js") || lower.endsWith(".mjs")
                    || lower.endsWith(".cjs"))) {
                continue;
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            text = LINE_COMMENT.matcher(BLOCK_COMMENT.matcher(text).replaceAll(" ")).replaceAll("");
            Matcher m = SPECIFIER.matcher(text);
            while (m.find()) {
                String spec = m.group(1);
                if (spec.startsWith("./") || spec.startsWith("../")) {
                    Path target = file.getParent().resolve(spec).normalize();
                    if (target.startsWith(dir)) {
                        String rel = dir.relativize(target).toString().replace('\\', '/');
                        if (seen.add(rel)) {
                            todo.add(rel);
                        }
                    }
                } else if (!spec.startsWith("/") && !spec.contains(":") && !spec.isBlank()) {
                    return new String[] {module, spec};
                }
            }
        }
        return null;
    }

    /**
     * Bundles the project in {@code dir} from entry point {@code main} (relative to {@code dir}) into
     * {@code outDir}.
     *
     * @param why why it is bundled ({@link #reason}), for the message when Node.js is missing
     * @throws BundleException esbuild's errors (with their file, line and column), or esbuild could not be had
     */
    public static Bundle bundle(Path dir, String main, Path outDir, Mode mode, String why) throws BundleException {
        Path esbuild = Esbuild.executable(why);
        long start = System.nanoTime();
        String base = Path.of(main).getFileName().toString();
        int dot = base.lastIndexOf('.');
        String name = (dot > 0 ? base.substring(0, dot) : base) + ".js";
        Path outFile = outDir.resolve(name);
        Path mapFile = outDir.resolve(name + ".map");
        try {
            Files.createDirectories(outDir);
            Files.deleteIfExists(outFile);
            Files.deleteIfExists(mapFile);
        } catch (IOException e) {
            throw new BundleException("cannot prepare " + outDir + " for the bundle: " + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>(List.of(esbuild.toString(), main, "--bundle", "--format=esm",
                "--platform=neutral", "--target=es2022", "--conditions=workerd,worker,browser",
                "--main-fields=browser,module,main", "--resolve-extensions=.tsx,.ts,.mts,.cts,.jsx,.js,.mjs,.cjs,.json",
                "--keep-names", "--sourcemap=external", "--sources-content=false", "--external:cloudflare:*",
                "--loader:.txt=text", "--loader:.html=text", "--loader:.md=text", "--loader:.css=text",
                "--loader:.bin=binary", "--define:process.env.NODE_ENV=\"" + mode.name().toLowerCase(Locale.ROOT)
                        + "\"", "--log-level=warning", "--color=false", "--outfile=" + outFile));
        Esbuild.Run run = Esbuild.run(cmd, dir, TIMEOUT);
        String output = run.output().strip();
        if (run.exitCode() != 0 || !Files.isRegularFile(outFile)) {
            throw new BundleException("esbuild " + Esbuild.VERSION + " could not bundle " + main + ":\n"
                    + (output.isEmpty() ? "(it printed nothing; exit code " + run.exitCode() + ")" : output)
                    + missingPackageHint(dir, output));
        }
        try {
            byte[] code = Files.readAllBytes(outFile);
            byte[] map = Files.isRegularFile(mapFile) ? projectRelative(Files.readString(mapFile), outDir, dir)
                    : null;
            return new Bundle(main, name, code, map, output, (System.nanoTime() - start) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            throw new BundleException("cannot read esbuild's output in " + outDir + ": " + e.getMessage(), e);
        }
    }

    /** A hint when esbuild could not resolve a package and the project has no {@code node_modules}. */
    private static String missingPackageHint(Path dir, String output) {
        if (output.contains("Could not resolve") && !Files.isDirectory(dir.resolve("node_modules"))) {
            return "\n(" + dir + " has no node_modules: run `npm install` there first)";
        }
        return "";
    }

    /** The map with its {@code sources} relative to the project folder instead of the output folder. */
    private static byte[] projectRelative(String mapJson, Path outDir, Path dir) {
        JsonObject map = new JsonObject(mapJson);
        String root = map.getString("sourceRoot", "");
        JsonArray sources = map.getJsonArray("sources", new JsonArray());
        JsonArray rewritten = new JsonArray();
        Path absDir = dir.toAbsolutePath().normalize();
        for (Object o : sources) {
            if (!(o instanceof String s) || s.contains("://")) {
                rewritten.add(o);
                continue;
            }
            Path abs = outDir.toAbsolutePath().resolve(root).resolve(s).normalize();
            rewritten.add(abs.startsWith(absDir) ? absDir.relativize(abs).toString().replace('\\', '/')
                    : abs.toString().replace('\\', '/'));
        }
        map.put("sources", rewritten);
        map.remove("sourceRoot");
        return map.encode().getBytes(StandardCharsets.UTF_8);
    }
}
