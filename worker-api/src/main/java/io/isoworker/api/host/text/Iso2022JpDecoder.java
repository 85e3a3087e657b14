package io.isoworker.api.host.text;

/** The Encoding Standard's ISO-2022-JP decoder: ASCII, JIS X 0201 Roman and katakana, and JIS X 0208 states. */
public final class Iso2022JpDecoder extends ByteDecoder {

    private static final int ASCII = 0;
    private static final int ROMAN = 1;
    private static final int KATAKANA = 2;
    private static final int LEAD_BYTE = 3;
    private static final int TRAIL_BYTE = 4;
    private static final int ESCAPE_START = 5;
    private static final int ESCAPE = 6;

    private int state = ASCII;
    private int outputState = ASCII;
    private int lead;
    private boolean outputFlag;

    public Iso2022JpDecoder(boolean fatal) {
        super(fatal);
    }

    @Override
    protected boolean asciiPassesThrough() {
        return false;
    }

    @Override
    protected int step(int b, StringBuilder out) {
        return switch (state) {
            case ASCII -> ascii(b, out);
            case ROMAN -> roman(b, out);
            case KATAKANA -> katakana(b, out);
            case LEAD_BYTE -> leadByte(b);
            case TRAIL_BYTE -> trailByte(b, out);
            case ESCAPE_START -> escapeStart(b);
            default -> escape(b);
        };
    }

    private int ascii(int b, StringBuilder out) {
        if (b == 0x1b) {
            state = ESCAPE_START;
            return CONTINUE;
        }
        if (b == END) {
            return FINISHED;
        }
        outputFlag = false;
        if (b < 0x80 && b != 0x0e && b != 0x0f) {
            out.append((char) b);
            return CONTINUE;
        }
        return ERROR;
    }

    private int roman(int b, StringBuilder out) {
        if (b == 0x1b) {
            state = ESCAPE_START;
            return CONTINUE;
        }
        if (b == END) {
            return FINISHED;
        }
        outputFlag = false;
        if (b == 0x5c) {
            out.append('\u00A5');
        } else if (b == 0x7e) {
            out.append('\u203E');
        } else if (b < 0x80 && b != 0x0e && b != 0x0f) {
            out.append((char) b);
        } else {
            return ERROR;
        }
        return CONTINUE;
    }

    private int katakana(int b, StringBuilder out) {
        if (b == 0x1b) {
            state = ESCAPE_START;
            return CONTINUE;
        }
        if (b == END) {
            return FINISHED;
        }
        outputFlag = false;
        if (inRange(b, 0x21, 0x5f)) {
            out.append((char) (0xff61 - 0x21 + b));
            return CONTINUE;
        }
        return ERROR;
    }

    private int leadByte(int b) {
        if (b == 0x1b) {
            state = ESCAPE_START;
            return CONTINUE;
        }
        if (b == END) {
            return FINISHED;
        }
        outputFlag = false;
        if (inRange(b, 0x21, 0x7e)) {
            lead = b;
            state = TRAIL_BYTE;
            return CONTINUE;
        }
        return ERROR;
    }

    private int trailByte(int b, StringBuilder out) {
        if (b == 0x1b) {
            state = ESCAPE_START;
            return ERROR;
        }
        state = LEAD_BYTE;
        if (inRange(b, 0x21, 0x7e)) {
            int cp = Indexes.jis0208()[(lead - 0x21) * 94 + b - 0x21];
            if (cp < 0) {
                return ERROR;
            }
            out.append((char) cp);
            return CONTINUE;
        }
        // END comes again by itself and then finishes in the lead byte state
        return ERROR;
    }

    private int escapeStart(int b) {
        if (b == 0x24 || b == 0x28) {
            lead = b;
            state = ESCAPE;
            return CONTINUE;
        }
        restore(b);
        outputFlag = false;
        state = outputState;
        return ERROR;
    }

    private int escape(int b) {
        int l = lead;
        lead = 0;
        int next = -1;
        if (l == 0x28 && b == 0x42) {
            next = ASCII;
        } else if (l == 0x28 && b == 0x4a) {
            next = ROMAN;
        } else if (l == 0x28 && b == 0x49) {
            next = KATAKANA;
        } else if (l == 0x24 && (b == 0x40 || b == 0x42)) {
            next = LEAD_BYTE;
        }
        if (next >= 0) {
            state = next;
            outputState = next;
            boolean output = outputFlag;
            outputFlag = true;
            return output ? ERROR : CONTINUE;
        }
        restore(l, b);
        outputFlag = false;
        state = outputState;
        return ERROR;
    }

    @Override
    protected void resetState() {
        state = ASCII;
        outputState = ASCII;
        lead = 0;
        outputFlag = false;
    }
}
