package io.isoworker.api.host.text;

/** The Encoding Standard's single-byte decoder over a 128-entry index (bytes 0x80-0xFF), and x-user-defined. */
public final class SingleByteDecoder extends ByteDecoder {

    private final char[] upperHalf;

    /** @param upperHalf the code point of each byte 0x80-0xFF, {@link Indexes#NO_CHAR} where there is none */
    public SingleByteDecoder(char[] upperHalf, boolean fatal) {
        super(fatal);
        this.upperHalf = upperHalf;
    }

    @Override
    protected boolean asciiPassesThrough() {
        return true;
    }

    @Override
    protected int step(int b, StringBuilder out) {
        if (b == END) {
            return FINISHED;
        }
        if (b < 0x80) {
            out.append((char) b);
            return CONTINUE;
        }
        char c = upperHalf[b - 0x80];
        if (c == Indexes.NO_CHAR) {
            return ERROR;
        }
        out.append(c);
        return CONTINUE;
    }

    @Override
    protected void resetState() {
    }
}
