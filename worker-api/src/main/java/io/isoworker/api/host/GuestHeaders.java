package io.isoworker.api.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.graalvm.polyglot.Value;

/**
 * Header lists and statuses that guest code hands to the host, checked again on the way in. The prelude's Headers
 * and Response validate what a worker gives them, but a worker can reach their internal state (see sandbox.js), so
 * the host never trusts it: a name that is not an HTTP token, a value with CR, LF or NUL or beyond Latin-1, or a
 * status that is not three digits is refused with an {@link IllegalArgumentException}, which the worker sees as an
 * exception.
 */
final class GuestHeaders {

    private GuestHeaders() {
    }

    /** Reads a flat JavaScript array {@code [name0, value0, name1, value1, ...]} of strings. */
    static List<Map.Entry<String, String>> read(Value flat) {
        if (flat == null || !flat.hasArrayElements()) {
            throw new IllegalArgumentException("headers must be an array");
        }
        long n = flat.getArraySize();
        List<Map.Entry<String, String>> list = new ArrayList<>((int) Math.min(n / 2, 1024));
        for (long i = 0; i + 1 < n; i += 2) {
            list.add(Map.entry(name(flat.getArrayElement(i)), value(flat.getArrayElement(i + 1))));
        }
        return list;
    }

    static int status(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("invalid response status " + status);
        }
        return status;
    }

    private static String name(Value v) {
        String name = v.isString() ? v.asString() : null;
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("invalid header name");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                throw new IllegalArgumentException("invalid header name \"" + printable(name) + "\"");
            }
        }
        return name;
    }

    private static String value(Value v) {
        String value = v.isString() ? v.asString() : null;
        if (value == null) {
            throw new IllegalArgumentException("invalid header value");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                throw new IllegalArgumentException("invalid header value \"" + printable(value) + "\"");
            }
        }
        return value;
    }

    /** The text with control characters escaped, so that it cannot break a log line. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** RFC 9110 tchar. */
    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
