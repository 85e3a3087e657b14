package io.isoworker.runtime.traffic;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code trusted-proxies} setting: the networks (CIDRs) whose {@code X-Forwarded-For} header is believed. The
 * client address a worker sees ({@code CF-Connecting-IP}) is the socket peer, unless the peer is a trusted proxy: then
 * it is the right-most {@code X-Forwarded-For} entry that is not itself a trusted proxy.
 */
public final class TrustedProxies {

    /** No proxy is trusted: the socket peer is always the client. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private record Network(byte[] prefix, int bits) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (prefix[full] & mask);
        }
    }

    private final List<Network> networks;

    private TrustedProxies(List<Network> networks) {
        this.networks = networks;
    }

    /**
     * Parses a comma-separated list of CIDRs ({@code 10.0.0.0/8, ::1/128}); a bare address is a single host.
     *
     * @throws IllegalArgumentException for anything that is not an IP address literal with an optional prefix length
     */
    public static TrustedProxies parse(String list) {
        List<Network> networks = new ArrayList<>();
        for (String part : list.split(",")) {
            String cidr = part.trim();
            if (cidr.isEmpty()) {
                continue;
            }
            int slash = cidr.indexOf('/');
            String host = slash < 0 ? cidr : cidr.substring(0, slash);
            byte[] address = literal(host);
            if (address == null) {
                throw new IllegalArgumentException("not an IP address: " + cidr);
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(cidr.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad prefix length: " + cidr);
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("bad prefix length: " + cidr);
                }
            }
            networks.add(new Network(address, bits));
        }
        return networks.isEmpty() ? NONE : new TrustedProxies(List.copyOf(networks));
    }

    /** An IP address literal's bytes (IPv4-mapped IPv6 addresses become IPv4), or null if it is not one. */
    static byte[] literal(String text) {
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        if (IPV4.matcher(s).matches()) {
            return ipv4(s);
        }
        if (!IPV6.matcher(s).matches()) {
            return null; // never resolve names
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] ipv4(String s) {
        String[] parts = s.split("\\.");
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = Integer.parseInt(parts[i]);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    /**
     * An address in its canonical text form (RFC 5952 for IPv6: lower case, the longest run of zero groups as
     * {@code ::}; IPv4-mapped IPv6 addresses as IPv4), or the text itself if it is not an address literal.
     */
    public static String canonical(String address) {
        if (address.indexOf(':') < 0) {
            return address; // IPv4 text is kept as it is
        }
        byte[] bytes = literal(address);
        if (bytes == null) {
            return address;
        }
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    boolean trusts(String address) {
        if (networks.isEmpty()) {
            return false;
        }
        byte[] bytes = literal(address);
        if (bytes == null) {
            return false;
        }
        for (Network n : networks) {
            if (n.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client's address: {@code peer}, or when {@code peer} is trusted, the right-most entry of the
     * {@code X-Forwarded-For} values that is not a trusted proxy (the left-most entry if all of them are).
     *
     * @param forwardedFor the X-Forwarded-For header values in order, possibly empty
     */
    public String clientAddress(String peer, List<String> forwardedFor) {
        if (forwardedFor.isEmpty() || !trusts(peer)) {
            return canonical(peer);
        }
        List<String> hops = new ArrayList<>();
        for (String value : forwardedFor) {
            for (String hop : value.split(",")) {
                String h = hop.trim();
                if (!h.isEmpty()) {
                    hops.add(h);
                }
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (literal(hop) == null) {
                return canonical(peer); // a malformed chain: believe only what the socket says
            }
            if (!trusts(hop)) {
                return canonical(hop);
            }
        }
        return canonical(hops.isEmpty() ? peer : hops.get(0));
    }
}
