package io.isoworker.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a comparison run measured: a load row per runtime and workload, the cold-start samples per runtime and kind,
 * and the failures (wrong answers, errors, runtimes that did not start). Written as results.json (the format the
 * lead's chart generator reads) and as markdown tables.
 */
final class Results {

    /** One runtime on one workload; {@code wrk} is null when it was skipped or failed ({@code note} says why). */
    record LoadRow(String runtime, Workload workload, Wrk.Result wrk, String note) {
    }

    /** The samples of one cold-start kind, in milliseconds; {@code note} says why there are none. */
    record ColdRow(String runtime, String what, List<Double> samplesMs, String note) {
    }

    private final List<LoadRow> load = new ArrayList<>();
    private final List<ColdRow> cold = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    void add(LoadRow row) {
        load.add(row);
    }

    void add(ColdRow row) {
        cold.add(row);
    }

    /** A failure that makes the run exit non-zero. */
    void fail(String message) {
        failures.add(message);
    }

    List<String> failures() {
        return failures;
    }

    JsonObject toJson(String started, JsonObject machine, JsonObject versions, CompareOptions o) {
        JsonArray loadJson = new JsonArray();
        for (LoadRow r : load) {
            Wrk.Result w = r.wrk();
            loadJson.add(new JsonObject()
                    .put("runtime", r.runtime())
                    .put("workload", r.workload().id())
                    .put("requests_per_s", w == null ? null : round(w.requestsPerSecond(), 1))
                    .put("p50_ms", w == null ? null : round(w.p50Ms(), 3))
                    .put("p99_ms", w == null ? null : round(w.p99Ms(), 3))
                    .put("requests", w == null ? null : w.requests())
                    .put("errors", w == null ? null : w.errors())
                    .put("note", r.note()));
        }
        JsonArray coldJson = new JsonArray();
        for (ColdRow r : cold) {
            JsonObject c = new JsonObject().put("runtime", r.runtime()).put("what", r.what())
                    .put("samples_ms", new JsonArray(new ArrayList<>(r.samplesMs())));
            if (!r.note().isEmpty()) {
                c.put("note", r.note());
            }
            coldJson.add(c);
        }
        return new JsonObject()
                .put("started", started)
                .put("machine", machine)
                .put("versions", versions)
                .put("settings", new JsonObject()
                        .put("connections", o.connections())
                        .put("threads", o.threads())
                        .put("duration_s", o.durationSeconds())
                        .put("warmup_s", o.warmupSeconds())
                        .put("warmup_next_s", o.warmupNextSeconds())
                        .put("cold_start_runs", o.coldStartRuns())
                        .put("smoke", o.smoke()))
                .put("load", loadJson)
                .put("cold_start", coldJson);
    }

    /** The load table and the cold-start table, in markdown. */
    String markdown() {
        StringBuilder md = new StringBuilder();
        if (!load.isEmpty()) {
            md.append("| runtime | workload | req/s | p50 ms | p99 ms | req/s vs isoworker | p99 vs isoworker "
                    + "| requests | errors | note |\n");
            md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (LoadRow r : load) {
                Wrk.Result w = r.wrk();
                Wrk.Result base = isoworker(r.workload());
                md.append("| ").append(r.runtime()).append(" | ").append(r.workload().id()).append(" | ");
                if (w == null) {
                    md.append("- | - | - | - | - | - | - | ");
                } else {
                    md.append(format("%.0f", w.requestsPerSecond())).append(" | ")
                            .append(format("%.2f", w.p50Ms())).append(" | ")
                            .append(format("%.2f", w.p99Ms())).append(" | ")
                            .append(base == null ? "-" : format("%.2f", w.requestsPerSecond()
                                    / base.requestsPerSecond())).append(" | ")
                            .append(base == null ? "-" : format("%.2f", w.p99Ms() / base.p99Ms())).append(" | ")
                            .append(w.requests()).append(" | ")
                            .append(w.errors() == 0 ? "0" : "**" + w.errors() + "**").append(" | ");
                }
                md.append(r.note().replace("|", "\\|")).append(" |\n");
            }
            md.append("\nerrors: socket errors (connect, read, write, timeout) plus answers with a status of 400 or "
                    + "more, as wrk counts them; every workload's answer (status 200 and the exact body) is checked "
                    + "before and after its measurement.\n");
        }
        if (!cold.isEmpty()) {
            if (!md.isEmpty()) {
                md.append('\n');
            }
            md.append("| runtime | cold start | runs | p50 ms | p90 ms | p99 ms | min ms | max ms | note |\n");
            md.append("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
            for (ColdRow r : cold) {
                List<Double> s = r.samplesMs().stream().sorted().toList();
                md.append("| ").append(r.runtime()).append(" | ").append(r.what()).append(" | ").append(s.size())
                        .append(" | ");
                if (s.isEmpty()) {
                    md.append("- | - | - | - | - | ");
                } else {
                    md.append(ms(percentile(s, 50))).append(" | ").append(ms(percentile(s, 90))).append(" | ")
                            .append(ms(percentile(s, 99))).append(" | ").append(ms(s.getFirst())).append(" | ")
                            .append(ms(s.getLast())).append(" | ");
                }
                md.append(r.note().replace("|", "\\|")).append(" |\n");
            }
        }
        if (!failures.isEmpty()) {
            md.append("\n**FAILED**:\n");
            failures.forEach(f -> md.append("- ").append(f.replace("\n", " ")).append('\n'));
        }
        return md.toString();
    }

    void write(Path out, JsonObject json) throws IOException {
        Files.writeString(out.resolve("results.json"), json.encodePrettily() + "\n");
        Files.writeString(out.resolve("results.md"), markdown());
    }

    private Wrk.Result isoworker(Workload workload) {
        for (LoadRow r : load) {
            if (r.runtime().equals("isoworker") && r.workload() == workload) {
                return r.wrk();
            }
        }
        return null;
    }

    /** Nearest-rank percentile of sorted samples. */
    static double percentile(List<Double> sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static String ms(double v) {
        return v >= 100 ? format("%.0f", v) : format("%.2f", v);
    }

    private static String format(String pattern, double v) {
        return String.format(Locale.ROOT, pattern, v);
    }

    static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
