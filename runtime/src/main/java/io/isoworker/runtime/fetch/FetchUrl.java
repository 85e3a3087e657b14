package io.isoworker.runtime.fetch;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The parts of an absolute http: or https: URL that a request needs.
 *
 * @param host       lower case, ASCII (IDNA), IPv6 without brackets
 * @param requestUri path and query, percent-encoded where the guest left raw characters; never the fragment
 */
record FetchUrl(boolean https, String host, int port, String requestUri) {

    /** The URL's parts, or null when it is not a valid http: or https: URL. */
    static FetchUrl parse(String url) {
        int sep = url.indexOf("://");
        if (sep < 0) {
            return null;
        }
        String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
        boolean https = scheme.equals("https");
        if (!https && !scheme.equals("http")) {
            return null;
        }
        String rest = url.substring(sep + 3);
        int end = 0;
        while (end < rest.length() && "/?#\\".indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        String authority = rest.substring(0, end);
        String target = rest.substring(end);
        int hash = target.indexOf('#');
        if (hash >= 0) {
            target = target.substring(0, hash);
        }
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        String host;
        String port = "";
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                return null;
            }
            port = after.isEmpty() ? "" : after.substring(1);
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? "" : authority.substring(colon + 1);
        }
        if (host.isEmpty()) {
            return null;
        }
        try {
            host = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int portNumber = https ? 443 : 80;
        if (!port.isEmpty()) {
            if (port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
                return null;
            }
            portNumber = Integer.parseInt(port);
            if (portNumber < 1 || portNumber > 65535) {
                return null;
            }
        }
        if (target.isEmpty() || target.charAt(0) == '?') {
            target = "/" + target;
        }
        return new FetchUrl(https, host, portNumber, encode(target.replace('\\', '/')));
    }

    /** {@code host:port} as a URL writes it, for messages. */
    String hostPort() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Percent-encodes what may not appear raw in a request line: controls, space, non-ASCII, and "<>`{}. */
    private static String encode(String target) {
        boolean clean = true;
        for (int i = 0; i < target.length() && clean; i++) {
            clean = !needsEscape(target.charAt(i));
        }
        if (clean) {
            return target;
        }
        StringBuilder sb = new StringBuilder(target.length() + 16);
        for (byte b : target.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (needsEscape(c)) {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean needsEscape(char c) {
        return c <= 0x20 || c >= 0x7f || "\"<>`{}".indexOf(c) >= 0;
    }
}
