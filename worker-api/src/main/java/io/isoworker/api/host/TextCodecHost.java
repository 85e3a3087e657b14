package io.isoworker.api.host;

import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

import io.isoworker.api.host.text.Encodings;
import io.isoworker.api.host.text.Utf8Decoder;

/**
 * Host side of TextDecoder and the body readers (prelude {@code encoding.js}): encoding labels and the decoders of
 * the Encoding Standard. Stateless; each TextDecoder that needs one gets its own {@link TextDecoderHost}.
 */
public final class TextCodecHost {

    static final TextCodecHost INSTANCE = new TextCodecHost();

    private TextCodecHost() {
    }

    /** The canonical lower-case name of the encoding with this label ({@code replacement} included), or null. */
    @HostAccess.Export
    public String encodingName(String label) {
        return Encodings.nameOf(label);
    }

    /** A streaming decoder for the encoding with this canonical name. */
    @HostAccess.Export
    public TextDecoderHost decoder(String name, boolean fatal) {
        return new TextDecoderHost(Encodings.newDecoder(name, fatal));
    }

    /** Decodes bytes of an ArrayBuffer as UTF-8, malformed sequences becoming U+FFFD (no BOM handling). */
    @HostAccess.Export
    public String utf8Decode(Value buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.readBuffer(offset, bytes, 0, length);
        return Utf8Decoder.decodeReplacing(bytes, 0, length);
    }
}
