package io.isoworker.runtime.observe;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.api.http.InvocationSummary;

/**
 * One line per request on the logger {@code isoworker.access}, in logfmt ({@code key=value}, values with spaces
 * quoted), e.g. {@code script=hello status=200 outcome=ok cpu_ms=0.31 wall_ms=1.20 method=GET path=/ request=1a2b
 * version=9f0c cold=false}. The default Logback configuration writes these lines to the standard error in batches
 * ({@link BatchedStderrAppender}). Turn it off by setting that logger's level to OFF.
 */
public final class AccessLog {

    /** The logger's name. */
    public static final String LOGGER = "isoworker.access";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    /** A request that reached the worker. */
    public void request(String script, String version, String requestId, String method, String url, int status,
            InvocationSummary s) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        StringBuilder line = new StringBuilder(160);
        line.append("script=").append(script).append(" status=").append(status).append(" outcome=")
                .append(s.outcome()).append(" cpu_ms=");
        millis(line, s.cpuNanos());
        line.append(" wall_ms=");
        millis(line, s.wallNanos());
        line.append(" method=").append(method).append(" path=");
        quoted(line, path(url));
        line.append(" request=").append(requestId).append(" version=").append(version).append(" cold=")
                .append(s.coldStart());
        LOG.info(line.toString());
    }

    /** A request answered without running the worker (no such worker, a limit, a bad request). */
    public void refused(String script, String requestId, String method, String url, int status, String reason) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        StringBuilder line = new StringBuilder(160);
        line.append("script=").append(script == null ? "-" : script).append(" status=").append(status)
                .append(" outcome=refused reason=");
        quoted(line, reason);
        line.append(" method=").append(method).append(" path=");
        quoted(line, path(url));
        if (requestId != null) {
            line.append(" request=").append(requestId);
        }
        LOG.info(line.toString());
    }

    /** Milliseconds with two decimals, without the cost of String.format. */
    static void millis(StringBuilder line, long nanos) {
        long hundredths = (Math.max(0, nanos) + 5_000) / 10_000;
        long fraction = hundredths % 100;
        line.append(hundredths / 100).append('.').append(fraction < 10 ? "0" : "").append(fraction);
    }

    /** The path and query of a URL the worker saw. */
    private static String path(String url) {
        int scheme = url.indexOf("://");
        int slash = scheme < 0 ? url.indexOf('/') : url.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : url.substring(slash);
    }

    private static void quoted(StringBuilder line, String value) {
        boolean plain = !value.isEmpty();
        for (int i = 0; i < value.length() && plain; i++) {
            char c = value.charAt(i);
            plain = c > ' ' && c != '"' && c != '\\' && c < 0x7f;
        }
        if (plain) {
            line.append(value);
            return;
        }
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\').append(c);
            } else if (c < ' ' || c == 0x7f) {
                line.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                line.append(c);
            }
        }
        line.append('"');
    }
}
