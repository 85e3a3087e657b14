package io.isoworker.api.host;

import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

import io.isoworker.api.http.ResponseSink;

/**
 * The object through which the prelude hands a guest {@code Response} to the host: status and headers, then the
 * body chunk by chunk with back-pressure.
 */
public final class ResponseBridge {

    private final ResponseSink sink;
    private final GuestEntry entry;

    public ResponseBridge(ResponseSink sink, GuestEntry entry) {
        this.sink = sink;
        this.entry = entry;
    }

    /** @param headers a flat JavaScript array {@code [name0, value0, name1, value1, ...]} */
    @HostAccess.Export
    public void start(int status, Value headers, double contentLength) {
        sink.start(GuestHeaders.status(status), GuestHeaders.read(headers), (long) contentLength);
    }

    /** @param chunk an ArrayBuffer */
    @HostAccess.Export
    public boolean write(Value chunk) {
        int size = (int) chunk.getBufferSize();
        byte[] bytes = new byte[size];
        chunk.readBuffer(0, bytes, 0, size);
        return sink.write(bytes);
    }

    /** @param callback a JavaScript function called (with no arguments) when more may be written */
    @HostAccess.Export
    public void onDrain(Value callback) {
        sink.onDrain(() -> entry.enter(() -> callback.executeVoid()));
    }

    @HostAccess.Export
    public void end() {
        sink.end();
    }

    @HostAccess.Export
    public void fail(String message, String stack) {
        sink.fail(message, stack);
    }

    @HostAccess.Export
    public boolean clientGone() {
        return sink.clientGone();
    }
}
