package io.isoworker.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.isoworker.bench.BenchFiles;
import io.isoworker.bench.LoopbackHttpClient;
import io.vertx.core.json.JsonObject;

/**
 * The peer comparison ({@code bench/compare}): runs the same workloads on isoworker, a plain Vert.x server, workerd
 * and Deno on this machine, one runtime at a time (each process stopped before the next starts), under the same wrk
 * load after the same warm-up, then measures cold starts; prints the tables and writes results.json and results.md.
 * Exits 1 when a runtime answered wrongly, with errors, or did not start; 2 on bad options.
 */
public final class PeerComparison {

    private static final long START_NANOS = System.nanoTime();
    private static final int FIRST_ANSWER_ATTEMPTS = 3;

    private final CompareOptions options;
    private final Workspace ws;
    private final Wrk wrk;
    private final Results results = new Results();

    private PeerComparison(CompareOptions options, Workspace ws, Wrk wrk) {
        this.options = options;
        this.ws = ws;
        this.wrk = wrk;
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("-h") || List.of(args).contains("--help")) {
            System.out.print(CompareOptions.USAGE);
            return;
        }
        CompareOptions options;
        try {
            options = CompareOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench/compare: " + e.getMessage());
            System.exit(2);
            return;
        }
        Files.createDirectories(options.out());
        Workspace ws = Workspace.create(options.checkout(), options.out());
        int status;
        try {
            status = new PeerComparison(options, ws, new Wrk(ws.workloads(), options.threads(),
                    options.connections())).run();
        } finally {
            BenchFiles.deleteTree(ws.scratch());
        }
        System.exit(status);
    }

    private int run() throws IOException {
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        JsonObject machine = SystemFacts.machine();
        JsonObject versions = SystemFacts.versions(options);
        say("machine " + machine.encode());
        say("versions " + versions.encode());
        say("settings: wrk -t " + options.threads() + " -c " + options.connections() + ", " + options.durationSeconds()
                + " s per workload, warm-up " + options.warmupSeconds() + " s first / " + options.warmupNextSeconds()
                + " s next, " + options.coldStartRuns() + " cold starts" + (options.smoke() ? " (smoke)" : "")
                + "; output in " + options.out());
        warnIfPeersMissing();
        List<Peer> peers = new ArrayList<>();
        for (String name : options.runtimes()) {
            peers.add(peer(name));
        }
        for (int i = 0; i < peers.size(); i++) {
            runLoad(options.runtimes().get(i), peers.get(i));
        }
        if (options.coldStart()) {
            for (int i = 0; i < peers.size(); i++) {
                runColdStarts(options.runtimes().get(i), peers.get(i));
            }
        }
        results.write(options.out(), results.toJson(started, machine, versions, options));
        System.out.println();
        System.out.print(results.markdown());
        warnIfPeersMissing();
        System.out.println();
        System.out.println("Written: " + options.out().resolve("results.json") + ", "
                + options.out().resolve("results.md") + " (process logs in " + ws.logs() + ")");
        return results.failures().isEmpty() ? 0 : 1;
    }

    /** The runtime named {@code name}, or null when its binary is not installed. */
    private Peer peer(String name) {
        return switch (name) {
            case "isoworker" -> new IsoworkerPeer(wrk, options.warmupNextSeconds());
            case "vertx-plain" -> new VertxPlainPeer();
            case "workerd" -> options.workerd() == null ? null : new WorkerdPeer(options.workerd());
            case "deno" -> options.deno() == null ? null : new DenoPeer(options.deno());
            default -> throw new IllegalArgumentException(name);
        };
    }

    private String missingNote() {
        return "skipped: not installed (" + (options.peersMissing() != null ? options.peersMissing()
                : "no binary given; run through bench/compare") + ")";
    }

    private void warnIfPeersMissing() {
        boolean wanted = options.runtimes().contains("workerd") || options.runtimes().contains("deno");
        if (wanted && (options.workerd() == null || options.deno() == null)) {
            say("");
            say("!!! PEERS SKIPPED: workerd and/or deno did not run: " + missingNote() + " !!!");
            say("");
        }
    }

    private void runLoad(String name, Peer peer) {
        Map<Workload, Results.LoadRow> rows = new EnumMap<>(Workload.class);
        List<Workload> supported = new ArrayList<>();
        for (Workload w : options.loadWorkloads()) {
            String why = peer == null ? missingNote() : peer.unsupported(w);
            if (why != null) {
                rows.put(w, new Results.LoadRow(name, w, null, why));
            } else {
                supported.add(w);
            }
        }
        if (!supported.isEmpty()) {
            List<List<Workload>> processes = peer.processPerWorkload()
                    ? supported.stream().map(List::of).toList() : List.of(supported);
            boolean first = true;
            for (List<Workload> group : processes) {
                say(name + ": starting for " + group.stream().map(Workload::id).toList());
                Peer.Served served;
                try {
                    served = peer.serve(group, ws);
                } catch (Exception e) {
                    group.forEach(w -> rows.put(w, failed(name, w, "did not start: " + message(e))));
                    continue;
                }
                try (served) {
                    for (Workload w : group) {
                        int warmup = first ? options.warmupSeconds() : options.warmupNextSeconds();
                        first = false;
                        rows.put(w, measure(name, peer, w, served.target(w), warmup));
                    }
                }
            }
        }
        options.loadWorkloads().forEach(w -> results.add(rows.get(w)));
    }

    private Results.LoadRow measure(String name, Peer peer, Workload w, Target target, int warmupSeconds) {
        Path log = ws.log(name + "-wrk");
        try {
            String firstAnswers = checkFirstAnswer(target, w);
            if (warmupSeconds > 0) {
                say(name + " " + w.id() + ": warm-up " + warmupSeconds + " s");
                Wrk.Result warm = wrk.run(target, w, warmupSeconds, log);
                if (warm.errors() > 0) {
                    say(name + " " + w.id() + ": " + warm.errors() + " errors during the warm-up");
                }
            }
            say(name + " " + w.id() + ": measuring " + options.durationSeconds() + " s");
            Wrk.Result r = wrk.run(target, w, options.durationSeconds(), log);
            checkAnswer(target, w);
            String note = join(firstAnswers, peer.loadNote());
            if (r.errors() > 0 || r.requests() == 0) {
                String what = r.requests() == 0 ? "NO REQUESTS COMPLETED"
                        : "ERRORS: " + r.socketErrors() + " socket, " + r.statusErrors() + " status >= 400";
                note = join(what, note);
                results.fail(name + " " + w.id() + ": " + what);
            }
            say(String.format(Locale.ROOT, "%s %s: %.0f req/s, p50 %.2f ms, p99 %.2f ms, %d errors", name,
                    w.id(), r.requestsPerSecond(), r.p50Ms(), r.p99Ms(), r.errors()));
            return new Results.LoadRow(name, w, r, note);
        } catch (Exception e) {
            return failed(name, w, message(e));
        }
    }

    /** A load row that failed, and the failure recorded. */
    private Results.LoadRow failed(String name, Workload w, String why) {
        say(name + " " + w.id() + ": FAILED: " + why);
        results.fail(name + " " + w.id() + ": " + why);
        return new Results.LoadRow(name, w, null, "FAILED: " + why);
    }

    private void runColdStarts(String name, Peer peer) {
        if (peer == null) {
            results.add(new Results.ColdRow(name, "process start to first answer", List.of(), missingNote()));
            return;
        }
        for (Peer.ColdStart c : peer.coldStarts(ws)) {
            List<Double> samples = new ArrayList<>();
            try (c) {
                say(name + ": cold start '" + c.what() + "', " + options.coldStartRuns() + " runs");
                c.prepare();
                for (int run = 0; run < options.coldStartRuns(); run++) {
                    samples.add(Results.round(c.sampleNanos(run) / 1e6, 2));
                }
                results.add(new Results.ColdRow(name, c.what(), samples, ""));
                for (Map.Entry<String, List<Long>> other : c.otherKinds().entrySet()) {
                    results.add(new Results.ColdRow(name, other.getKey(),
                            other.getValue().stream().map(ns -> Results.round(ns / 1e6, 2)).toList(), ""));
                }
            } catch (Exception e) {
                say(name + " cold start '" + c.what() + "': FAILED: " + message(e));
                results.add(new Results.ColdRow(name, c.what(), samples, "FAILED: " + message(e)));
                results.fail(name + " cold start '" + c.what() + "': " + message(e));
            }
        }
    }

    /**
     * The check before a workload's warm-up: up to {@value #FIRST_ANSWER_ATTEMPTS} requests until one is right (a
     * runtime's very first request to a script may be slower than later ones: isoworker's default 50 ms CPU limit
     * can cancel it). Returns a note naming the wrong answers before the right one (empty when the first was right);
     * throws when none was right.
     */
    private static String checkFirstAnswer(Target target, Workload w) throws IOException {
        List<String> wrong = new ArrayList<>();
        for (int attempt = 1; attempt <= FIRST_ANSWER_ATTEMPTS; attempt++) {
            try {
                checkAnswer(target, w);
                return wrong.isEmpty() ? "" : "WARNING: the first " + (wrong.size() == 1 ? "answer was" : wrong.size()
                        + " answers were") + " wrong, the next right: " + String.join("; ", wrong);
            } catch (IOException e) {
                wrong.add(message(e));
                say(w.id() + " at " + target.url(w.path()) + ", request " + attempt + ": " + message(e));
            }
        }
        throw new IOException(wrong.getFirst() + " (" + FIRST_ANSWER_ATTEMPTS + " attempts, none right)");
    }

    /**
     * One request as wrk sends it; throws unless the answer is a 200 with exactly the workload's body.
     */
    static void checkAnswer(Target target, Workload w) throws IOException {
        try (LoopbackHttpClient client = new LoopbackHttpClient(target.port())) {
            int status = client.exchange(LoopbackHttpClient.request("GET", target.hostHeader(), w.path(),
                    w.headers(), null));
            String body = client.bodyText();
            if (status != 200 || !body.equals(w.expectedBody())) {
                throw new IOException("wrong answer: HTTP " + status + " " + FirstAnswerPoller.abbreviate(body)
                        + ", expected 200 '" + w.expectedBody() + "'");
            }
        }
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "; " + b;
    }

    private static String message(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** A progress line on stdout, with the seconds since the start. */
    private static void say(String line) {
        System.out.printf(Locale.ROOT, "compare [%5.1f s]: %s%n", (System.nanoTime() - START_NANOS) / 1e9, line);
    }
}
