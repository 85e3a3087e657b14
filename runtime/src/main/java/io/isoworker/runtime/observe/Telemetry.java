package io.isoworker.runtime.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.isoworker.api.http.HttpRequestHead;
import io.isoworker.api.http.InvocationSummary;

/**
 * Where the end of every request and cron run is reported: the access log, the metrics (serve only) and the live
 * tails. One instance per server; the traffic handlers and the cron triggers call it on the guest thread that ran
 * the invocation, so each step is kept short.
 */
public final class Telemetry {

    private final AccessLog access = new AccessLog();
    private final WorkerMetrics metrics;
    private final TailSessions tails;

    /**
     * @param metrics null for none (dev)
     * @param tails   null for none (dev)
     */
    public Telemetry(WorkerMetrics metrics, TailSessions tails) {
        this.metrics = metrics;
        this.tails = tails;
    }

    /** The metrics, or null. */
    public WorkerMetrics metrics() {
        return metrics;
    }

    /** The tails, or null. */
    public TailSessions tails() {
        return tails;
    }

    /** Whether invocations of {@code script} should collect their console lines and exceptions. */
    public boolean traced(String script) {
        return tails != null && tails.attached(script);
    }

    /** A request that ran the worker is over. */
    public void request(String script, String version, String requestId, HttpRequestHead request, int status,
            InvocationSummary s) {
        access.request(script, version, requestId, request.method(), request.url(), status, s);
        if (metrics != null) {
            metrics.request(script, status, s);
        }
        if (tails != null && tails.attached(script)) {
            List<Map.Entry<String, String>> headers = new ArrayList<>(request.headerCount());
            for (int i = 0; i < request.headerCount(); i++) {
                headers.add(Map.entry(request.headerName(i), request.headerValue(i)));
            }
            tails.request(script, version, new TraceEvent.Request(request.method(), request.url(), headers, status),
                    s);
        }
    }

    /**
     * A request answered without running the worker.
     *
     * @param script the script it was for, or null when none is routed
     * @param limit  the limit that refused it, for the metrics, or null
     */
    public void refused(String script, String requestId, String method, String url, int status, String reason,
            String limit) {
        access.refused(script, requestId, method, url, status, reason);
        if (metrics != null && script != null) {
            metrics.refused(script, status, limit);
        }
    }

    /** A cron run is over. */
    public void scheduled(String script, String version, String cron, long scheduledTime, InvocationSummary s) {
        if (metrics != null) {
            metrics.scheduled(script, s);
        }
        if (tails != null && tails.attached(script)) {
            tails.scheduled(script, version, cron, scheduledTime, s);
        }
    }

    /** A due cron run was skipped: the previous one still ran. */
    public void cronSkipped(String script) {
        if (metrics != null) {
            metrics.cronSkipped(script);
        }
    }

    /** A script was deleted. */
    public void forget(String script) {
        if (metrics != null) {
            metrics.forget(script);
        }
        if (tails != null) {
            tails.forget(script);
        }
    }
}
