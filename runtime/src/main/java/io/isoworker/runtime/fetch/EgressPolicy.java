package io.isoworker.runtime.fetch;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which destinations guest {@code fetch()} may reach. Safe by default: addresses that lead into the host's own
 * networks (loopback, private, link-local with the cloud metadata address, unspecified, CGNAT, multicast, broadcast
 * and reserved, also when written as IPv4-mapped or -embedding IPv6) are refused, and so are the server's own
 * listeners, unless the operator's allowlist ({@code egress-allow}) names them. The check runs on the resolved
 * address that the client then connects to.
 *
 * <p>An allowlist entry is a CIDR ({@code 10.0.0.0/8}, {@code fd00::/8}), a single address, or {@code host:port}
 * ({@code 127.0.0.1:8080}, {@code [::1]:8080}, {@code metadata.internal:80}). A CIDR opens every port of its
 * addresses except the server's own listeners, which only a {@code host:port} entry naming them opens.
 */
public final class EgressPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(EgressPolicy.class);

    private record Cidr(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private record HostPort(String host, InetAddress address, int port) {
    }

    private final boolean allowAll;
    private final List<Cidr> cidrs;
    private final List<HostPort> hostPorts;
    private final Set<InetAddress> localAddresses;
    private volatile Set<Integer> ownPorts = Set.of();

    private EgressPolicy(boolean allowAll, List<Cidr> cidrs, List<HostPort> hostPorts) {
        this.allowAll = allowAll;
        this.cidrs = List.copyOf(cidrs);
        this.hostPorts = List.copyOf(hostPorts);
        this.localAddresses = allowAll ? Set.of() : localAddresses();
    }

    /** Everything is reachable ({@code isoworker dev}, where the developer's own machine is the point). */
    public static EgressPolicy allowAll() {
        return new EgressPolicy(true, List.of(), List.of());
    }

    /**
     * The default policy opened by {@code entries}.
     *
     * @throws IllegalArgumentException naming a malformed entry
     */
    public static EgressPolicy of(List<String> entries) {
        List<Cidr> cidrs = new ArrayList<>();
        List<HostPort> hostPorts = new ArrayList<>();
        for (String raw : entries) {
            String e = raw.trim();
            if (e.isEmpty()) {
                continue;
            }
            int slash = e.indexOf('/');
            InetAddress single = IpLiterals.parse(e);
            if (slash > 0) {
                cidrs.add(cidr(e, slash));
            } else if (single != null) {
                cidrs.add(new Cidr(single.getAddress(), single.getAddress().length * 8));
            } else {
                hostPorts.add(hostPort(e));
            }
        }
        return new EgressPolicy(false, cidrs, hostPorts);
    }

    private static Cidr cidr(String e, int slash) {
        InetAddress network = IpLiterals.parse(e.substring(0, slash));
        int prefix;
        try {
            prefix = Integer.parseInt(e.substring(slash + 1));
        } catch (NumberFormatException x) {
            prefix = -1;
        }
        if (network == null || prefix < 0 || prefix > network.getAddress().length * 8) {
            throw new IllegalArgumentException("not a CIDR: " + e);
        }
        return new Cidr(network.getAddress(), prefix);
    }

    private static HostPort hostPort(String e) {
        int colon = e.lastIndexOf(':');
        if (colon <= 0 || colon == e.length() - 1) {
            throw new IllegalArgumentException("not a CIDR, an address or host:port: " + e);
        }
        String host = e.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(e.substring(colon + 1));
        } catch (NumberFormatException x) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad port in " + e);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new HostPort(host.toLowerCase(Locale.ROOT), IpLiterals.parse(host), port);
    }

    /** The ports the server itself listens on (traffic, admin): refused unless a host:port entry names them. */
    public void ownListeners(Set<Integer> ports) {
        this.ownPorts = Set.copyOf(ports);
    }

    /**
     * Why {@code address} may not be reached, or null when it may.
     *
     * @param host    the host as the URL names it (lower case, no brackets)
     * @param address what it resolved to, the address the client will connect to
     */
    public String refusal(String host, InetAddress address, int port) {
        if (allowAll) {
            return null;
        }
        for (HostPort hp : hostPorts) {
            if (hp.port() == port && (hp.host().equals(host) || address.equals(hp.address()))) {
                return null;
            }
        }
        if (ownPorts.contains(port) && isThisMachine(address)) {
            String shown = IpLiterals.format(address);
            return (shown.indexOf(':') >= 0 ? "[" + shown + "]" : shown) + ":" + port
                    + " is one of this server's own listeners";
        }
        byte[] bytes = address.getAddress();
        for (Cidr c : cidrs) {
            if (c.contains(bytes)) {
                return null;
            }
        }
        String kind = kind(bytes);
        return kind == null ? null : IpLiterals.format(address) + " is " + kind;
    }

    private boolean isThisMachine(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || localAddresses.contains(a)) {
            return true;
        }
        InetAddress embedded = embeddedIpv4(a.getAddress());
        return embedded != null && (embedded.isLoopbackAddress() || localAddresses.contains(embedded));
    }

    /** What kind of non-public address {@code a} is, or null for a public one. */
    static String kind(byte[] a) {
        if (a.length == 4) {
            return kindV4(a[0] & 0xff, a[1] & 0xff, a[2] & 0xff, a[3] & 0xff);
        }
        InetAddress v4 = embeddedIpv4(a);
        if (v4 != null) {
            String inner = kind(v4.getAddress());
            return inner == null ? null : inner + " (embedded in an IPv6 address)";
        }
        int first = a[0] & 0xff;
        int second = a[1] & 0xff;
        if (isZero(a, 0, 15)) {
            return a[15] == 0 ? "the unspecified address" : a[15] == 1 ? "a loopback address" : "a reserved address";
        }
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return "a link-local address";
        }
        if (first == 0xfe && (second & 0xc0) == 0xc0) {
            return "a site-local address";
        }
        if ((first & 0xfe) == 0xfc) {
            return "a private address (unique local)";
        }
        if (first == 0xff) {
            return "a multicast address";
        }
        return null;
    }

    private static String kindV4(int a, int b, int c, int d) {
        if (a == 0) {
            return "the unspecified address (0.0.0.0/8)";
        }
        if (a == 127) {
            return "a loopback address";
        }
        if (a == 10 || (a == 172 && (b & 0xf0) == 16) || (a == 192 && b == 168)) {
            return "a private address";
        }
        if (a == 169 && b == 254) {
            return c == 169 && d == 254 ? "the link-local cloud metadata address" : "a link-local address";
        }
        if (a == 100 && (b & 0xc0) == 64) {
            return "a shared (CGNAT) address";
        }
        if (a >= 224 && a <= 239) {
            return "a multicast address";
        }
        if (a >= 240) {
            return a == 255 && b == 255 && c == 255 && d == 255 ? "the broadcast address" : "a reserved address";
        }
        return null;
    }

    /** The IPv4 address inside an IPv4-mapped, -compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
    private static InetAddress embeddedIpv4(byte[] a) {
        if (a.length != 16) {
            return null;
        }
        int from = -1;
        if (isZero(a, 0, 10) && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff) {
            from = 12; // ::ffff:a.b.c.d
        } else if (isZero(a, 0, 12) && !isZero(a, 12, 15)) {
            from = 12; // ::a.b.c.d (deprecated IPv4-compatible)
        } else if (a[0] == 0 && (a[1] & 0xff) == 0x64 && (a[2] & 0xff) == 0xff && (a[3] & 0xff) == 0x9b
                && isZero(a, 4, 12)) {
            from = 12; // 64:ff9b::a.b.c.d
        } else if ((a[0] & 0xff) == 0x20 && a[1] == 0x02) {
            from = 2; // 2002:aabb:ccdd::
        }
        if (from < 0) {
            return null;
        }
        try {
            return InetAddress.getByAddress(new byte[] {a[from], a[from + 1], a[from + 2], a[from + 3]});
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static boolean isZero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static Set<InetAddress> localAddresses() {
        Set<InetAddress> out = new HashSet<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    out.add(a instanceof Inet6Address v6 && v6.getScopeId() != 0
                            ? InetAddress.getByAddress(v6.getAddress()) : a);
                }
            }
        } catch (SocketException | java.net.UnknownHostException e) {
            LOG.warn("could not list this machine's addresses: {}", e.toString());
        }
        return Set.copyOf(out);
    }
}
