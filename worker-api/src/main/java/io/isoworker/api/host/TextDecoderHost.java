package io.isoworker.api.host;

import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

import io.isoworker.api.host.text.ByteDecoder;

/** The decoder state of one TextDecoder: what a streaming decode keeps between calls. */
public final class TextDecoderHost {

    private final ByteDecoder decoder;

    TextDecoderHost(ByteDecoder decoder) {
        this.decoder = decoder;
    }

    /**
     * Decodes {@code length} bytes of an ArrayBuffer from {@code offset}. Unless {@code stream}, the end of the input
     * is processed and the decoder starts afresh for the next call.
     *
     * @return the text, or null when a fatal decoder met malformed input (the decoder is then reset)
     */
    @HostAccess.Export
    public String decode(Value buffer, int offset, int length, boolean stream) {
        byte[] bytes = new byte[length];
        if (length > 0) {
            buffer.readBuffer(offset, bytes, 0, length);
        }
        return decoder.decodeToString(bytes, length, !stream);
    }

    /** Drops any partial sequence, as a new decoder. */
    @HostAccess.Export
    public void reset() {
        decoder.reset();
    }
}
