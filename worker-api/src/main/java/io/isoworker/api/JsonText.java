package io.isoworker.api;

/** Writing JSON text by hand where a JSON library would be one more dependency of the guest-facing modules. */
public final class JsonText {

    private JsonText() {
    }

    /**
     * A string as a JSON string literal, which is also a valid JavaScript string literal (U+2028, U+2029 and lone
     * surrogates are escaped).
     */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        appendQuoted(sb, s);
        return sb.toString();
    }

    public static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
