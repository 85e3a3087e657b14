package io.isoworker.api.host;

import org.graalvm.polyglot.HostAccess;

import io.isoworker.api.http.HttpRequestHead;

/** Host support for the Streams family: compression sessions and streamed request bodies. */
public final class StreamsHost {

    private final HostBridge host;

    StreamsHost(HostBridge host) {
        this.host = host;
    }

    /**
     * @param format   {@code gzip}, {@code deflate} or {@code deflate-raw} (validated by the prelude)
     * @param compress true for a CompressionStream, false for a DecompressionStream
     */
    @HostAccess.Export
    public CompressionHost.Session compression(String format, boolean compress) {
        return CompressionHost.open(format, compress);
    }

    /** The channel a request's streamed body reaches the guest through. */
    @HostAccess.Export
    public RequestBodyChannel requestBody(HttpRequestHead head) {
        return new RequestBodyChannel(head.bodySource(), host);
    }
}
