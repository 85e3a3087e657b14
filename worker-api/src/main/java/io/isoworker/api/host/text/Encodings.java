package io.isoworker.api.host.text;

import java.util.HashMap;
import java.util.Map;

/** The Encoding Standard's encodings: every label, the canonical names, and a decoder for each. */
public final class Encodings {

    private static final Map<String, String> BY_LABEL = new HashMap<>(512);

    private static void encoding(String name, String... labels) {
        for (String label : labels) {
            BY_LABEL.put(label, name);
        }
    }

    static {
        encoding("utf-8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8");
        encoding("ibm866", "866", "cp866", "csibm866", "ibm866");
        encoding("iso-8859-2", "csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592", "iso_8859-2",
                "iso_8859-2:1987", "l2", "latin2");
        encoding("iso-8859-3", "csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593", "iso_8859-3",
                "iso_8859-3:1988", "l3", "latin3");
        encoding("iso-8859-4", "csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594", "iso_8859-4",
                "iso_8859-4:1988", "l4", "latin4");
        encoding("iso-8859-5", "csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5", "iso88595",
                "iso_8859-5", "iso_8859-5:1988");
        encoding("iso-8859-6", "arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic", "ecma-114",
                "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127", "iso8859-6", "iso88596", "iso_8859-6",
                "iso_8859-6:1987");
        encoding("iso-8859-7", "csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7",
                "iso-ir-126", "iso8859-7", "iso88597", "iso_8859-7", "iso_8859-7:1987", "sun_eu_greek");
        encoding("iso-8859-8", "csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e",
                "iso-ir-138", "iso8859-8", "iso88598", "iso_8859-8", "iso_8859-8:1988", "visual");
        encoding("iso-8859-8-i", "csiso88598i", "iso-8859-8-i", "logical");
        encoding("iso-8859-10", "csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910", "l6",
                "latin6");
        encoding("iso-8859-13", "iso-8859-13", "iso8859-13", "iso885913");
        encoding("iso-8859-14", "iso-8859-14", "iso8859-14", "iso885914");
        encoding("iso-8859-15", "csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9");
        encoding("iso-8859-16", "iso-8859-16");
        encoding("koi8-r", "cskoi8r", "koi", "koi8", "koi8-r", "koi8_r");
        encoding("koi8-u", "koi8-ru", "koi8-u");
        encoding("macintosh", "csmacintosh", "mac", "macintosh", "x-mac-roman");
        encoding("windows-874", "dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874");
        encoding("windows-1250", "cp1250", "windows-1250", "x-cp1250");
        encoding("windows-1251", "cp1251", "windows-1251", "x-cp1251");
        encoding("windows-1252", "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
                "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii",
                "windows-1252", "x-cp1252");
        encoding("windows-1253", "cp1253", "windows-1253", "x-cp1253");
        encoding("windows-1254", "cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599",
                "iso_8859-9", "iso_8859-9:1989", "l5", "latin5", "windows-1254", "x-cp1254");
        encoding("windows-1255", "cp1255", "windows-1255", "x-cp1255");
        encoding("windows-1256", "cp1256", "windows-1256", "x-cp1256");
        encoding("windows-1257", "cp1257", "windows-1257", "x-cp1257");
        encoding("windows-1258", "cp1258", "windows-1258", "x-cp1258");
        encoding("x-mac-cyrillic", "x-mac-cyrillic", "x-mac-ukrainian");
        encoding("gbk", "chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk",
                "iso-ir-58", "x-gbk");
        encoding("gb18030", "gb18030");
        encoding("big5", "big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5");
        encoding("euc-jp", "cseucpkdfmtjapanese", "euc-jp", "x-euc-jp");
        encoding("iso-2022-jp", "csiso2022jp", "iso-2022-jp");
        encoding("shift_jis", "csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j",
                "x-sjis");
        encoding("euc-kr", "cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987",
                "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949");
        encoding("replacement", "csiso2022kr", "hz-gb-2312", "iso-2022-cn", "iso-2022-cn-ext", "iso-2022-kr",
                "replacement");
        encoding("utf-16be", "unicodefffe", "utf-16be");
        encoding("utf-16le", "csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le");
        encoding("x-user-defined", "x-user-defined");
    }

    private Encodings() {
    }

    /**
     * The canonical name (in lower case, as TextDecoder's {@code encoding} reports it) of the encoding with this
     * label, or null when no encoding has it. The label matches after removing leading and trailing ASCII
     * whitespace, ignoring ASCII case.
     */
    public static String nameOf(String label) {
        return BY_LABEL.get(asciiLowerCase(trimAsciiWhitespace(label)));
    }

    /** A new decoder for the encoding with this canonical name (not {@code replacement}). */
    public static ByteDecoder newDecoder(String name, boolean fatal) {
        return switch (name) {
            case "utf-8" -> new Utf8Decoder(fatal);
            case "utf-16le" -> new Utf16Decoder(false, fatal);
            case "utf-16be" -> new Utf16Decoder(true, fatal);
            case "gbk", "gb18030" -> new Gb18030Decoder(fatal);
            case "big5" -> new Big5Decoder(fatal);
            case "euc-jp" -> new EucJpDecoder(fatal);
            case "iso-2022-jp" -> new Iso2022JpDecoder(fatal);
            case "shift_jis" -> new ShiftJisDecoder(fatal);
            case "euc-kr" -> new EucKrDecoder(fatal);
            case "x-user-defined" -> new SingleByteDecoder(X_USER_DEFINED, fatal);
            case "replacement" -> throw new IllegalArgumentException("the replacement encoding has no TextDecoder");
            default -> new SingleByteDecoder(Indexes.singleByte(name), fatal);
        };
    }

    // x-user-defined: bytes 0x80-0xFF decode to U+F780-U+F7FF
    private static final char[] X_USER_DEFINED = new char[128];

    static {
        for (int i = 0; i < 128; i++) {
            X_USER_DEFINED[i] = (char) (0xf780 + i);
        }
    }

    private static boolean isAsciiWhitespace(char c) {
        return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
    }

    private static String trimAsciiWhitespace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isAsciiWhitespace(s.charAt(start))) {
            start++;
        }
        while (end > start && isAsciiWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static String asciiLowerCase(String s) {
        char[] chars = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (chars == null) {
                    chars = s.toCharArray();
                }
                chars[i] = (char) (c + 32);
            }
        }
        return chars == null ? s : new String(chars);
    }
}
