package io.isoworker.api.host;

import java.nio.ByteBuffer;

import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

import io.isoworker.api.http.RequestBodySource;

/**
 * The prelude's end of a streamed request body: the guest's byte stream pulls through it, and each chunk, the end or
 * an error reaches the guest later through a re-entry on the isolate's own thread.
 */
public final class RequestBodyChannel implements RequestBodySource.Receiver {

    private final RequestBodySource source;
    private final HostBridge host;
    private Value onData;
    private Value onEnd;
    private Value onError;
    /** Set when the guest opens the body: the invocation that reads it. */
    private volatile GuestEntry entry;

    RequestBodyChannel(RequestBodySource source, HostBridge host) {
        this.source = source;
        this.host = host;
    }

    /** @param onData a function taking a ByteBuffer; onEnd a function; onError a function taking a message */
    @HostAccess.Export
    public void open(Value onData, Value onEnd, Value onError) {
        this.onData = onData;
        this.onEnd = onEnd;
        this.onError = onError;
        IsolateServices services = host.services();
        this.entry = services == null ? null : services.bodyEntry();
        source.open(this);
    }

    @HostAccess.Export
    public void pull() {
        source.pull();
    }

    @HostAccess.Export
    public void cancel() {
        source.cancel();
    }

    @Override
    public void onData(byte[] chunk) {
        reenter(() -> onData.executeVoid(ByteBuffer.wrap(chunk)));
    }

    @Override
    public void onEnd() {
        reenter(() -> onEnd.executeVoid());
    }

    @Override
    public void onError(String message) {
        reenter(() -> onError.executeVoid(message));
    }

    private void reenter(Runnable callback) {
        GuestEntry e = entry;
        if (e != null) {
            e.enter(callback);
        }
    }
}
