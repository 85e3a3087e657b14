package io.isoworker.runtime.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** IP address literals, parsed without ever asking DNS. */
final class IpLiterals {

    private IpLiterals() {
    }

    /** The address {@code text} spells (dotted-quad IPv4, or IPv6 with or without brackets), or null for a name. */
    static InetAddress parse(String text) {
        if (text.isEmpty()) {
            return null;
        }
        if (text.indexOf(':') >= 0) {
            String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
            if (!bare.matches("[0-9A-Fa-f:.]+")) {
                return null;
            }
            try {
                // brackets make the JDK parse a literal or fail, never look the text up
                return InetAddress.getByName("[" + bare + "]");
            } catch (UnknownHostException e) {
                return null;
            }
        }
        byte[] v4 = ipv4(text);
        if (v4 == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(v4);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The address as text, IPv6 in its shortest form (RFC 5952: lower case, the longest run of zeros as ::). */
    static String format(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 4) {
            return address.getHostAddress();
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8;) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    private static byte[] ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            bytes[i] = (byte) v;
        }
        return bytes;
    }
}
