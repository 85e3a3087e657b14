package io.isoworker.api.http;

/**
 * An incoming request body that arrives chunk by chunk, with back-pressure: nothing is delivered until the consumer
 * asks with {@link #pull}, and each pull delivers at most one chunk (or the end, or an error). Implemented by the
 * server that received the request; all methods are called on the thread that runs the guest's context.
 */
public interface RequestBodySource {

    /** Where the body goes. Calls arrive in order: any number of {@link #onData}, then one of the others. */
    interface Receiver {
        void onData(byte[] chunk);

        void onEnd();

        /** The body cannot be read to its end: the client went away, or it passed the size limit. */
        void onError(String message);
    }

    /** Sets the receiver; called once, before the first {@link #pull}. */
    void open(Receiver receiver);

    /** Asks for the next chunk. */
    void pull();

    /** The consumer does not want the rest: the server reads and drops it. */
    void cancel();
}
