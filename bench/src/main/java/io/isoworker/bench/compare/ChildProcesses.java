package io.isoworker.bench.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The processes the comparison starts (runtimes, wrk): each one's output goes to a log file, and every one still
 * running when the JVM exits (normally, on an exception, on Ctrl-C) is killed by a shutdown hook, with its children.
 */
final class ChildProcesses {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ChildProcesses::kill),
                "compare-kill-children"));
    }

    private ChildProcesses() {
    }

    /** Starts {@code command} with its stdout and stderr appended to {@code log}. */
    static Process start(List<String> command, Path log) throws IOException {
        return start(new ProcessBuilder(command), log);
    }

    /** Starts {@code builder} with its stdout and stderr appended to {@code log}. */
    static Process start(ProcessBuilder builder, Path log) throws IOException {
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = builder.start();
        RUNNING.add(p);
        return p;
    }

    /** Stops {@code p}: SIGTERM, 10 s to exit, then SIGKILL; its children too. Waits until it is gone. */
    static void stop(Process p) {
        if (p == null) {
            return;
        }
        try {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                kill(p);
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
        } finally {
            RUNNING.remove(p);
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
