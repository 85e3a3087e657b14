package io.isoworker.api.http;

/**
 * Outbound HTTP for guest {@code fetch()}: one request and its response, no redirects followed (the prelude follows
 * them, so every hop goes through {@link #send} and its egress checks). Implemented by the server; {@link #NONE}
 * refuses every request.
 *
 * <p>{@link #send} is called on the thread that runs the guest (an event loop); the implementation never blocks it,
 * and calls the {@link OutboundListener} back on that same event loop.
 */
public interface OutboundHttp {

    /**
     * The header that counts how many workers a request has passed through. A worker's outgoing requests carry the
     * incoming count plus one; the server refuses incoming requests past {@link #MAX_HOPS}, so a worker that fetches
     * itself stops after a bounded number of rounds.
     */
    String HOP_HEADER = "isoworker-hops";

    /** The most hops an incoming request may have made through workers. */
    int MAX_HOPS = 16;

    /** Sends {@code request}; events about it go to {@code listener}. */
    OutboundCall send(OutboundRequest request, OutboundListener listener);

    /** How many outbound requests (redirect hops included) one incoming request may make. */
    int subrequestLimit();

    /** The hop count a request's {@link #HOP_HEADER} value says: 0 when absent or malformed. */
    static int hops(String headerValue) {
        if (headerValue == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(headerValue.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** No network: every request fails (warm-up, benchmarks, embedders that give workers no egress). */
    OutboundHttp NONE = new OutboundHttp() {
        @Override
        public OutboundCall send(OutboundRequest request, OutboundListener listener) {
            listener.onError("Network connection failed: this server gives workers no outbound network.");
            return OutboundCall.CLOSED;
        }

        @Override
        public int subrequestLimit() {
            return 50;
        }
    };
}
