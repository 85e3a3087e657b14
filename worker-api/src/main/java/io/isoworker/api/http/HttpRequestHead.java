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
    private final RequestCf cf;

    /**
     * @param body the whole request body, or {@code null} when the request has none
     */
    public HttpRequestHead(String method, String url, List<Map.Entry<String, String>> headers, ByteBuffer body) {
        this(method, url, headers, body, null);
    }

    /**
     * @param body the whole request body, or {@code null} when the request has none
     * @param cf the connection facts for {@code request.cf}, or {@code null} to leave {@code request.cf} undefined
     */
    public HttpRequestHead(String method, String url, List<Map.Entry<String, String>> headers, ByteBuffer body,
            RequestCf cf) {
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
        this.cf = cf;
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

    @HostAccess.Export
    public boolean hasCf() {
        return cf != null;
    }

    @HostAccess.Export
    public String cfColo() {
        return cf.colo();
    }

    @HostAccess.Export
    public String cfHttpProtocol() {
        return cf.httpProtocol();
    }

    @HostAccess.Export
    public String cfTlsVersion() {
        return cf.tlsVersion();
    }

    @HostAccess.Export
    public String cfTlsCipher() {
        return cf.tlsCipher();
    }

    /** The client's TCP round-trip time in milliseconds, or -1 when unknown. */
    @HostAccess.Export
    public double cfClientTcpRtt() {
        return cf.clientTcpRtt();
    }
}
