package io.isoworker.runtime.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The esbuild that bundles projects: version {@value #VERSION}, from the npm registry, installed on first use into
 * {@code CACHE/esbuild-VERSION} ({@code CACHE} is {@code $ISOWORKER_CACHE}, else {@code $XDG_CACHE_HOME/isoworker},
 * else {@code ~/.cache/isoworker}: the cache {@code bench/compare} uses) with {@code npm install}. It runs esbuild's native
 * binary (from the {@code @esbuild/PLATFORM} package), so bundling itself starts no Node.js. {@code $ISOWORKER_ESBUILD}
 * names an esbuild executable to use instead (nothing is installed then).
 */
public final class Esbuild {

    private static final Logger LOG = LoggerFactory.getLogger(Esbuild.class);

    /** The pinned esbuild version. */
    public static final String VERSION = "0.28.2";

    static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

    private static final Object INSTALL_LOCK = new Object();

    private Esbuild() {
    }

    /** Where isoworker caches what it downloads. */
    public static Path cacheRoot() {
        return cacheRoot(System.getenv());
    }

    static Path cacheRoot(Map<String, String> env) {
        String own = env.get("ISOWORKER_CACHE");
        if (own != null && !own.isBlank()) {
            return Path.of(own).toAbsolutePath();
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "isoworker").toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "isoworker");
    }

    /** The folder the pinned esbuild is installed into. */
    public static Path installDirectory() {
        return cacheRoot().resolve("esbuild-" + VERSION);
    }

    /**
     * The esbuild executable, installed first if it is not there yet.
     *
     * @param why what needs bundling, for the message when Node.js or npm is missing
     */
    static Path executable(String why) throws BundleException {
        String given = System.getenv("ISOWORKER_ESBUILD");
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given);
            if (!Files.isExecutable(p)) {
                throw new BundleException("ISOWORKER_ESBUILD=" + given + " is not an executable file");
            }
            return p;
        }
        Path dir = installDirectory();
        synchronized (INSTALL_LOCK) {
            Optional<Path> installed = installed(dir);
            if (installed.isPresent()) {
                return installed.get();
            }
            install(dir, why);
            return installed(dir).orElseThrow(() -> new BundleException("npm installed esbuild@" + VERSION + " into "
                    + dir + ", but there is no esbuild executable for this platform (" + platform() + ") in it"));
        }
    }

    /** The native binary of an install of the pinned version, else its launcher; empty when not installed. */
    private static Optional<Path> installed(Path dir) {
        Path pkg = dir.resolve("node_modules/esbuild/package.json");
        try {
            if (!Files.isRegularFile(pkg)
                    || !VERSION.equals(new io.vertx.core.json.JsonObject(Files.readString(pkg)).getString("version"))) {
                return Optional.empty();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        Path scope = dir.resolve("node_modules/@esbuild");
        if (Files.isDirectory(scope)) {
            try (DirectoryStream<Path> platforms = Files.newDirectoryStream(scope)) {
                for (Path p : platforms) {
                    for (Path candidate : List.of(p.resolve("bin/esbuild"), p.resolve("esbuild.exe"))) {
                        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                            return Optional.of(candidate);
                        }
                    }
                }
            } catch (IOException e) {
                // fall back to the launcher
            }
        }
        Path launcher = dir.resolve("node_modules/.bin/esbuild");
        return Files.isExecutable(launcher) ? Optional.of(launcher) : Optional.empty();
    }

    /**
     * {@code npm install esbuild@VERSION} into a fresh folder beside {@code dir}, renamed to {@code dir} once complete,
     * so that an interrupted install, or two processes installing at once, never leave a half-installed esbuild.
     */
    private static void install(Path dir, String why) throws BundleException {
        Path npm = onPath(windows() ? List.of("npm.cmd", "npm.exe", "npm") : List.of("npm")).orElseThrow(() ->
                new BundleException(missingNode(why, "npm")));
        if (onPath(windows() ? List.of("node.exe", "node") : List.of("node")).isEmpty()) {
            throw new BundleException(missingNode(why, "node"));
        }
        Path tmp = dir.resolveSibling(".esbuild-" + VERSION + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
            LOG.info("installing esbuild@{} from the npm registry into {} (once)", VERSION, dir);
            List<String> cmd = List.of(npm.toString(), "install", "--no-audit", "--no-fund", "--save-exact",
                    "--loglevel=error", "--prefix", tmp.toString(), "esbuild@" + VERSION);
            Run run = run(cmd, tmp, INSTALL_TIMEOUT);
            if (run.exitCode() != 0) {
                throw new BundleException("npm could not install esbuild@" + VERSION + " (needed because " + why
                        + "; `" + String.join(" ", cmd) + "` exited with " + run.exitCode() + "):\n"
                        + run.output().strip());
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // another process installed it meanwhile: use that; else a broken earlier install is in the way
                if (installed(dir).isEmpty()) {
                    deleteTree(dir);
                    Files.move(tmp, dir);
                }
            }
        } catch (IOException e) {
            if (e instanceof BundleException b) {
                throw b;
            }
            throw new BundleException("could not install esbuild@" + VERSION + " into " + dir + ": " + e, e);
        } finally {
            try {
                deleteTree(tmp);
            } catch (IOException e) {
                LOG.warn("could not remove {}: {}", tmp, e.toString());
            }
        }
    }

    static String missingNode(String why, String tool) {
        return why + ", so the project must be bundled, with esbuild (installed from the npm registry on first use), "
                + "and `" + tool + "` is not on the PATH: install Node.js 18+ and npm (https://nodejs.org/), or write "
                + "the worker in plain JavaScript modules without package imports, which need no Node.js";
    }

    /** What a process printed (standard output and error together) and its exit code. */
    record Run(int exitCode, String output) {
    }

    /** Runs {@code cmd} in {@code dir}, killing it after {@code timeout}. */
    static Run run(List<String> cmd, Path dir, Duration timeout) throws BundleException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(devNull())).start();
        } catch (IOException e) {
            throw new BundleException("could not run " + cmd.get(0) + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = p.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e + ")";
            }
        }, r -> Thread.ofVirtual().start(r));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new BundleException(Path.of(cmd.get(0)).getFileName() + " did not finish within "
                        + timeout.toSeconds() + " s and was stopped: " + String.join(" ", cmd));
            }
            return new Run(p.exitValue(), output.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BundleException("interrupted while running " + cmd.get(0), e);
        } catch (ExecutionException | TimeoutException e) {
            return new Run(p.exitValue(), "(output unreadable: " + e + ")");
        }
    }

    private static java.io.File devNull() {
        return new java.io.File(windows() ? "NUL" : "/dev/null");
    }

    /** The first of {@code names} found in a folder of the {@code PATH}. */
    static Optional<Path> onPath(List<String> names) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            for (String name : names) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean windows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    private static String platform() {
        return System.getProperty("os.name") + "/" + System.getProperty("os.arch");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(walk.toList());
            all.sort(Comparator.reverseOrder());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }
}
