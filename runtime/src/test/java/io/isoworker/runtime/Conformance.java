package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Conformance runs against shared test data ({@code ../shared/conformance/}) and the pass-count table in
 * {@code docs/conformance.md}.
 *
 * <p>The table between the markers {@code <!-- conformance:start -->} and {@code <!-- conformance:end -->} holds one
 * row per data file: {@code | `file` | cases | passed | percent | target |}. The committed {@code passed} column is
 * the baseline: {@link #record} fails the test when a run passes fewer cases, and rewrites the row when it passes as
 * many or more. Raising the baseline (committing the rewritten file) is the only way it moves.
 */
final class Conformance {

    private static final String START = "<!-- conformance:start -->";
    private static final String END = "<!-- conformance:end -->";
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| (\\d+) \\| (\\d+) \\| [^|]* \\| ([^|]*) \\|$");

    private Conformance() {
    }

    /** A file under {@code ../shared/conformance/}, e.g. {@code wpt/url/resources/urltestdata.json}. */
    static Path sharedFile(String relative) {
        String dir = System.getProperty("isoworker.shared.dir");
        Path base = dir != null ? Path.of(dir) : Path.of("..", "shared");
        Path file = base.resolve("conformance").resolve(relative).normalize();
        assertTrue(Files.isRegularFile(file), "shared conformance data missing: " + file.toAbsolutePath()
                + " (../shared must sit beside the project root)");
        return file;
    }

    static byte[] read(String relative) {
        try {
            return Files.readAllBytes(sharedFile(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deploys {@code runner} as script {@code name} on {@code s}, POSTs {@code body} to it and returns the answer's
     * body, failing unless it is a 200. The runner is an ES module whose {@code fetch} reads the body (the test data)
     * and answers with its results.
     */
    static String runInWorker(TestServer s, String name, String runner, byte[] body) throws Exception {
        s.deploy(name, runner);
        HttpResponse<String> r = s.send(HttpRequest.newBuilder(URI.create(s.traffic("/")))
                .header("host", name + ".localhost")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertTrue(r.statusCode() == 200, "conformance runner " + name + " answered " + r.statusCode() + ": "
                + r.body());
        return r.body();
    }

    static Path tableFile() {
        String dir = System.getProperty("isoworker.project.dir");
        return (dir != null ? Path.of(dir) : Path.of("..")).resolve("docs").resolve("conformance.md");
    }

    /**
     * Records that {@code passed} of {@code cases} cases of {@code file} passed. Fails when the committed baseline
     * for that file is higher; otherwise writes the new count into {@code docs/conformance.md}. A file with no row
     * yet gets one (baseline 0), with {@code target} as its target column.
     */
    static synchronized void record(String file, int cases, int passed, String target) {
        Path table = tableFile();
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(table, StandardCharsets.UTF_8));
            int start = lines.indexOf(START);
            int end = lines.indexOf(END);
            assertTrue(start >= 0 && end > start, table + " lacks the markers " + START + " and " + END);
            String row = String.format(Locale.ROOT, "| `%s` | %d | %d | %s | %s |", file, cases, passed,
                    percent(passed, cases), target);
            int at = -1;
            for (int i = start + 1; i < end; i++) {
                Matcher m = ROW.matcher(lines.get(i));
                if (m.matches() && m.group(1).equals(file)) {
                    int baseline = Integer.parseInt(m.group(3));
                    assertTrue(passed >= baseline, file + ": " + passed + " of " + cases
                            + " cases passed, below the committed baseline of " + baseline + " (docs/conformance.md)");
                    row = String.format(Locale.ROOT, "| `%s` | %d | %d | %s | %s |", file, cases, passed,
                            percent(passed, cases), m.group(4).strip());
                    at = i;
                    break;
                }
            }
            if (at >= 0) {
                lines.set(at, row);
            } else {
                lines.add(end, row);
            }
            Files.writeString(table, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String percent(int passed, int cases) {
        if (cases == 0) {
            return "-";
        }
        double p = 100.0 * passed / cases;
        return passed == cases ? "100%" : String.format(Locale.ROOT, "%.1f%%", Math.floor(p * 10) / 10);
    }
}
