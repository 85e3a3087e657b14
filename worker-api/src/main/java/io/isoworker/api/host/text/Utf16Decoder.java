package io.isoworker.api.host.text;

/** The Encoding Standard's shared UTF-16 decoder, for UTF-16LE and UTF-16BE. */
public final class Utf16Decoder extends ByteDecoder {

    private final boolean bigEndian;
    private int leadByte = -1;
    private int leadSurrogate = -1;

    public Utf16Decoder(boolean bigEndian, boolean fatal) {
        super(fatal);
        this.bigEndian = bigEndian;
    }

    @Override
    protected boolean asciiPassesThrough() {
        return false;
    }

    @Override
    protected int step(int b, StringBuilder out) {
        if (b == END) {
            if (leadByte >= 0 || leadSurrogate >= 0) {
                resetState();
                return ERROR;
            }
            return FINISHED;
        }
        if (leadByte < 0) {
            leadByte = b;
            return CONTINUE;
        }
        int codeUnit = bigEndian ? (leadByte << 8) + b : (b << 8) + leadByte;
        leadByte = -1;
        if (leadSurrogate >= 0) {
            int lead = leadSurrogate;
            leadSurrogate = -1;
            if (inRange(codeUnit, 0xdc00, 0xdfff)) {
                out.append((char) lead).append((char) codeUnit);
                return CONTINUE;
            }
            int byteA = codeUnit >> 8;
            int byteB = codeUnit & 0xff;
            if (bigEndian) {
                restore(byteA, byteB);
            } else {
                restore(byteB, byteA);
            }
            return ERROR;
        }
        if (inRange(codeUnit, 0xd800, 0xdbff)) {
            leadSurrogate = codeUnit;
            return CONTINUE;
        }
        if (inRange(codeUnit, 0xdc00, 0xdfff)) {
            return ERROR;
        }
        out.append((char) codeUnit);
        return CONTINUE;
    }

    @Override
    protected void resetState() {
        leadByte = -1;
        leadSurrogate = -1;
    }
}
