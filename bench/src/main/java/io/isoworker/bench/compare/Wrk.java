package io.isoworker.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs wrk against one target and reads its result from the one line the comparison's Lua {@code done()} prints
 * ({@code compare/wrk-report.lua}): requests, duration, exact p50/p99 and wrk's error counts.
 */
final class Wrk {

    private static final Pattern RESULT = Pattern.compile("^COMPARE-RESULT (.*)$", Pattern.MULTILINE);

    /**
     * One wrk run's numbers. {@code statusErrors} are answers with a status of 400 or more (wrk's own count);
     * {@code socketErrors} are connect, read, write errors and timeouts.
     */
    record Result(long requests, double seconds, double p50Ms, double p99Ms, long socketErrors, long statusErrors) {

        double requestsPerSecond() {
            return requests / seconds;
        }

        long errors() {
            return socketErrors + statusErrors;
        }
    }

    private final Path luaScript;
    private final int threads;
    private final int connections;

    /** {@code workDir}: where the Lua script is written. */
    Wrk(Path workDir, int threads, int connections) throws IOException {
        this.luaScript = workDir.resolve("wrk-report.lua");
        Files.writeString(luaScript, Workload.resource("wrk-report.lua"));
        this.threads = threads;
        this.connections = connections;
    }

    /** Runs wrk for {@code seconds} against {@code workload} at {@code target}, its output appended to {@code log}. */
    Result run(Target target, Workload workload, int seconds, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t", Integer.toString(threads),
                "-c", Integer.toString(connections), "-d", seconds + "s", "--latency", "-s", luaScript.toString()));
        if (target.host() != null) {
            command.addAll(List.of("-H", "Host: " + target.host()));
        }
        for (Map.Entry<String, String> h : workload.headers().entrySet()) {
            command.addAll(List.of("-H", h.getKey() + ": " + h.getValue()));
        }
        command.add(target.url(workload.path()));
        Path out = Files.createTempFile(log.getParent(), "wrk-", ".out");
        try {
            Process p = ChildProcesses.start(command, out);
            try {
                if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
                    throw new IOException("wrk did not finish within " + (seconds + 60) + " s");
                }
            } finally {
                ChildProcesses.stop(p);
            }
            String text = Files.readString(out);
            Files.writeString(log, "$ " + String.join(" ", command) + "\n" + text,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            if (p.exitValue() != 0) {
                throw new IOException("wrk failed (exit " + p.exitValue() + "): " + text.strip());
            }
            return parse(text);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static Result parse(String wrkOutput) throws IOException {
        Matcher m = RESULT.matcher(wrkOutput);
        if (!m.find()) {
            throw new IOException("wrk printed no COMPARE-RESULT line: " + wrkOutput.strip());
        }
        Map<String, String> fields = new java.util.HashMap<>();
        for (String pair : m.group(1).trim().split(" ")) {
            int eq = pair.indexOf('=');
            fields.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        long socketErrors = Long.parseLong(fields.get("connect")) + Long.parseLong(fields.get("read"))
                + Long.parseLong(fields.get("write")) + Long.parseLong(fields.get("timeout"));
        return new Result(Long.parseLong(fields.get("requests")), Long.parseLong(fields.get("duration_us")) / 1e6,
                Double.parseDouble(fields.get("p50_us")) / 1000, Double.parseDouble(fields.get("p99_us")) / 1000,
                socketErrors, Long.parseLong(fields.get("status")));
    }
}
