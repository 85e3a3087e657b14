package io.isoworker.api.host.text;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * The Encoding Standard's index tables, derived from the JDK's charsets plus the corrections where the JDK differs
 * from the standard. Each table is built once per process, on first use. Multi-byte tables map a pointer to a code
 * point, -1 where the index has none; single-byte tables map bytes 0x80-0xFF, {@link #NO_CHAR} where there is none.
 */
public final class Indexes {

    /** No code point: U+FFFF is in no index. */
    public static final char NO_CHAR = '\uFFFF';

    private Indexes() {
    }

    // ---- single-byte encodings

    /** The upper half (bytes 0x80-0xFF) of the single-byte encoding with this canonical name. */
    public static char[] singleByte(String name) {
        return SingleByte.TABLES.computeIfAbsent(name, Indexes::buildSingleByte);
    }

    private static final class SingleByte {
        static final java.util.concurrent.ConcurrentHashMap<String, char[]> TABLES =
                new java.util.concurrent.ConcurrentHashMap<>();
    }

    // ISO/IEC 8859-10 and 8859-14, which the JDK lacks, as their differences from ISO-8859-1 (byte, code point).
    private static final int[] ISO_8859_10_FROM_LATIN1 = {
        0xA1, 0x0104, 0xA2, 0x0112, 0xA3, 0x0122, 0xA4, 0x012A, 0xA5, 0x0128, 0xA6, 0x0136, 0xA8, 0x013B,
        0xA9, 0x0110, 0xAA, 0x0160, 0xAB, 0x0166, 0xAC, 0x017D, 0xAE, 0x016A, 0xAF, 0x014A, 0xB1, 0x0105,
        0xB2, 0x0113, 0xB3, 0x0123, 0xB4, 0x012B, 0xB5, 0x0129, 0xB6, 0x0137, 0xB8, 0x013C, 0xB9, 0x0111,
        0xBA, 0x0161, 0xBB, 0x0167, 0xBC, 0x017E, 0xBD, 0x2015, 0xBE, 0x016B, 0xBF, 0x014B, 0xC0, 0x0100,
        0xC7, 0x012E, 0xC8, 0x010C, 0xCA, 0x0118, 0xCC, 0x0116, 0xD1, 0x0145, 0xD2, 0x014C, 0xD7, 0x0168,
        0xD9, 0x0172, 0xE0, 0x0101, 0xE7, 0x012F, 0xE8, 0x010D, 0xEA, 0x0119, 0xEC, 0x0117, 0xF1, 0x0146,
        0xF2, 0x014D, 0xF7, 0x0169, 0xF9, 0x0173, 0xFF, 0x0138,
    };
    private static final int[] ISO_8859_14_FROM_LATIN1 = {
        0xA1, 0x1E02, 0xA2, 0x1E03, 0xA4, 0x010A, 0xA5, 0x010B, 0xA6, 0x1E0A, 0xA8, 0x1E80, 0xAA, 0x1E82,
        0xAB, 0x1E0B, 0xAC, 0x1EF2, 0xAF, 0x0178, 0xB0, 0x1E1E, 0xB1, 0x1E1F, 0xB2, 0x0120, 0xB3, 0x0121,
        0xB4, 0x1E40, 0xB5, 0x1E41, 0xB7, 0x1E56, 0xB8, 0x1E81, 0xB9, 0x1E57, 0xBA, 0x1E83, 0xBB, 0x1E60,
        0xBC, 0x1EF3, 0xBD, 0x1E84, 0xBE, 0x1E85, 0xBF, 0x1E61, 0xD0, 0x0174, 0xD7, 0x1E6A, 0xDE, 0x0176,
        0xF0, 0x0175, 0xF7, 0x1E6B, 0xFE, 0x0177,
    };

    private static char[] buildSingleByte(String name) {
        char[] t = switch (name) {
            case "iso-8859-8-i" -> jdkUpperHalf("ISO-8859-8");
            case "iso-8859-10" -> patched(jdkUpperHalf("ISO-8859-1"), ISO_8859_10_FROM_LATIN1);
            case "iso-8859-14" -> patched(jdkUpperHalf("ISO-8859-1"), ISO_8859_14_FROM_LATIN1);
            // KOI8-U as the standard has it is KOI8-RU: two more Belarusian letters
            case "koi8-u" -> patched(jdkUpperHalf("KOI8-U"), new int[] {0xAE, 0x045E, 0xBE, 0x040E});
            case "macintosh" -> jdkUpperHalf("x-MacRoman");
            // the standard's x-mac-cyrillic is the JDK's Mac Ukrainian, with the euro sign at 0xFF
            case "x-mac-cyrillic" -> patched(jdkUpperHalf("x-MacUkraine"), new int[] {0xFF, 0x20AC});
            case "windows-874" -> withC1(jdkUpperHalf("x-windows-874"));
            case "windows-1255" -> patched(withC1(jdkUpperHalf("windows-1255")), new int[] {0xCA, 0x05BA});
            default -> name.startsWith("windows-125") ? withC1(jdkUpperHalf(name)) : jdkUpperHalf(name);
        };
        return t;
    }

    private static char[] jdkUpperHalf(String charset) {
        Jdk jdk = new Jdk(charset);
        char[] t = new char[128];
        byte[] one = new byte[1];
        for (int b = 0x80; b <= 0xff; b++) {
            one[0] = (byte) b;
            int cp = jdk.decode(one);
            t[b - 0x80] = cp < 0 || cp > 0xffff ? NO_CHAR : (char) cp;
        }
        return t;
    }

    private static char[] patched(char[] table, int[] bytesAndCodePoints) {
        for (int i = 0; i < bytesAndCodePoints.length; i += 2) {
            table[bytesAndCodePoints[i] - 0x80] = (char) bytesAndCodePoints[i + 1];
        }
        return table;
    }

    /** The Windows code pages decode bytes 0x80-0x9F they leave undefined to the C1 control of the same value. */
    private static char[] withC1(char[] table) {
        for (int b = 0x80; b <= 0x9f; b++) {
            if (table[b - 0x80] == NO_CHAR) {
                table[b - 0x80] = (char) b;
            }
        }
        return table;
    }

    // ---- multi-byte indexes

    /** Index jis0208 (Windows code page 932's table, without its user-defined area), by Shift_JIS pointer. */
    public static int[] jis0208() {
        return Jis0208.TABLE;
    }

    private static final class Jis0208 {
        static final int[] TABLE = build();

        static int[] build() {
            Jdk jdk = new Jdk("windows-31j");
            int[] t = new int[60 * 188];
            byte[] two = new byte[2];
            for (int p = 0; p < t.length; p++) {
                int lead = p / 188;
                int trail = p % 188;
                two[0] = (byte) (lead + (lead < 0x1f ? 0x81 : 0xc1));
                two[1] = (byte) (trail + (trail < 0x3f ? 0x40 : 0x41));
                // the user-defined area (pointers 8836-10715) is the decoder's, not the index's
                t[p] = p >= 8836 && p <= 10715 ? -1 : jdk.decode(two);
            }
            return t;
        }
    }

    /** Index jis0212, by EUC-JP pointer (the JDK's EUC-JP has JIS X 0212 as the standard does). */
    public static int[] jis0212() {
        return Jis0212.TABLE;
    }

    private static final class Jis0212 {
        static final int[] TABLE = build();

        static int[] build() {
            Jdk jdk = new Jdk("EUC-JP");
            int[] t = new int[94 * 94];
            byte[] three = {(byte) 0x8f, 0, 0};
            for (int p = 0; p < t.length; p++) {
                three[1] = (byte) (p / 94 + 0xa1);
                three[2] = (byte) (p % 94 + 0xa1);
                t[p] = jdk.decode(three);
            }
            return t;
        }
    }

    /** Index euc-kr (Windows code page 949, without its private use area). */
    public static int[] eucKr() {
        return EucKr.TABLE;
    }

    private static final class EucKr {
        static final int[] TABLE = build();

        static int[] build() {
            Jdk jdk = new Jdk("x-windows-949");
            int[] t = new int[126 * 190];
            byte[] two = new byte[2];
            for (int p = 0; p < t.length; p++) {
                two[0] = (byte) (p / 190 + 0x81);
                two[1] = (byte) (p % 190 + 0x41);
                int cp = jdk.decode(two);
                t[p] = cp >= 0xe000 && cp <= 0xf8ff ? -1 : cp;
            }
            return t;
        }
    }

    /** Index gb18030, the two-byte part of GB 18030-2022. */
    public static int[] gb18030() {
        return Gb18030.TABLE;
    }

    private static final class Gb18030 {
        static final int[] TABLE = build();

        static int[] build() {
            Jdk jdk = new Jdk("GB18030");
            int[] t = new int[126 * 190];
            byte[] two = new byte[2];
            for (int p = 0; p < t.length; p++) {
                int trail = p % 190;
                two[0] = (byte) (p / 190 + 0x81);
                two[1] = (byte) (trail + (trail < 0x3f ? 0x40 : 0x41));
                t[p] = jdk.decode(two);
            }
            // the standard decodes 0xA3A0 to U+3000 (the JDK: U+E5E5, a private use code point)
            t[6555] = 0x3000;
            return t;
        }
    }

    /**
     * The Encoding Standard's "index gb18030 ranges code point" for a four-byte pointer, or -1. Within the BMP the
     * four-byte codes follow GB 18030's linear ranges; the JDK follows GB 18030-2022, which moved two runs of them to
     * private use code points (pointers 19057-19064 and 39076-39085), where the standard keeps the ranges.
     */
    public static int gb18030RangesCodePoint(int pointer) {
        if ((pointer > 39419 && pointer < 189000) || pointer > 1237575) {
            return -1;
        }
        if (pointer == 7457) {
            return 0xe7c7;
        }
        if (pointer >= 189000) {
            return 0x10000 + pointer - 189000;
        }
        return Gb18030Ranges.TABLE[pointer];
    }

    private static final class Gb18030Ranges {
        static final char[] TABLE = build();

        static char[] build() {
            Jdk jdk = new Jdk("GB18030");
            char[] t = new char[39420];
            byte[] four = new byte[4];
            for (int p = 0; p < t.length; p++) {
                four[0] = (byte) (p / 12600 + 0x81);
                four[1] = (byte) (p / 1260 % 10 + 0x30);
                four[2] = (byte) (p / 10 % 126 + 0x81);
                four[3] = (byte) (p % 10 + 0x30);
                boolean movedIn2022 = (p >= 19057 && p <= 19064) || (p >= 39076 && p <= 39085);
                t[p] = movedIn2022 ? (char) (t[p - 1] + 1) : (char) jdk.decode(four);
            }
            return t;
        }
    }

    /** Index big5: the JDK's Big5-HKSCS plus the corrections below. */
    public static int[] big5() {
        return Big5.TABLE;
    }

    // (pointer, code point): HKSCS-2008 characters the JDK's Big5-HKSCS lacks, and the standard's choices where
    // Big5 variants disagree (0xA145 U+2027, 0xA1C3 U+FFE3, 0xA3E1 the euro sign, ...).
    private static final int[] BIG5_CORRECTIONS = {
        2082, 0x7BB8, 2088, 0x7C06, 2103, 0x7CCE, 2114, 0x7DD2, 2123, 0x7E1D, 2148, 0x8005,
        2151, 0x8028, 2221, 0x83C1, 2239, 0x84A8, 2244, 0x840F, 2303, 0x89A6, 2304, 0x89A9,
        2354, 0x8D77, 2400, 0x90FD, 2413, 0x92B9, 2477, 0x975C, 2498, 0x97FF, 2605, 0x9F16,
        2673, 0x8503, 2746, 0x5159, 2747, 0x515B, 2748, 0x515D, 2749, 0x515E, 2771, 0x936E,
        2780, 0x7479, 2990, 0x6D67, 3087, 0x799B, 3259, 0x9097, 3301, 0x975D, 3436, 0x701E,
        3451, 0x5B28, 4136, 0x7201, 4138, 0x77D7, 4141, 0x7E87, 4182, 0x99D6, 4206, 0x91D4,
        4220, 0x60DE, 4230, 0x6FB6, 4241, 0x8F36, 4258, 0x4FBB, 4273, 0x71DF, 4279, 0x9104,
        4282, 0x9DF0, 4294, 0x83CF, 4329, 0x5C10, 4330, 0x79E3, 4349, 0x5A67, 4419, 0x8F0B,
        4422, 0x7B51, 4494, 0x62D0, 4624, 0x6062, 4694, 0x75F9, 4708, 0x6C4A, 4742, 0x9B2E,
        4748, 0x9F17, 4815, 0x50ED, 4828, 0x5F0C, 4902, 0x880F, 4922, 0x62CE, 4982, 0x7468,
        4992, 0x7162, 4997, 0x7250, 5029, 0x2027, 5038, 0xFE51, 5050, 0x2574, 5120, 0x00AF,
        5121, 0xFFE3, 5123, 0x02CD, 5153, 0xFF5E, 5168, 0x2295, 5169, 0x2299, 5180, 0xFF0F,
        5181, 0xFF3C, 5182, 0x2215, 5183, 0xFE68, 5185, 0xFFE5, 5187, 0xFFE0, 5188, 0xFFE1,
        5464, 0x2421, 5465, 0x20AC, 10942, 0x5EF4, 10946, 0x65E0, 10948, 0x7676, 10950, 0x96B6,
        10957, 0x3003, 10958, 0x4EDD, 19028, 0x5029, 19035, 0x507D, 19088, 0x5305, 19096, 0x5344,
        19112, 0x537F, 19162, 0x5605, 19240, 0x5A77, 19299, 0x5E75, 19305, 0x5ED0, 19326, 0x5F58,
        19355, 0x60A4, 19398, 0x6490, 19439, 0x6674, 19454, 0x675E, 19553, 0x6C9C, 19554, 0x6E1D,
        19557, 0x6E2F, 19611, 0x716E, 19643, 0x732A, 19672, 0x745C, 19697, 0x74E9, 19748, 0x7809,
    };

    private static final class Big5 {
        static final int[] TABLE = build();

        static int[] build() {
            Jdk jdk = new Jdk("Big5-HKSCS");
            int[] t = new int[126 * 157];
            byte[] two = new byte[2];
            for (int p = 0; p < t.length; p++) {
                int trail = p % 157;
                two[0] = (byte) (p / 157 + 0x81);
                two[1] = (byte) (trail + (trail < 0x3f ? 0x40 : 0x62));
                t[p] = jdk.decode(two);
            }
            for (int i = 0; i < BIG5_CORRECTIONS.length; i += 2) {
                t[BIG5_CORRECTIONS[i]] = BIG5_CORRECTIONS[i + 1];
            }
            // 0xA3C0-0xA3DF: the control pictures U+2400-U+241F
            for (int p = 5432; p <= 5463; p++) {
                t[p] = 0x2400 + p - 5432;
            }
            return t;
        }
    }

    /** Decodes one complete byte sequence with a JDK charset: its single code point, or -1. */
    private static final class Jdk {
        private final CharsetDecoder decoder;
        private final CharBuffer out = CharBuffer.allocate(4);

        Jdk(String charset) {
            decoder = Charset.forName(charset).newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
        }

        int decode(byte[] bytes) {
            decoder.reset();
            out.clear();
            ByteBuffer in = ByteBuffer.wrap(bytes);
            CoderResult r = decoder.decode(in, out, true);
            if (r.isError() || in.hasRemaining() || decoder.flush(out).isError()) {
                return -1;
            }
            out.flip();
            int n = out.remaining();
            if (n == 1) {
                return out.get(0);
            }
            if (n == 2 && Character.isSurrogatePair(out.get(0), out.get(1))) {
                return Character.toCodePoint(out.get(0), out.get(1));
            }
            return -1;
        }
    }
}
