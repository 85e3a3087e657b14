package io.isoworker.bench.compare;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line of {@code bench/compare} (see {@link #USAGE}). The script adds {@code --checkout}, and
 * {@code --workerd}/{@code --deno} with the installed binaries or {@code --peers-missing REASON}.
 */
record CompareOptions(List<String> runtimes, List<Workload> loadWorkloads, boolean coldStart, int durationSeconds,
        int warmupSeconds, int warmupNextSeconds, int connections, int threads, int coldStartRuns, boolean smoke,
        Path out, Path checkout, Path workerd, Path deno, String peersMissing) {

    static final List<String> ALL_RUNTIMES = List.of("isoworker", "vertx-plain", "workerd", "deno");
    static final String COLD_START = "cold-start";

    static final String USAGE = """
            Usage: bench/compare [OPTIONS]
            Runs the same workloads on isoworker and its peers on this machine, one runtime at a time, and prints
            req/s, p50, p99 and the ratio to isoworker, plus a cold-start table. Writes results.json and results.md.

              --runtimes LIST      runtimes to run (default: isoworker,vertx-plain,workerd,deno)
              --workloads LIST     workloads (default: hello,json-api,kv-read,cold-start)
              --duration S         seconds of measured wrk load per workload (default: 30)
              --warmup S           seconds of wrk warm-up before a runtime's first workload (default: 60)
              --warmup-next S      seconds of wrk warm-up before each further workload (default: 15, at most --warmup)
              --connections N      wrk connections (default: 64)
              --threads N          wrk threads (default: 2)
              --cold-starts N      samples per cold-start kind (default: 20)
              --out DIR            output folder (default: bench/results/compare-<UTC timestamp>/)
              --smoke              a quick check for CI: 2 s per workload, 1 s warm-ups, 3 cold starts (flags given
                                   explicitly still win); fails when a runtime answers wrongly or with errors
              -h, --help           this text

            Environment: BENCH_SKIP_BUILD=1 skips the Maven build; ISOWORKER_CACHE (default
            ${XDG_CACHE_HOME:-~/.cache}/isoworker) holds the npm-installed peers under peers/.
            """;

    /** Parses {@code args}; throws IllegalArgumentException with a message for bad input. */
    static CompareOptions parse(String[] args) {
        List<String> runtimes = ALL_RUNTIMES;
        List<String> workloads = List.of("hello", "json-api", "kv-read", COLD_START);
        Integer duration = null;
        Integer warmup = null;
        Integer warmupNext = null;
        Integer coldStarts = null;
        int connections = 64;
        int threads = 2;
        boolean smoke = false;
        Path out = null;
        Path checkout = Path.of("").toAbsolutePath();
        Path workerd = null;
        Path deno = null;
        String peersMissing = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--runtimes" -> runtimes = list(value(args, ++i, a));
                case "--workloads" -> workloads = list(value(args, ++i, a));
                case "--duration" -> duration = positive(value(args, ++i, a), a, 1);
                case "--warmup" -> warmup = positive(value(args, ++i, a), a, 0);
                case "--warmup-next" -> warmupNext = positive(value(args, ++i, a), a, 0);
                case "--connections" -> connections = positive(value(args, ++i, a), a, 1);
                case "--threads" -> threads = positive(value(args, ++i, a), a, 1);
                case "--cold-starts" -> coldStarts = positive(value(args, ++i, a), a, 1);
                case "--out" -> out = Path.of(value(args, ++i, a)).toAbsolutePath();
                case "--smoke" -> smoke = true;
                case "--checkout" -> checkout = Path.of(value(args, ++i, a)).toAbsolutePath();
                case "--workerd" -> workerd = Path.of(value(args, ++i, a));
                case "--deno" -> deno = Path.of(value(args, ++i, a));
                case "--peers-missing" -> peersMissing = value(args, ++i, a);
                default -> throw new IllegalArgumentException("unknown option '" + a + "' (bench/compare -h lists them)");
            }
        }
        for (String r : runtimes) {
            if (!ALL_RUNTIMES.contains(r)) {
                throw new IllegalArgumentException("unknown runtime '" + r + "': one of " + String.join(",",
                        ALL_RUNTIMES));
            }
        }
        List<Workload> load = new ArrayList<>();
        boolean cold = false;
        for (String w : workloads) {
            if (w.equals(COLD_START)) {
                cold = true;
            } else {
                try {
                    load.add(Workload.byId(w));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown workload '" + w
                            + "': one of hello,json-api,kv-read,cold-start");
                }
            }
        }
        if (threads > connections) {
            throw new IllegalArgumentException("--threads (" + threads + ") must not exceed --connections ("
                    + connections + ")");
        }
        int d = duration != null ? duration : smoke ? 2 : 30;
        int w = warmup != null ? warmup : smoke ? 1 : 60;
        int wn = warmupNext != null ? warmupNext : Math.min(w, smoke ? 1 : 15);
        int n = coldStarts != null ? coldStarts : smoke ? 3 : 20;
        if (out == null) {
            String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
            out = checkout.resolve("bench/results/compare-" + stamp);
        }
        return new CompareOptions(List.copyOf(runtimes), List.copyOf(load), cold, d, w, wn, connections, threads, n,
                smoke, out, checkout, workerd, deno, peersMissing);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static List<String> list(String value) {
        List<String> l = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (l.isEmpty()) {
            throw new IllegalArgumentException("an empty list: '" + value + "'");
        }
        return l;
    }

    private static int positive(String value, String option, int min) {
        try {
            int v = Integer.parseInt(value);
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a whole number of at least " + min + ", not '" + value
                + "'");
    }
}
