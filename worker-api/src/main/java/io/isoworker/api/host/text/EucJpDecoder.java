package io.isoworker.api.host.text;

/** The Encoding Standard's EUC-JP decoder (JIS X 0208, half-width katakana and JIS X 0212). */
public final class EucJpDecoder extends ByteDecoder {

    private int lead;
    private boolean jis0212;

    public EucJpDecoder(boolean fatal) {
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
        if (lead == 0x8e && inRange(b, 0xa1, 0xdf)) {
            lead = 0;
            out.append((char) (0xff61 - 0xa1 + b));
            return CONTINUE;
        }
        if (lead == 0x8f && inRange(b, 0xa1, 0xfe)) {
            jis0212 = true;
            lead = b;
            return CONTINUE;
        }
        if (lead != 0) {
            int l = lead;
            lead = 0;
            int cp = -1;
            if (inRange(l, 0xa1, 0xfe) && inRange(b, 0xa1, 0xfe)) {
                int[] index = jis0212 ? Indexes.jis0212() : Indexes.jis0208();
                cp = index[(l - 0xa1) * 94 + b - 0xa1];
            }
            jis0212 = false;
            if (cp >= 0) {
                out.append((char) cp);
                return CONTINUE;
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
        if (b == 0x8e || b == 0x8f || inRange(b, 0xa1, 0xfe)) {
            lead = b;
            return CONTINUE;
        }
        return ERROR;
    }

    @Override
    protected void resetState() {
        lead = 0;
        jis0212 = false;
    }
}
