package io.isoworker.api.host;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

import io.isoworker.api.http.HttpRequestHead;
import io.isoworker.api.http.OutboundCall;
import io.isoworker.api.http.OutboundHttp;
import io.isoworker.api.http.OutboundListener;
import io.isoworker.api.http.OutboundRequest;

/**
 * One outbound request as the prelude sees it. Events from the network re-enter the guest on the isolate's own thread
 * ({@link IsolateServices#entry}) and call the prelude's listener; once the guest cancelled the request, or it
 * ended or failed, no more events reach the guest.
 */
public final class FetchCall implements OutboundListener {

    /** What the guest sees when the request a fetch was made for finished before the fetch did. */
    static final String ABANDONED = "The fetch() was cancelled: the request it was made for has finished.";

    private final GuestEntry entry;
    private final GuestEntry bodyEntry;
    private final FetchHost host;
    private final HttpRequestHead owner;
    private final Value onHead;
    private final Value onData;
    private final Value onEnd;
    private final Value onError;
    private OutboundCall call = OutboundCall.CLOSED;
    private boolean over;

    FetchCall(IsolateServices services, Value listener, FetchHost host, HttpRequestHead owner) {
        this.entry = services.entry();
        this.bodyEntry = services.bodyEntry();
        this.host = host;
        this.owner = owner;
        this.onHead = listener.getMember("head");
        this.onData = listener.getMember("data");
        this.onEnd = listener.getMember("end");
        this.onError = listener.getMember("error");
    }

    void begin(OutboundHttp http, OutboundRequest request) {
        OutboundCall started = http.send(request, this);
        if (over) {
            started.cancel();
        } else {
            call = started;
        }
    }

    // ---- from the network (the event loop), delivered to the guest through the isolate

    @Override
    public void onResponse(int status, String statusText, List<Map.Entry<String, String>> headers) {
        StringBuilder lines = new StringBuilder(headers.size() * 32);
        for (Map.Entry<String, String> h : headers) {
            if (!lines.isEmpty()) {
                lines.append('\n');
            }
            lines.append(h.getKey()).append('\n').append(h.getValue());
        }
        String headerLines = lines.toString();
        entry.enter(() -> {
            if (!over) {
                onHead.executeVoid(status, statusText, headerLines);
            }
        });
    }

    @Override
    public void onData(byte[] chunk) {
        bodyEntry.enter(() -> {
            if (!over) {
                onData.executeVoid(ByteBuffer.wrap(chunk));
            }
        });
    }

    @Override
    public void onEnd() {
        entry.enter(() -> {
            if (!over) {
                finish();
                onEnd.executeVoid();
            }
        });
    }

    @Override
    public void onError(String message) {
        entry.enter(() -> {
            if (!over) {
                finish();
                onError.executeVoid(message);
            }
        });
    }

    /** Cancels the request and tells the guest, if it is still waiting for it. */
    void abandon() {
        if (!over) {
            call.cancel();
            onError(ABANDONED);
        }
    }

    private void finish() {
        over = true;
        host.over(this, owner);
    }

    // ---- from the guest

    /** @param chunk an ArrayBuffer of the streamed request body */
    @HostAccess.Export
    public boolean write(Value chunk) {
        byte[] bytes = new byte[(int) chunk.getBufferSize()];
        chunk.readBuffer(0, bytes, 0, bytes.length);
        return over || call.write(bytes);
    }

    /** @param next a JavaScript function called (with no arguments) when more body may be written */
    @HostAccess.Export
    public void onWritable(Value next) {
        call.onWritable(() -> entry.enter(next::executeVoid));
    }

    @HostAccess.Export
    public void end() {
        call.end();
    }

    @HostAccess.Export
    public void pull() {
        call.pull();
    }

    /** Drops the rest of the response body (a redirect's), keeping the connection for reuse. */
    @HostAccess.Export
    public void discard() {
        if (!over) {
            finish();
            call.discard();
        }
    }

    @HostAccess.Export
    public void cancel() {
        if (!over) {
            finish();
            call.cancel();
        }
    }
}
