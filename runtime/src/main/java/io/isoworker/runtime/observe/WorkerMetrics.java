package io.isoworker.runtime.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.isoworker.api.http.InvocationSummary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The server's metrics, per script, in a Micrometer registry that the admin listener serves in Prometheus' text
 * format ({@code GET /metrics}). Vert.x's own metrics (event loops, HTTP connections, pools) are in the same registry.
 *
 * <p>A script's meters are made on its first request and then found with one map lookup per request; the live
 * isolates per script are counted when the registry is scraped.
 */
public final class WorkerMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, ScriptMeters> scripts = new ConcurrentHashMap<>();
    private final MultiGauge liveIsolates = MultiGauge.builder("isoworker.isolates.live")
            .description("Loaded isolates (script versions in contexts), per script").register(registry);
    private volatile Supplier<Map<String, Long>> isolatesPerScript = Map::of;

    /** The registry, for Vert.x's metrics and for other parts of the server that count things. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Where the live isolates per script come from (the isolate pool): read at each scrape. */
    public void watchIsolates(Supplier<Map<String, Long>> perScript) {
        this.isolatesPerScript = perScript;
    }

    /** One request that reached a worker is over. */
    public void request(String script, int status, InvocationSummary s) {
        ScriptMeters m = meters(script);
        m.status(status).increment();
        m.cpu.record(s.cpuNanos(), TimeUnit.NANOSECONDS);
        m.wall.record(s.wallNanos(), TimeUnit.NANOSECONDS);
        usage(m, s);
    }

    /** One cron run is over. */
    public void scheduled(String script, InvocationSummary s) {
        ScriptMeters m = meters(script);
        m.cronRuns.increment();
        m.cpu.record(s.cpuNanos(), TimeUnit.NANOSECONDS);
        usage(m, s);
        if (!InvocationSummary.OK.equals(s.outcome())) {
            m.cronFailures.increment();
        }
    }

    /** A due cron run was skipped because the previous one was still running. */
    public void cronSkipped(String script) {
        meters(script).cronSkips.increment();
    }

    /**
     * A request refused before it reached the worker: {@code limit} is what refused it
     * ({@code concurrency}, {@code cooloff}, {@code request_body}, {@code startup}), or null for other refusals.
     */
    public void refused(String script, int status, String limit) {
        ScriptMeters m = meters(script);
        m.status(status).increment();
        if (limit != null) {
            m.limitHit(limit).increment();
        }
    }

    private void usage(ScriptMeters m, InvocationSummary s) {
        if (s.coldStart()) {
            m.coldStarts.increment();
        }
        switch (s.outcome()) {
            case InvocationSummary.OK -> { }
            case InvocationSummary.EXCEPTION -> m.outcome(s.outcome()).increment();
            case InvocationSummary.EXCEEDED_CPU -> {
                m.outcome(s.outcome()).increment();
                m.limitHit("cpu").increment();
            }
            case InvocationSummary.EXCEEDED_MEMORY -> {
                m.outcome(s.outcome()).increment();
                m.limitHit("memory").increment();
            }
            default -> m.outcome(s.outcome()).increment();
        }
        InvocationSummary.Usage u = s.usage();
        if (u != InvocationSummary.Usage.NONE) {
            m.subrequests.increment(u.subrequests());
            m.kv("get").increment(u.kvReads());
            m.kv("put").increment(u.kvWrites());
            m.kv("delete").increment(u.kvDeletes());
            m.kv("list").increment(u.kvLists());
        }
    }

    /** The registry in Prometheus' text format, with the live isolates counted now. */
    public String scrape() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        isolatesPerScript.get().forEach((script, n) -> rows.add(MultiGauge.Row.of(Tags.of("script", script), n)));
        liveIsolates.register(rows, true);
        return registry.scrape();
    }

    /** Drops a deleted script's meters. */
    public void forget(String script) {
        ScriptMeters m = scripts.remove(script);
        if (m != null) {
            registry.getMeters().stream().filter(meter -> script.equals(meter.getId().getTag("script")))
                    .forEach(registry::remove);
        }
    }

    private ScriptMeters meters(String script) {
        ScriptMeters m = scripts.get(script);
        return m != null ? m : scripts.computeIfAbsent(script, ScriptMeters::new);
    }

    /** One script's meters; the ones with a second label are made on first use. */
    private final class ScriptMeters {
        final String script;
        final Timer cpu;
        final Timer wall;
        final Counter coldStarts;
        final Counter subrequests;
        final Counter cronRuns;
        final Counter cronFailures;
        final Counter cronSkips;
        private final Map<Integer, Counter> statuses = new ConcurrentHashMap<>();
        private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
        private final Map<String, Counter> limits = new ConcurrentHashMap<>();
        private final Map<String, Counter> kv = new ConcurrentHashMap<>();

        ScriptMeters(String script) {
            this.script = script;
            cpu = Timer.builder("isoworker.cpu").description("CPU time of guest code per request or cron run")
                    .tag("script", script).register(registry);
            wall = Timer.builder("isoworker.wall").description("Wall time per request, until its response ended")
                    .tag("script", script).register(registry);
            coldStarts = counter("isoworker.cold.starts", "Requests and cron runs that loaded a new isolate");
            subrequests = counter("isoworker.subrequests", "Outbound fetch() calls, each redirect hop counted");
            cronRuns = counter("isoworker.cron.runs", "Cron trigger runs");
            cronFailures = counter("isoworker.cron.failures", "Cron trigger runs that threw or hit a limit");
            cronSkips = counter("isoworker.cron.skips", "Cron runs skipped: the previous run was still going");
        }

        private Counter counter(String name, String description) {
            return Counter.builder(name).description(description).tag("script", script).register(registry);
        }

        Counter status(int status) {
            Counter c = statuses.get(status);
            return c != null ? c : statuses.computeIfAbsent(status, k -> Counter.builder("isoworker.requests")
                    .description("Requests by status").tags("script", script, "status", Integer.toString(k))
                    .register(registry));
        }

        Counter outcome(String outcome) {
            return outcomes.computeIfAbsent(outcome, k -> Counter.builder("isoworker.errors")
                    .description("Requests and cron runs that did not end ok, by trace outcome")
                    .tags("script", script, "outcome", k).register(registry));
        }

        Counter limitHit(String limit) {
            return limits.computeIfAbsent(limit, k -> Counter.builder("isoworker.limit.hits")
                    .description("Requests stopped or refused by a limit").tags("script", script, "limit", k)
                    .register(registry));
        }

        Counter kv(String op) {
            return kv.computeIfAbsent(op, k -> Counter.builder("isoworker.kv.operations")
                    .description("KV operations made by the script's code").tags("script", script, "op", k)
                    .register(registry));
        }
    }
}
