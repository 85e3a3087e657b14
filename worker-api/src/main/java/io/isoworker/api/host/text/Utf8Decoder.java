package io.isoworker.api.host.text;

import java.nio.charset.StandardCharsets;

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

    /** Decodes bytes as one whole stream, malformed sequences becoming U+FFFD. */
    public static String decodeReplacing(byte[] bytes, int off, int len) {
        if (isWellFormed(bytes, off, len)) {
            return new String(bytes, off, len, StandardCharsets.UTF_8);
        }
        StringBuilder out = new StringBuilder(len);
        new Utf8Decoder(false).decode(bytes, off, len, true, out);
        return out.toString();
    }

    @Override
    public String decodeToString(byte[] in, int len, boolean flush) {
        // Well-formed complete input from the initial state decodes the same with the JDK's (faster) decoder.
        if (bytesNeeded == 0 && nothingRestored() && isWellFormed(in, 0, len)) {
            return new String(in, 0, len, StandardCharsets.UTF_8);
        }
        return super.decodeToString(in, len, flush);
    }

    /** True when the bytes are complete, well-formed UTF-8 (the standard's decoder would report no error). */
    static boolean isWellFormed(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            c &= 0xff;
            int need;
            int low = 0x80;
            int high = 0xbf;
            if (c >= 0xc2 && c <= 0xdf) {
                need = 1;
            } else if (c >= 0xe0 && c <= 0xef) {
                need = 2;
                low = c == 0xe0 ? 0xa0 : 0x80;
                high = c == 0xed ? 0x9f : 0xbf;
            } else if (c >= 0xf0 && c <= 0xf4) {
                need = 3;
                low = c == 0xf0 ? 0x90 : 0x80;
                high = c == 0xf4 ? 0x8f : 0xbf;
            } else {
                return false;
            }
            if (i + need >= end) {
                return false;
            }
            int second = b[i + 1] & 0xff;
            if (second < low || second > high) {
                return false;
            }
            for (int k = 2; k <= need; k++) {
                if ((b[i + k] & 0xc0) != 0x80) {
                    return false;
                }
            }
            i += need + 1;
        }
        return true;
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
