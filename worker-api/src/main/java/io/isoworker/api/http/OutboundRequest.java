package io.isoworker.api.http;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One outbound HTTP request.
 *
 * @param method     the request method, as the guest normalized it
 * @param url        an absolute http: or https: URL
 * @param headers    the guest's headers (lower-case names); framing and connection headers are the client's to set
 * @param body       the whole body, or {@code null} when there is none or it is {@code streamed}
 * @param streamed   true when the body follows through {@link OutboundCall#write} and {@link OutboundCall#end}
 * @param hops       the value of {@link OutboundHttp#HOP_HEADER} to send
 * @param scriptName the script making the request, for logs
 */
public record OutboundRequest(String method, String url, List<Map.Entry<String, String>> headers, byte[] body,
        boolean streamed, int hops, String scriptName) {

    public OutboundRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(scriptName, "scriptName");
    }
}
