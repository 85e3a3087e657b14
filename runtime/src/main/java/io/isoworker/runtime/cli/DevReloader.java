package io.isoworker.runtime.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.isolate.ScriptLoadException;
import io.isoworker.runtime.IsoworkerServer;

/**
 * Watches a dev project and reloads the worker when one of its files changes: the module files {@link DevProject}
 * reads (with the TypeScript and JSX sources and {@code package.json} of a bundled project), the wrangler
 * configuration and {@code .dev.vars}. It polls the files' sizes and modification times every
 * {@value #POLL_MILLIS} ms (a poll of a project's few files costs microseconds, sees editors that replace a file
 * rather than write it, and needs no recursive registration of new folders), waits until they have stayed the same for
 * one more poll, then loads (and bundles, if the project needs it) the new version beside the old one and switches to
 * it. A version that does not bundle or load is reported, with esbuild's errors or the file and line, and the previous
 * one keeps serving. KV data lives in the server's store and is not touched.
 */
final class DevReloader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DevReloader.class);

    static final long POLL_MILLIS = 100;

    private final Path path;
    private final String env;
    private final String scriptName;
    private final IsoworkerServer server;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Thread thread;
    private volatile boolean closed;

    private DevReloader(Path path, String env, String scriptName, IsoworkerServer server, PrintWriter out,
            PrintWriter err) {
        this.path = path.toAbsolutePath().normalize();
        this.env = env;
        this.scriptName = scriptName;
        this.server = server;
        this.out = out;
        this.err = err;
        this.thread = Thread.ofPlatform().daemon().name("isoworker-dev-reload").unstarted(this::run);
    }

    static DevReloader start(Path path, String env, String scriptName, IsoworkerServer server, PrintWriter out,
            PrintWriter err) {
        DevReloader r = new DevReloader(path, env, scriptName, server, out, err);
        r.thread.start();
        return r;
    }

    private void run() {
        List<String> seen = fingerprint();
        while (!closed) {
            try {
                Thread.sleep(POLL_MILLIS);
                List<String> now = fingerprint();
                if (now.equals(seen)) {
                    continue;
                }
                // Let a save that writes several files, or one file in several writes, finish.
                List<String> settled;
                do {
                    settled = now;
                    Thread.sleep(POLL_MILLIS / 2);
                    now = fingerprint();
                } while (!now.equals(settled) && !closed);
                seen = now;
                reload();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("dev reload of {} failed", path, e);
            }
        }
    }

    private void reload() {
        long start = System.nanoTime();
        try {
            DevProject.Loaded next = DevProject.load(path, env, scriptName);
            for (String warning : next.config().warnings()) {
                err.println("isoworker dev: warning: " + warning);
            }
            if (next.bundle() != null && !next.bundle().warnings().isEmpty()) {
                err.println("isoworker dev: esbuild warned:\n" + next.bundle().warnings());
            }
            server.replaceDevScript(next.script(), next.config().cronSchedules());
            out.printf("isoworker dev: reloaded %s in %d ms%n", next.script().mainModule(),
                    (System.nanoTime() - start) / 1_000_000);
        } catch (ScriptLoadException e) {
            err.println("isoworker dev: the change does not load, still serving the previous version: "
                    + (e.module() == null ? "" : e.module() + (e.line() > 0 ? ":" + e.line() : "") + ": ")
                    + e.getMessage());
        } catch (Exception e) {
            err.println("isoworker dev: the change does not load, still serving the previous version: "
                    + e.getMessage());
        }
        out.flush();
        err.flush();
    }

    /** Each watched file's path, size and modification time, in order. */
    private List<String> fingerprint() {
        List<String> out = new ArrayList<>();
        try {
            Path dir = Files.isDirectory(path) ? path : path.getParent();
            List<Path> files = new ArrayList<>(Files.isDirectory(path) ? DevProject.watchedFiles(path)
                    : List.of(path));
            for (String config : WranglerConfig.FILE_NAMES) {
                files.add(dir.resolve(config));
            }
            files.add(dir.resolve(".dev.vars"));
            if (env != null) {
                files.add(dir.resolve(".dev.vars." + env));
            }
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    out.add(f + "\u0000" + Files.size(f) + "\u0000" + Files.getLastModifiedTime(f).toInstant());
                }
            }
        } catch (IOException e) {
            // a file vanished while listed: the next poll sees the folder as it is then
            out.add("unreadable: " + e);
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
