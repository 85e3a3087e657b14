package io.isoworker.api.http;

import java.util.List;
import java.util.Map;

/**
 * Events of one outbound request, called on the event loop that sent it. After {@link #onEnd} or {@link #onError}
 * nothing more is called.
 */
public interface OutboundListener {

    /** The response head arrived. Its body then comes chunk by chunk, one chunk per {@link OutboundCall#pull}. */
    void onResponse(int status, String statusText, List<Map.Entry<String, String>> headers);

    /** A chunk of the response body (already decoded when the server sent it gzip- or deflate-encoded). */
    void onData(byte[] chunk);

    /** The response body ended. */
    void onEnd();

    /**
     * The request failed: refused egress, DNS, connect, TLS, a timeout or a lost connection, before or after the
     * response head.
     *
     * @param message what went wrong, worded for the guest's {@code TypeError}
     */
    void onError(String message);
}
