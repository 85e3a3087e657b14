package io.isoworker.api.host.text;

/**
 * A decoder of the Encoding Standard: a state machine fed one byte at a time, with the standard's "restore to the
 * I/O queue" (the restored bytes are read again before the rest of the input). One instance decodes one stream;
 * its state survives between {@link #decode} calls that do not flush.
 */
public abstract class ByteDecoder {

    /** The byte value {@link #step} receives at the end of the queue. */
    protected static final int END = -1;
    protected static final int CONTINUE = 0;
    protected static final int ERROR = 1;
    protected static final int FINISHED = 2;

    private final boolean fatal;
    // bytes restored to the front of the queue, the next one on top
    private final int[] restored = new int[4];
    private int restoredCount;

    protected ByteDecoder(boolean fatal) {
        this.fatal = fatal;
    }

    /**
     * Decodes {@code in[off, off+len)} into {@code out}. With {@code flush} the end of the queue is processed and
     * the decoder returns to its initial state; without it, an incomplete sequence waits for the next call.
     *
     * @return false when a fatal decoder met an error (the decoder is then reset, {@code out} is partial)
     */
    public boolean decode(byte[] in, int off, int len, boolean flush, StringBuilder out) {
        int i = off;
        int end = off + len;
        while (true) {
            int b;
            if (restoredCount > 0) {
                b = restored[--restoredCount];
            } else if (i < end) {
                if (in[i] >= 0 && asciiPassesThrough()) {
                    i = appendAscii(in, i, end, out);
                    continue;
                }
                b = in[i++] & 0xff;
            } else if (!flush) {
                return true;
            } else {
                b = END;
            }
            int r = step(b, out);
            if (r == ERROR) {
                if (fatal) {
                    reset();
                    return false;
                }
                out.append('\uFFFD');
            } else if (r == FINISHED) {
                reset();
                return true;
            }
        }
    }

    /**
     * Decodes {@code in[0, len)} as {@link #decode} does.
     *
     * @return the text, or null when a fatal decoder met an error
     */
    public String decodeToString(byte[] in, int len, boolean flush) {
        StringBuilder out = new StringBuilder(len + 4);
        return decode(in, 0, len, flush, out) ? out.toString() : null;
    }

    /** True when no bytes wait to be read again (the state itself may still be partial). */
    protected final boolean nothingRestored() {
        return restoredCount == 0;
    }

    /** Returns the decoder to its initial state. */
    public void reset() {
        restoredCount = 0;
        resetState();
    }

    /**
     * Handles one byte (0-255) or {@link #END}: appends what it decodes to and returns {@link #CONTINUE},
     * {@link #ERROR} or, for {@link #END} only, {@link #FINISHED}.
     */
    protected abstract int step(int b, StringBuilder out);

    protected abstract void resetState();

    /** True when the decoder is in a state where any ASCII byte decodes to itself (enables the ASCII fast path). */
    protected abstract boolean asciiPassesThrough();

    /** Restores {@code b} to the front of the queue ({@link #END} needs no restoring: it comes again by itself). */
    protected final void restore(int b) {
        if (b != END) {
            restored[restoredCount++] = b;
        }
    }

    /** Restores {@code a, b} to the front of the queue, {@code a} first. */
    protected final void restore(int a, int b) {
        restore(b);
        restore(a);
    }

    /** Restores {@code a, b, c} to the front of the queue, {@code a} first. */
    protected final void restore(int a, int b, int c) {
        restore(c);
        restore(b);
        restore(a);
    }

    static int appendAscii(byte[] in, int i, int end, StringBuilder out) {
        int j = i;
        while (j < end && in[j] >= 0) {
            out.append((char) in[j]);
            j++;
        }
        return j;
    }

    static boolean inRange(int b, int low, int high) {
        return b >= low && b <= high;
    }

    static boolean isAscii(int b) {
        return b >= 0 && b < 0x80;
    }
}
