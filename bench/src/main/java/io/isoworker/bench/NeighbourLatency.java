package io.isoworker.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.runtime.config.ServerConfig;

/**
 * The noisy-neighbour benchmark (issue 6): how much a hostile tenant slows an innocent one down. One server with its
 * default limits serves an innocent worker at a fixed request rate (open loop, {@link OpenLoopLoad}) while one or two
 * attacker connections send one attack to a hostile worker back to back. Per phase it reports the innocent tenant's
 * requests, errors (any answer but its 200, or an I/O error), p50, p99 and maximum latency and its p99 against the
 * baseline's (innocent alone), and what the attacker got back. A load scenario, hence a plain {@code main} rather
 * than JMH. Run it with {@code bench/neighbours} (JVMCI on, as {@code isoworker serve}); {@code -h} lists the options.
 */
public final class NeighbourLatency {

    private static final Logger LOG = LoggerFactory.getLogger(NeighbourLatency.class);

    private static final String INNOCENT = """
            export default {
              fetch(request) {
                const url = new URL(request.url);
                return Response.json({ ok: true, path: url.pathname, q: url.searchParams.get('q') });
              },
            };
            """;

    /**
     * The attacks of HostileTenantTest, and the slow leak, the hang, the endless body and the gigantic body.
     * {@code LEAK_CAP_MIB} is replaced by half the JVM's maximum heap.
     */
    private static final String HOSTILE = """
            let state = 'fresh';
            const leaked = [];
            const chunk = new Uint8Array(64 * 1024);
            export default {
              async fetch(request, env, ctx) {
                const attack = new URL(request.url).pathname.slice(1);
                const before = state;
                state = 'used';
                switch (attack) {
                  case 'loop': for (;;) {}
                  case 'microtasks': { const spin = async () => { await null; return spin(); }; await spin(); break; }
                  case 'timer': setTimeout(() => { for (;;) {} }, 0); return new Response('answered before the timer');
                  case 'waituntil':
                    ctx.waitUntil(new Promise((r) => setTimeout(r, 10)).then(() => { for (;;) {} }));
                    return new Response('answered before the background work');
                  case 'arrays': { const kept = []; for (;;) kept.push(new Array(100000).fill(1)); }
                  case 'typed': { const kept = []; for (;;) kept.push(new Uint8Array(1 << 20)); }
                  case 'map': { const m = new Map(); for (let i = 0; ; i++) m.set(i, { i }); }
                  case 'recursion': {
                    const r = (n) => r(n + 1) + 1;
                    try { r(0); } catch (e) { return new Response('caught ' + e.name); }
                    return new Response('no error?');
                  }
                  case 'regex': return new Response(String(/^(a+)+$/.test('a'.repeat(40) + 'b')));
                  case 'leak': // up to a cap: past the JVM's heap, the whole server (and the benchmark) would fail
                    if (leaked.length >= LEAK_CAP_MIB) return new Response(`kept ${leaked.length} MiB, at the cap`);
                    leaked.push(new Uint8Array(1 << 20).fill(1));
                    return new Response('kept ' + leaked.length + ' MiB');
                  case 'hang': return new Promise(() => {});
                  case 'endless': return new Response(new ReadableStream({ pull(c) { c.enqueue(chunk); } }));
                  case 'giant': {
                    let left = 1 << 30;
                    return new Response(new ReadableStream({
                      pull(c) {
                        if (left <= 0) { c.close(); return; }
                        c.enqueue(chunk);
                        left -= chunk.length;
                      },
                    }));
                  }
                  case 'state': return new Response(before);
                }
                return new Response('unknown attack ' + attack);
              },
            };
            """;

    private static final long MIB = 1024 * 1024;

    /** An attack: its path on the hostile worker, what it is, and how much of each answer's body the attacker reads. */
    record Attack(String name, String description, long readLimit) {
    }

    static final List<Attack> ATTACKS = List.of(
            new Attack("loop", "`for (;;) {}`", MIB),
            new Attack("microtasks", "an endless `async` chain", MIB),
            new Attack("timer", "an endless loop in a timer, after the response", MIB),
            new Attack("waituntil", "an endless loop in `waitUntil` work, after the response", MIB),
            new Attack("arrays", "growing arrays", MIB),
            new Attack("typed", "growing typed arrays", MIB),
            new Attack("map", "a `Map` that never stops growing", MIB),
            new Attack("recursion", "unbounded recursion (caught)", MIB),
            new Attack("regex", "`/^(a+)+$/` on `'a' * 40 + 'b'`", MIB),
            new Attack("hang", "a promise that never settles", MIB),
            new Attack("endless", "a body that never ends (the attacker reads 1 MiB and closes)", MIB),
            new Attack("giant", "a 1 GiB streamed body, read to the end", Long.MAX_VALUE),
            new Attack("leak", "1 MiB more kept in module state per request (up to half the heap)", MIB));

    /** The command line's settings. */
    record Options(int seconds, int warmupSeconds, int rate, int connections, int attackers, long responseTimeoutMs,
            List<Attack> attacks, Path output) {

        static final String USAGE = """
                usage: bench/neighbours [options]
                  --seconds N              length of each measured phase (default 10)
                  --rate N                 innocent requests per second, open loop (default 200)
                  --attacks a,b,...        attacks to run, in this order (default all: %s)
                  --out FILE               also write the markdown table to FILE
                  --warmup N               seconds of warm-up, innocent alone at 10x the rate (default 60)
                  --connections N          innocent keep-alive connections (default 32)
                  --attackers N            attacker connections, each sending its attack back to back (default 1)
                  --response-timeout-ms N  the server's response-timeout-ms (default 2000; the server's own is 30000)
                """.formatted(ATTACKS.stream().map(Attack::name).collect(Collectors.joining(",")));

        /** The options of {@code args}; null when they ask for the usage. */
        static Options parse(String[] args) {
            int seconds = 10;
            int warmup = 60;
            int rate = 200;
            int connections = 32;
            int attackers = 1;
            long responseTimeout = 2000;
            List<Attack> attacks = ATTACKS;
            Path output = null;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (name.equals("-h") || name.equals("--help")) {
                    return null;
                }
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("option " + name + " needs a value");
                }
                String value = args[++i];
                switch (name) {
                    case "--seconds" -> seconds = positive(name, value);
                    case "--warmup" -> warmup = positive(name, value);
                    case "--rate" -> rate = positive(name, value);
                    case "--connections" -> connections = positive(name, value);
                    case "--attackers" -> attackers = positive(name, value);
                    case "--response-timeout-ms" -> responseTimeout = positive(name, value);
                    case "--attacks" -> attacks = attacks(value);
                    case "--out" -> output = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            return new Options(seconds, warmup, rate, connections, attackers, responseTimeout, attacks, output);
        }

        private static int positive(String name, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(name + " wants a positive whole number, got " + value);
        }

        private static List<Attack> attacks(String list) {
            if (list.equals("all")) {
                return ATTACKS;
            }
            List<Attack> chosen = new ArrayList<>();
            for (String name : list.split(",")) {
                Attack attack = ATTACKS.stream().filter(a -> a.name().equals(name.strip())).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown attack " + name));
                chosen.add(attack);
            }
            return List.copyOf(chosen);
        }
    }

    /** One row of the table. */
    record Phase(String name, String attack, OpenLoopLoad.Result innocent, Map<String, Long> attackerOutcomes) {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench/neighbours: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.print(Options.USAGE);
            return;
        }
        // The server's defaults (cpu-ms, memory-mb, one event loop per core), but a shorter wall-clock limit.
        Map<String, String> flags = Map.of("event-loops", "0", "prewarmed-contexts", "8",
                "response-timeout-ms", Long.toString(options.responseTimeoutMs()));
        try (BenchServer server = BenchServer.start(flags)) {
            new NeighbourLatency(server, options).run();
        }
    }

    private final BenchServer server;
    private final Options options;
    private final List<Phase> phases = new ArrayList<>();
    private final String settings;
    private final String hostile;

    private NeighbourLatency(BenchServer server, Options options) {
        this.server = server;
        this.options = options;
        this.settings = settings(server.config(), options);
        this.hostile = HOSTILE.replace("LEAK_CAP_MIB", Long.toString(Runtime.getRuntime().maxMemory() / MIB / 2));
    }

    private void run() throws Exception {
        System.out.println(settings);
        server.deploy("innocent", INNOCENT);
        server.deploy("hostile", hostile);
        byte[] innocentRequest = LoopbackHttpClient.get(BenchServer.host("innocent"), "/hello?q=neighbour");
        // The innocent connections are opened first, so that Vert.x spreads them over every event loop.
        OpenLoopLoad innocent = new OpenLoopLoad(server.server().port(), innocentRequest,
                c -> c.status() == 200 && c.bodyText().startsWith("{\"ok\":true"), options.connections());
        try {
            LOG.info("warm-up: {} s at {} requests/s", options.warmupSeconds(), options.rate() * 10);
            OpenLoopLoad.Result warmUp = innocent.run(options.rate() * 10, options.warmupSeconds(), true);
            record("warm-up (10x rate, not compared)", "", warmUp, Map.of());
            betweenPhases();
            LOG.info("baseline: {} s at {} requests/s", options.seconds(), options.rate());
            record("baseline", "", innocent.run(options.rate(), options.seconds(), false), Map.of());
            for (Attack attack : options.attacks()) {
                // A fresh isolate: what one attack left behind goes with the old version.
                server.deploy("hostile", hostile);
                betweenPhases();
                LOG.info("attack {}: {} s, {} attacker connection(s)", attack.name(), options.seconds(),
                        options.attackers());
                runAttackPhase(innocent, attack);
            }
            server.deploy("hostile", hostile);
            betweenPhases();
            OpenLoopLoad.Result after = innocent.run(options.rate(), options.seconds(), false);
            record("after (innocent alone again)", "", after, Map.of());
        } finally {
            innocent.close();
        }
    }

    private void runAttackPhase(OpenLoopLoad innocent, Attack attack) throws Exception {
        byte[] request = LoopbackHttpClient.get(BenchServer.host("hostile"), "/" + attack.name());
        List<AttackLoop> attackers = new ArrayList<>();
        for (int i = 0; i < options.attackers(); i++) {
            attackers.add(new AttackLoop(server.server().port(), request, attack.readLimit(), "attacker-" + i));
        }
        attackers.forEach(AttackLoop::start);
        OpenLoopLoad.Result result;
        try {
            result = innocent.run(options.rate(), options.seconds(), false);
        } finally {
            for (AttackLoop a : attackers) {
                a.stop();
            }
        }
        Map<String, Long> outcomes = new LinkedHashMap<>();
        for (AttackLoop a : attackers) {
            a.join();
            a.outcomes().forEach((label, n) -> outcomes.merge(label, n, Long::sum));
        }
        record(attack.name(), attack.description(), result, outcomes);
    }

    /** Lets the last phase's garbage go before the next one, so that it does not land on the next phase's figures. */
    private static void betweenPhases() throws InterruptedException {
        System.gc();
        Thread.sleep(500);
    }

    private void record(String name, String attack, OpenLoopLoad.Result result, Map<String, Long> outcomes)
            throws IOException {
        Phase phase = new Phase(name, attack, result, outcomes);
        phases.add(phase);
        LOG.info("{}: {} requests, {} errors, p50 {} ms, p99 {} ms, max {} ms, {} found no free connection{}{}", name,
                result.requests(), result.errors(), millis(result.percentile(50)), millis(result.percentile(99)),
                millis(result.max()), result.noFreeConnection(),
                outcomes.isEmpty() ? "" : "; attacker: " + outcomes(outcomes),
                result.errorSamples().isEmpty() ? "" : "; innocent errors: " + result.errorSamples());
        // The table so far, after every phase: an attack that takes the server down leaves the rows before it.
        String table = table();
        if (options.output() != null) {
            Files.writeString(options.output(), settings + "\n" + table, StandardCharsets.UTF_8);
        }
        if (phases.size() == options.attacks().size() + 3) {
            System.out.println(table);
        }
    }

    private String table() {
        long baselineP99 = phases.size() > 1 ? phases.get(1).innocent().percentile(99) : 0;
        StringBuilder t = new StringBuilder();
        t.append("| phase | innocent requests | errors | p50 ms | p99 ms | max ms | p99 / baseline p99 "
                + "| no free connection | attacker got |\n");
        t.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (int i = 0; i < phases.size(); i++) {
            Phase p = phases.get(i);
            OpenLoopLoad.Result r = p.innocent();
            String ratio = i == 0 || baselineP99 == 0 ? ""
                    : String.format(Locale.ROOT, "%.2f", (double) r.percentile(99) / baselineP99);
            String name = p.attack().isEmpty() ? p.name() : "`" + p.name() + "`: " + p.attack();
            t.append("| ").append(name)
                    .append(" | ").append(r.requests())
                    .append(" | ").append(r.errors())
                    .append(" | ").append(millis(r.percentile(50)))
                    .append(" | ").append(millis(r.percentile(99)))
                    .append(" | ").append(millis(r.max()))
                    .append(" | ").append(ratio)
                    .append(" | ").append(r.noFreeConnection())
                    .append(" | ").append(outcomes(p.attackerOutcomes()).replace("|", "\\|"))
                    .append(" |\n");
        }
        for (Phase p : phases) {
            for (String error : p.innocent().errorSamples()) {
                t.append("\n- innocent error in ").append(p.name()).append(": ").append(error.replace("|", "\\|"));
            }
        }
        return t.toString();
    }

    private static String outcomes(Map<String, Long> outcomes) {
        return outcomes.entrySet().stream().map(e -> e.getKey() + " x " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** Milliseconds with three significant digits or more (0.123, 1.23, 12.3, 123). */
    static String millis(long nanos) {
        double ms = nanos / 1e6;
        String format = ms < 1 ? "%.3f" : ms < 10 ? "%.2f" : ms < 100 ? "%.1f" : "%.0f";
        return String.format(Locale.ROOT, format, ms);
    }

    private static String settings(ServerConfig config, Options options) {
        var isolates = config.isolates();
        return String.format(Locale.ROOT, """
                Noisy-neighbour latency, %s
                - server: %d event loop(s) (default: one per core; %d cores), cpu-ms %d, memory-mb %d, \
                response-timeout-ms %d, %d pre-warmed contexts, JVM max heap %d MiB (%s)
                - innocent: %d requests/s open loop over %d keep-alive connection(s), latency from each request's \
                due time; \
                "no free connection": requests due while every connection was busy (their wait counts in their latency)
                - phases: %d s warm-up, then %d s each; %d attacker connection(s) per attack, back to back
                """, Instant.now().truncatedTo(ChronoUnit.SECONDS), config.eventLoops(),
                Runtime.getRuntime().availableProcessors(), isolates.requestCpuLimit().toMillis(),
                isolates.memoryLimitBytes() / MIB, isolates.responseTimeout().toMillis(), isolates.prewarmedContexts(),
                Runtime.getRuntime().maxMemory() / MIB,
                ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName())
                        .collect(Collectors.joining(", ")),
                options.rate(), options.connections(), options.warmupSeconds(), options.seconds(), options.attackers());
    }

    /** One attacker connection's thread: the attack back to back until stopped, each outcome counted. */
    private static final class AttackLoop {
        private final AttackClient client;
        private final byte[] request;
        private final long readLimit;
        private final Thread thread;
        private final Map<String, Long> outcomes = new LinkedHashMap<>();
        private volatile boolean stopped;

        AttackLoop(int port, byte[] request, long readLimit, String name) {
            this.client = new AttackClient(port);
            this.request = request;
            this.readLimit = readLimit;
            this.thread = Thread.ofPlatform().name(name).unstarted(this::loop);
        }

        void start() {
            thread.start();
        }

        void stop() {
            stopped = true;
        }

        void join() throws InterruptedException {
            thread.join();
            client.close();
        }

        /** The outcomes, once {@link #join} returned. */
        Map<String, Long> outcomes() {
            return outcomes;
        }

        private void loop() {
            while (!stopped) {
                String label;
                try {
                    label = label(client.exchange(request, readLimit, () -> stopped));
                } catch (IOException e) {
                    if (stopped) {
                        return; // cut off by the end of the phase: not an outcome
                    }
                    label = "I/O error (" + e.getMessage() + ")";
                    LockSupport.parkNanos(10_000_000); // no busy loop when the server refuses connections
                }
                outcomes.merge(label, 1L, Long::sum);
            }
        }

        /**
         * E.g. {@code 503 "Exceeded CPU time limit"}, {@code 200, 1 MiB read then closed}, {@code 200, body cut off by
         * the server after 412 MiB}.
         */
        private static String label(AttackClient.Outcome o) {
            StringBuilder label = new StringBuilder().append(o.status());
            if (o.cut()) {
                label.append(", body cut off by the server after ").append(o.bodyBytes() / MIB).append(" MiB");
            } else if (o.bodyBytes() >= MIB) {
                label.append(", ").append(o.bodyBytes() / MIB).append(" MiB read");
                if (!o.complete()) {
                    label.append(" then closed");
                }
            } else {
                String text = o.firstLine().replaceAll(" \\(request [^)]*\\)\\.?$", "").strip();
                if (text.startsWith("kept ")) {
                    text = text.endsWith("at the cap") ? "kept N MiB, at the cap" : "kept N MiB"; // counts up
                }
                if (!text.isEmpty()) {
                    label.append(" \"").append(text.length() > 50 ? text.substring(0, 50) + "..." : text).append('"');
                }
            }
            return label.toString();
        }
    }
}
