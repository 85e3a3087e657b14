package io.isoworker.api.host.text;

/** The Encoding Standard's EUC-KR decoder (Windows code page 949). */
public final class EucKrDecoder extends ByteDecoder {

    private int lead;

    public EucKrDecoder(boolean fatal) {
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
            if (inRange(b, 0x41, 0xfe)) {
                int cp = Indexes.eucKr()[(l - 0x81) * 190 + b - 0x41];
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
