package io.isoworker.api.http;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.graalvm.polyglot.HostAccess;

/**
 * An incoming HTTP request as the prelude reads it to build the guest's {@code Request}. Only the methods marked
 * {@link HostAccess.Export} are visible to JavaScript, and only the prelude holds a reference to this object.
 */
public final class HttpRequestHead {

    private final String method;
    private final String url;
    private final String[] headerNames;
    private final String[] headerValues;
    private final ByteBuffer body;

    /**
     * @param body the whole request body, or {@code null} when the request has none
     */
    public HttpRequestHead(String method, String url, List<Map.Entry<String, String>> headers, ByteBuffer body) {
        this.method = Objects.requireNonNull(method, "method");
        this.url = Objects.requireNonNull(url, "url");
        int n = headers.size();
        this.headerNames = new String[n];
        this.headerValues = new String[n];
        for (int i = 0; i < n; i++) {
            Map.Entry<String, String> h = headers.get(i);
            headerNames[i] = h.getKey();
            headerValues[i] = h.getValue();
        }
        this.body = body;
    }

    @HostAccess.Export
    public String method() {
        return method;
    }

    @HostAccess.Export
    public String url() {
        return url;
    }

    @HostAccess.Export
    public int headerCount() {
        return headerNames.length;
    }

    @HostAccess.Export
    public String headerName(int i) {
        return headerNames[i];
    }

    @HostAccess.Export
    public String headerValue(int i) {
        return headerValues[i];
    }

    @HostAccess.Export
    public boolean hasBody() {
        return body != null;
    }

    /** The body as a read-only buffer the prelude copies into an ArrayBuffer. */
    @HostAccess.Export
    public ByteBuffer body() {
        return body == null ? null : body.asReadOnlyBuffer();
    }
}
