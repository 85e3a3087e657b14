package io.isoworker.api.host.text;

/** The Encoding Standard's gb18030 decoder, which GBK shares. */
public final class Gb18030Decoder extends ByteDecoder {

    private int first;
    private int second;
    private int third;

    public Gb18030Decoder(boolean fatal) {
        super(fatal);
    }

    @Override
    protected boolean asciiPassesThrough() {
        return first == 0;
    }

    @Override
    protected int step(int b, StringBuilder out) {
        if (b == END) {
            if (first == 0 && second == 0 && third == 0) {
                return FINISHED;
            }
            resetState();
            return ERROR;
        }
        if (third != 0) {
            if (!inRange(b, 0x30, 0x39)) {
                restore(second, third, b);
                resetState();
                return ERROR;
            }
            int pointer = (((first - 0x81) * 10 + second - 0x30) * 126 + third - 0x81) * 10 + b - 0x30;
            resetState();
            int cp = Indexes.gb18030RangesCodePoint(pointer);
            if (cp < 0) {
                return ERROR;
            }
            out.appendCodePoint(cp);
            return CONTINUE;
        }
        if (second != 0) {
            if (inRange(b, 0x81, 0xfe)) {
                third = b;
                return CONTINUE;
            }
            restore(second, b);
            first = 0;
            second = 0;
            return ERROR;
        }
        if (first != 0) {
            if (inRange(b, 0x30, 0x39)) {
                second = b;
                return CONTINUE;
            }
            int lead = first;
            first = 0;
            if (inRange(b, 0x40, 0x7e) || inRange(b, 0x80, 0xfe)) {
                int pointer = (lead - 0x81) * 190 + b - (b < 0x7f ? 0x40 : 0x41);
                int cp = Indexes.gb18030()[pointer];
                if (cp >= 0) {
                    out.appendCodePoint(cp);
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
        if (b == 0x80) {
            out.append('\u20AC');
            return CONTINUE;
        }
        if (b != 0xff) {
            first = b;
            return CONTINUE;
        }
        return ERROR;
    }

    @Override
    protected void resetState() {
        first = 0;
        second = 0;
        third = 0;
    }
}
