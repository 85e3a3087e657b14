package io.isoworker.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Open-loop load at a fixed rate over keep-alive connections, for {@link NeighbourLatency}. Request {@code i} of a
 * phase is due at {@code start + i / rate}; each connection's thread takes the next request, waits until it is due,
 * sends it and reads the answer. A request's latency runs from the time it was due, not from the time it was sent, so
 * that a stall of the server counts for every request that should have gone out meanwhile (no coordinated omission):
 * when every connection is busy, due requests wait, and their wait is part of their latency. HTTP/1.1 has one request
 * in flight per connection, so there should be more connections than requests due during the longest stall (rate x
 * stall); {@link Result#noFreeConnection} tells when there were not.
 */
final class OpenLoopLoad {

    /**
     * One phase's figures: every request's latency in nanoseconds, the errors, and how many requests found every
     * connection busy when they were due (no thread free to take them until over {@link #LATE} later; when there are
     * many, the client's connection count shaped the latencies: use more connections).
     */
    record Result(long[] sortedLatencies, int errors, List<String> errorSamples, int noFreeConnection) {

        int requests() {
            return sortedLatencies.length;
        }

        /** The nearest-rank percentile {@code p} (0 < p <= 100) in nanoseconds. */
        long percentile(double p) {
            if (sortedLatencies.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(p / 100 * sortedLatencies.length);
            return sortedLatencies[Math.max(0, rank - 1)];
        }

        long max() {
            return sortedLatencies.length == 0 ? 0 : sortedLatencies[sortedLatencies.length - 1];
        }
    }

    private static final int MAX_ERROR_SAMPLES = 5;

    /** A request taken by a thread this much after it was due had no free connection at its due time. */
    static final long LATE = TimeUnit.MILLISECONDS.toNanos(1);

    private final int port;
    private final byte[] request;
    private final Predicate<LoopbackHttpClient> answerOk;
    private final LoopbackHttpClient[] connections;

    /**
     * Opens {@code connections} keep-alive connections now; they are kept for every phase, so that they stay on the
     * server's event loops they were given.
     *
     * @param answerOk true when the response just read (status, body) is the right answer
     */
    OpenLoopLoad(int port, byte[] request, Predicate<LoopbackHttpClient> answerOk, int connections) throws IOException {
        this.port = port;
        this.request = request;
        this.answerOk = answerOk;
        this.connections = new LoopbackHttpClient[connections];
        for (int i = 0; i < connections; i++) {
            this.connections[i] = new LoopbackHttpClient(port);
        }
    }

    /**
     * Sends {@code rate * seconds} requests at {@code rate} per second and waits for every answer. With
     * {@code dropLate} (warm-up), requests not yet sent when the phase's time is up are dropped instead.
     */
    Result run(int rate, int seconds, boolean dropLate) throws InterruptedException {
        int total = rate * seconds;
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long[] latencies = new long[total];
        Arrays.fill(latencies, -1);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger noFreeConnection = new AtomicInteger();
        List<String> samples = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections.length; c++) {
            int slot = c;
            threads.add(Thread.ofPlatform().name("innocent-" + c).start(() -> {
                for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    long due = start + i * interval;
                    if (System.nanoTime() - due > LATE) {
                        noFreeConnection.incrementAndGet();
                    }
                    waitUntil(due);
                    if (dropLate && System.nanoTime() > end) {
                        return;
                    }
                    String error = send(slot);
                    latencies[i] = System.nanoTime() - due;
                    if (error != null) {
                        errors.incrementAndGet();
                        synchronized (samples) {
                            if (samples.size() < MAX_ERROR_SAMPLES) {
                                samples.add(error);
                            }
                        }
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        long[] sent = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
        return new Result(sent, errors.get(), List.copyOf(samples), noFreeConnection.get());
    }

    private static void waitUntil(long due) {
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
    }

    /** Sends one request on connection {@code slot}; null when the answer was right, else what went wrong. */
    private String send(int slot) {
        LoopbackHttpClient client = connections[slot];
        try {
            if (client == null) {
                client = new LoopbackHttpClient(port);
                connections[slot] = client;
            }
            client.exchange(request);
            if (answerOk.test(client)) {
                return null;
            }
            String body = client.bodyText();
            return "HTTP " + client.status() + " " + body.substring(0, Math.min(body.length(), 120)).strip();
        } catch (IOException e) {
            if (client != null) {
                client.close();
            }
            connections[slot] = null; // a new connection for the next request
            return e.toString();
        }
    }

    void close() {
        for (LoopbackHttpClient c : connections) {
            if (c != null) {
                c.close();
            }
        }
    }
}
