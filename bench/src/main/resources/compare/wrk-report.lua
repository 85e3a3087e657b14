-- wrk script of bench/compare: prints the run's numbers as one parseable line (exact percentiles, in microseconds,
-- and wrk's error counts; "status" counts answers with a status of 400 or more).
done = function(summary, latency, requests)
  io.write(string.format(
    "COMPARE-RESULT requests=%d duration_us=%d p50_us=%.1f p99_us=%.1f connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
end
