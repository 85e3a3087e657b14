package io.isoworker.bench;

import java.io.IOException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * The server set-up that {@link ColdStartBenchmark} and {@link DeployBenchmark} share: an in-process server with or
 * without the pre-warmed pool, one keep-alive traffic connection, a warm "flush" script on it, and the check that a
 * measured operation made exactly one cold start.
 */
final class ColdStartRig implements AutoCloseable {

    private static final String FLUSH_SCRIPT = "flush";

    final BenchServer server;
    final LoopbackHttpClient traffic;
    private final byte[] flushRequest;
    private long coldStartsBefore;

    private ColdStartRig(BenchServer server, LoopbackHttpClient traffic) {
        this.server = server;
        this.traffic = traffic;
        this.flushRequest = LoopbackHttpClient.get(BenchServer.host(FLUSH_SCRIPT), "/");
    }

    /** A server for {@code pool} ({@code prewarmed}: 8 pre-warmed contexts, the default server; {@code none}: 0). */
    static ColdStartRig start(String pool) throws Exception {
        BenchServer server = BenchServer.start(prewarmedContexts(pool));
        try {
            server.deploy(FLUSH_SCRIPT, WarmDispatchBenchmark.HELLO);
            return new ColdStartRig(server, server.connect());
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    /** The {@code prewarmed-contexts} of {@code pool}: {@code prewarmed} 8 (the default server), {@code none} 0. */
    static int prewarmedContexts(String pool) {
        return switch (pool) {
            case "prewarmed" -> 8;
            case "none" -> 0;
            default -> throw new IllegalArgumentException("pool is 'prewarmed' or 'none', not '" + pool + "'");
        };
    }

    /**
     * Lets earlier work settle before a measured operation: retired isolates closed (the isolate cache notifies
     * removals on the common pool, which queues the old context's close on the event loop), the pre-warmed pool full
     * again, and a warm request to another script through the event loop, after anything queued there. Then marks the
     * cold-start count that {@link #checkOneColdStart} compares with.
     */
    void settle() throws IOException, InterruptedException {
        ForkJoinPool.commonPool().awaitQuiescence(5, TimeUnit.SECONDS);
        if (!server.isolates().awaitPrewarmed(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the pre-warmed pool did not fill up within 10 s");
        }
        flush();
        coldStartsBefore = server.isolates().coldStarts();
    }

    /** A warm request to the flush script on the traffic connection. */
    void flush() throws IOException {
        int status = traffic.exchange(flushRequest);
        if (status != 200) {
            throw new IllegalStateException("flush request: HTTP " + status + " " + traffic.bodyText());
        }
    }

    /** Fails unless exactly one cold start happened since {@link #settle}; {@code what} names the operation. */
    void checkOneColdStart(String what) {
        long coldStarts = server.isolates().coldStarts() - coldStartsBefore;
        if (coldStarts != 1) {
            throw new IllegalStateException(what + " made " + coldStarts + " cold starts, expected 1");
        }
    }

    @Override
    public void close() {
        try {
            traffic.close();
        } finally {
            server.close();
        }
    }
}
