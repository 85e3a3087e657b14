package io.isoworker.api.host.text;

/** The Encoding Standard's UTF-8 decoder. The one UTF-8 decoder of the runtime: TextDecoder and the body readers. */
public final class Utf8Decoder extends ByteDecoder {

    private int codePoint;
    private int bytesSeen;
    private int bytesNeeded;
    private int lowerBoundary = 0x80;
    private int upperBoundary = 0xbf;

    public Utf8Decoder(boolean fatal) {
        super(fatal);
    }

    /** Decodes a whole byte array, malformed sequences becoming U+FFFD. */
    public static String decodeReplacing(byte[] bytes, int off, int len) {
        StringBuilder out = new StringBuilder(len);
        new Utf8Decoder(false).decode(bytes, off, len, true, out);
        return out.toString();
    }

    @Override
    protected boolean asciiPassesThrough() {
        return bytesNeeded == 0;
    }

    @Override
    protected int step(int b, StringBuilder out) {
        if (b == END) {
            if (bytesNeeded != 0) {
                bytesNeeded = 0;
                return ERROR;
            }
            return FINISHED;
        }
        if (bytesNeeded == 0) {
            return lead(b, out);
        }
        if (b < lowerBoundary || b > upperBoundary) {
            resetState();
            restore(b);
            return ERROR;
        }
        lowerBoundary = 0x80;
        upperBoundary = 0xbf;
        codePoint = (codePoint << 6) | (b & 0x3f);
        if (++bytesSeen == bytesNeeded) {
            out.appendCodePoint(codePoint);
            codePoint = 0;
            bytesSeen = 0;
            bytesNeeded = 0;
        }
        return CONTINUE;
    }

    private int lead(int b, StringBuilder out) {
        if (b < 0x80) {
            out.append((char) b);
        } else if (inRange(b, 0xc2, 0xdf)) {
            bytesNeeded = 1;
            codePoint = b & 0x1f;
        } else if (inRange(b, 0xe0, 0xef)) {
            if (b == 0xe0) {
                lowerBoundary = 0xa0;
            } else if (b == 0xed) {
                upperBoundary = 0x9f;
            }
            bytesNeeded = 2;
            codePoint = b & 0xf;
        } else if (inRange(b, 0xf0, 0xf4)) {
            if (b == 0xf0) {
                lowerBoundary = 0x90;
            } else if (b == 0xf4) {
                upperBoundary = 0x8f;
            }
            bytesNeeded = 3;
            codePoint = b & 0x7;
        } else {
            return ERROR;
        }
        return CONTINUE;
    }

    @Override
    protected void resetState() {
        codePoint = 0;
        bytesSeen = 0;
        bytesNeeded = 0;
        lowerBoundary = 0x80;
        upperBoundary = 0xbf;
    }
}
