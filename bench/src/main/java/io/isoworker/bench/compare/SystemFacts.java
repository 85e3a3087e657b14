package io.isoworker.bench.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.json.JsonObject;

/** The machine and the versions of what is compared, for results.json. */
final class SystemFacts {

    private SystemFacts() {
    }

    /** CPU model, cores, memory, OS and kernel. */
    static JsonObject machine() {
        String cpu = firstMatch(Path.of("/proc/cpuinfo"), "^model name\\s*:\\s*(.+)$");
        String mem = firstMatch(Path.of("/proc/meminfo"), "^MemTotal:\\s*(\\d+) kB");
        String os = firstMatch(Path.of("/etc/os-release"), "^PRETTY_NAME=\"?([^\"]*)\"?$");
        return new JsonObject()
                .put("cpu", cpu)
                .put("cores", Runtime.getRuntime().availableProcessors())
                .put("memory_gib", mem == null ? null : Math.round(Long.parseLong(mem) / 1024.0 / 1024.0 * 10) / 10.0)
                .put("os", os)
                .put("kernel", System.getProperty("os.version"));
    }

    /** isoworker's commit (with {@code -dirty} for a changed tree), this JDK's version, and the peers' versions. */
    static JsonObject versions(CompareOptions options) {
        JsonObject v = new JsonObject();
        String commit = run(options.checkout(), "git", "rev-parse", "--short", "HEAD");
        if (commit != null) {
            String status = run(options.checkout(), "git", "status", "--porcelain");
            commit = commit.strip() + (status != null && !status.isBlank() ? "-dirty" : "");
        }
        v.put("isoworker", commit);
        v.put("java", Runtime.version().toString());
        v.put("workerd", options.workerd() == null ? null
                : match(run(null, options.workerd().toString(), "--version"), "workerd\\s+(\\S+)"));
        v.put("deno", options.deno() == null ? null
                : match(run(null, options.deno().toString(), "--version"), "deno\\s+(\\S+)"));
        v.put("wrk", match(run(null, "wrk", "-v"), "(\\d+\\.\\d+\\.\\d+)"));
        return v;
    }

    /** The stripped output of a short command, or null when it cannot run. */
    private static String run(Path dir, String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            // wrk -v exits with 1 after printing its version.
            return new String(out, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String match(String text, String regex) {
        if (text == null) {
            return null;
        }
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : text.lines().findFirst().orElse(null);
    }

    private static String firstMatch(Path file, String regex) {
        try {
            Pattern p = Pattern.compile(regex);
            for (String line : Files.readAllLines(file)) {
                Matcher m = p.matcher(line);
                if (m.find()) {
                    return m.group(1).strip();
                }
            }
        } catch (IOException e) {
            // not on Linux or not readable
        }
        return null;
    }
}
