package io.isoworker.bench.compare;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import io.isoworker.bench.LoopbackHttpClient;

/**
 * Waits for a just-started server's first good answer: tries a new connection and one GET about every millisecond,
 * until the answer's status passes; fails when the process exits first or after a timeout.
 */
final class FirstAnswerPoller {

    private FirstAnswerPoller() {
    }

    /** What counts as the answer being waited for. */
    enum Wanted {
        /** Any HTTP answer: the listener is up. */
        ANY_ANSWER,
        /** A 200. */
        OK
    }

    /**
     * Polls {@code GET path} at {@code target} until an answer as {@code wanted} arrives.
     *
     * @param startNanos the {@link System#nanoTime} taken before the process was started
     * @return nanoseconds from {@code startNanos} to the last byte of the first wanted answer
     */
    static long await(Process process, Target target, String path, Wanted wanted, long startNanos, Duration timeout,
            String what) throws IOException, InterruptedException {
        byte[] request = LoopbackHttpClient.request("GET", target.hostHeader(), path, Map.of(), null);
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no connection accepted";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(what + ": the process exited with status " + process.exitValue()
                        + " before answering (" + last + "); see its log");
            }
            try (LoopbackHttpClient client = new LoopbackHttpClient(target.port())) {
                int status = client.exchange(request);
                if (status == 200 || wanted == Wanted.ANY_ANSWER) {
                    return System.nanoTime() - startNanos;
                }
                last = "last answer HTTP " + status + " " + abbreviate(client.bodyText());
            } catch (IOException notYet) {
                if (!last.startsWith("last answer")) {
                    last = "no connection accepted (" + notYet.getMessage() + ")";
                }
            }
            Thread.sleep(1);
        }
        throw new IOException(what + ": no " + (wanted == Wanted.OK ? "200 answer" : "answer") + " on port "
                + target.port() + " within " + timeout.toSeconds() + " s (" + last + ")");
    }

    static String abbreviate(String s) {
        String oneLine = s.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= 200 ? "'" + oneLine + "'" : "'" + oneLine.substring(0, 200) + "...'";
    }
}
