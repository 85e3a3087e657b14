package io.isoworker.api.host;

/**
 * What a loaded isolate offers the host objects of its context: re-entering the guest on the isolate's own thread,
 * timers, and tracking of work that outlives a response ({@code ctx.waitUntil}). A context gets it when a worker is
 * loaded into it ({@link HostBridge#bind}); during the worker's top-level evaluation there is none yet, as on
 * Workers, where timers and I/O are not allowed in the global scope.
 */
public interface IsolateServices {

    /**
     * Runs {@code callback} later on the isolate's own thread, inside the guest's limits. Callable from any thread;
     * never runs the callback synchronously. Dropped if the isolate is closed by then.
     */
    void reenter(Runnable callback);

    /** After {@code delayMillis}, calls the prelude's timer dispatcher with {@code id} on the isolate's thread. */
    void setTimer(int id, long delayMillis);

    /** Cancels a timer set with {@link #setTimer}; unknown ids are ignored. */
    void clearTimer(int id);

    /** Work that must finish after the response started: the isolate stays open until it ends (or times out). */
    void backgroundStarted();

    /** One {@link #backgroundStarted} piece of work ended. */
    void backgroundEnded();
}
