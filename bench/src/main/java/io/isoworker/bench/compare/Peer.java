package io.isoworker.bench.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A runtime of the comparison: how to start it serving some workloads, which workloads it cannot serve, and how its
 * cold starts are measured. One runtime runs at a time; the processes it starts are stopped by
 * {@link Served#close} and by each {@link ColdStart} before the next sample.
 */
abstract class Peer {

    /** How long a started runtime has to answer. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    /** The runtime's name, as on the command line and in results.json. */
    abstract String name();

    /** Why this runtime does not serve {@code workload}, or {@code null} when it does. */
    String unsupported(Workload workload) {
        return null;
    }

    /** A short fact about how the runtime is run, shown with its load rows (may be empty). */
    String loadNote() {
        return "";
    }

    /**
     * True when each workload needs its own process (the runtime serves one module per process): the comparison
     * then starts one per workload, each stopped before the next.
     */
    boolean processPerWorkload() {
        return false;
    }

    /**
     * Starts the runtime serving {@code workloads} (all supported), waits until they answer, and puts what they need
     * (scripts, KV values) in place. The answers themselves are checked by the caller.
     */
    abstract Served serve(List<Workload> workloads, Workspace workspace) throws Exception;

    /** The process-start cold starts this runtime measures (the runtime's own extra kinds may follow). */
    abstract List<ColdStart> coldStarts(Workspace workspace);

    /** Waits for a started runtime to be ready; see {@link #whenReady}. */
    interface Readiness {
        void await() throws Exception;
    }

    /**
     * {@code process}, serving {@code targets}, once {@code ready} has returned; when it throws, the process is
     * stopped and the failure passed on.
     */
    static Served whenReady(Process process, Map<Workload, Target> targets, Readiness ready) throws Exception {
        try {
            ready.await();
        } catch (Exception | Error e) {
            ChildProcesses.stop(process);
            throw e;
        }
        return new Served(process, targets);
    }

    /** A running runtime: its process, and where each workload is served. */
    record Served(Process process, Map<Workload, Target> targets) implements AutoCloseable {

        Target target(Workload workload) {
            return targets.get(workload);
        }

        @Override
        public void close() {
            ChildProcesses.stop(process);
        }
    }

    /**
     * One kind of cold start: {@code what} as in results.json, and a measurement of one sample (in nanoseconds). A
     * ColdStart may hold a process across samples (a warmed server); {@link #close} stops it.
     */
    interface ColdStart extends AutoCloseable {
        String what();

        /** Anything to do once before the samples (e.g. upload a script to a data folder). */
        default void prepare() throws Exception {
        }

        long sampleNanos(int run) throws Exception;

        /** Further kinds measured along with this one's samples ({@code what} to nanoseconds per sample). */
        default Map<String, List<Long>> otherKinds() {
            return Map.of();
        }

        @Override
        default void close() {
        }
    }

    /**
     * A {@link ColdStart} that starts a process and times until its first 200 on {@code path} at {@code target}.
     */
    static ColdStart processStart(String what, ProcessStarter starter) {
        return new ColdStart() {
            @Override
            public String what() {
                return what;
            }

            @Override
            public long sampleNanos(int run) throws Exception {
                int port = freePort();
                long start = System.nanoTime();
                Process p = starter.start(port, run);
                try {
                    return FirstAnswerPoller.await(p, starter.target(port), "/", FirstAnswerPoller.Wanted.OK, start,
                            START_TIMEOUT, what);
                } finally {
                    ChildProcesses.stop(p);
                }
            }
        };
    }

    /** Starts one process serving the hello workload on a given port, for {@link #processStart}. */
    interface ProcessStarter {
        Process start(int port, int run) throws IOException;

        default Target target(int port) {
            return new Target(port, null);
        }
    }

    /** A free loopback TCP port (free when asked; the runtime binds it a moment later). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
