package io.isoworker.api.host.text;

/** The Encoding Standard's Big5 decoder (Big5 with the HKSCS extensions). */
public final class Big5Decoder extends ByteDecoder {

    private int lead;

    public Big5Decoder(boolean fatal) {
        super(fatal);
    }

    @Override
    protected boolean asciiPassesThrough() {
        return lead == 0;
    }

    @Override
    protected int step(int b, StringBuilder out) {
        if (b == END) {
            if (lead != 0) {
                lead = 0;
                return ERROR;
            }
            return FINISHED;
        }
        if (lead != 0) {
            int l = lead;
            lead = 0;
            if (inRange(b, 0x40, 0x7e) || inRange(b, 0xa1, 0xfe)) {
                int pointer = (l - 0x81) * 157 + b - (b < 0x7f ? 0x40 : 0x62);
                // the four pointers that decode to a base letter and a combining mark
                switch (pointer) {
                    case 1133 -> {
                        out.append('\u00CA').append('\u0304');
                        return CONTINUE;
                    }
                    case 1135 -> {
                        out.append('\u00CA').append('\u030C');
                        return CONTINUE;
                    }
                    case 1164 -> {
                        out.append('\u00EA').append('\u0304');
                        return CONTINUE;
                    }
                    case 1166 -> {
                        out.append('\u00EA').append('\u030C');
                        return CONTINUE;
                    }
                    default -> {
                        int cp = Indexes.big5()[pointer];
                        if (cp >= 0) {
                            out.appendCodePoint(cp);
                            return CONTINUE;
                        }
                    }
                }
            }
            if (isAscii(b)) {
                restore(b);
            }
            return ERROR;
        }
        if (b < 0x80) {
            out.append((char) b);
            return CONTINUE;
        }
        if (inRange(b, 0x81, 0xfe)) {
            lead = b;
            return CONTINUE;
        }
        return ERROR;
    }

    @Override
    protected void resetState() {
        lead = 0;
    }
}
