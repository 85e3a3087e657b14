package io.isoworker.api.http;

/** Control of one outbound request in flight. Call on the event loop that sent it. */
public interface OutboundCall {

    /**
     * Sends a chunk of a streamed request body.
     *
     * @return false when the connection's buffer is full (or not connected yet): wait for {@link #onWritable}
     */
    boolean write(byte[] chunk);

    /** Runs {@code next} once more body may be written (at once when it may be now). */
    void onWritable(Runnable next);

    /** Ends a streamed request body. */
    void end();

    /** Asks for the next chunk of the response body. */
    void pull();

    /** Abandons the request and its response; no more events follow. */
    void cancel();

    /**
     * Reads the rest of the response body and drops it, so the connection can serve another request (a redirect's
     * body); no more events follow.
     */
    void discard();

    /** A call that is already over. */
    OutboundCall CLOSED = new OutboundCall() {
        @Override
        public boolean write(byte[] chunk) {
            return true;
        }

        @Override
        public void onWritable(Runnable next) {
        }

        @Override
        public void end() {
        }

        @Override
        public void pull() {
        }

        @Override
        public void cancel() {
        }

        @Override
        public void discard() {
        }
    };
}
