package io.isoworker.api.host;

/**
 * What a loaded isolate offers the host objects of its context: re-entering the guest on the isolate's own thread,
 * timers, and tracking of work that outlives a response ({@code ctx.waitUntil}). A context gets it when a worker is
 * loaded into it ({@link HostBridge#bind}); during the worker's top-level evaluation there is none yet, as on
 * Workers, where timers and I/O are not allowed in the global scope.
 */
public interface IsolateServices {

    /**
     * The way back into the guest for the invocation (the incoming request, with its {@code waitUntil} work) whose
     * code runs now: call it on the isolate's thread when guest code starts asynchronous work, and keep it for the
     * completion. Its {@link GuestEntry#enter} is callable from any thread; it runs the callback later on the
     * isolate's own thread, charged to that invocation's limits, and never synchronously. The callback is dropped
     * if the isolate is closed, or the invocation cancelled, by then.
     */
    GuestEntry entry();

    /**
     * Like {@link #entry}, for the chunks of a streamed body (a fetch response's, a request's): each run of guest code
     * it starts gets the CPU limit for itself instead of counting towards the invocation's, since on Workers moving a
     * body along is the runtime's work, not the script's. A stream still goes on only as long as each run stays
     * within the limit.
     */
    GuestEntry bodyEntry();

    /** After {@code delayMillis}, calls the prelude's timer dispatcher with {@code id} on the isolate's thread. */
    void setTimer(int id, long delayMillis);

    /** Cancels a timer set with {@link #setTimer}; unknown ids are ignored. */
    void clearTimer(int id);

    /** Work that must finish after the response started: the isolate stays open until it ends (or times out). */
    void backgroundStarted();

    /** One {@link #backgroundStarted} piece of work ended. */
    void backgroundEnded();

    /**
     * The invocation running now has {@code waitUntil} work that outlived its time limit: once its response is
     * over, whatever the invocation still has pending (timers, fetches, I/O callbacks) is cancelled.
     */
    void backgroundAbandoned();

    /** How long {@code waitUntil} work may take, in milliseconds. */
    long waitUntilLimitMillis();

    /**
     * A console call of the code running now: kept with its invocation when that invocation is traced. The line has
     * been logged already.
     *
     * @param level {@code debug}, {@code info}, {@code log}, {@code warn} or {@code error}
     */
    void consoleLine(String level, String message);

    /** Guest code running now made a subrequest or a KV operation: counted for its invocation. */
    void used(Use use);

    /** What {@link #used} counts. */
    enum Use {
        SUBREQUEST, KV_READ, KV_WRITE, KV_DELETE, KV_LIST
    }
}
