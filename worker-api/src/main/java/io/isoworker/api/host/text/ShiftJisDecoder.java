package io.isoworker.api.host.text;

/** The Encoding Standard's Shift_JIS decoder (Windows code page 932, with its user-defined area). */
public final class ShiftJisDecoder extends ByteDecoder {

    private int lead;

    public ShiftJisDecoder(boolean fatal) {
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
            if (inRange(b, 0x40, 0x7e) || inRange(b, 0x80, 0xfc)) {
                int pointer = (l - (l < 0xa0 ? 0x81 : 0xc1)) * 188 + b - (b < 0x7f ? 0x40 : 0x41);
                if (inRange(pointer, 8836, 10715)) {
                    out.append((char) (0xe000 - 8836 + pointer));
                    return CONTINUE;
                }
                int cp = Indexes.jis0208()[pointer];
                if (cp >= 0) {
                    out.append((char) cp);
                    return CONTINUE;
                }
            }
            if (isAscii(b)) {
                restore(b);
            }
            return ERROR;
        }
        if (b <= 0x80) {
            out.append((char) b);
            return CONTINUE;
        }
        if (inRange(b, 0xa1, 0xdf)) {
            out.append((char) (0xff61 - 0xa1 + b));
            return CONTINUE;
        }
        if (inRange(b, 0x81, 0x9f) || inRange(b, 0xe0, 0xfc)) {
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
