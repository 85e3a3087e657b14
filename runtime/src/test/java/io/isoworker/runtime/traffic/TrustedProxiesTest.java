package io.isoworker.runtime.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** CIDR matching and the choice of the client address from X-Forwarded-For. */
class TrustedProxiesTest {

    @Test
    void parsesCidrsAndRefusesNames() {
        assertTrue(TrustedProxies.parse("").isEmpty());
        assertTrue(TrustedProxies.parse(" , ").isEmpty());
        TrustedProxies p = TrustedProxies.parse("10.0.0.0/8, 192.168.1.0/25, ::1, 2001:db8::/32");
        assertTrue(p.trusts("10.255.0.1"));
        assertTrue(p.trusts("192.168.1.127"));
        assertTrue(!p.trusts("192.168.1.128"));
        assertTrue(p.trusts("0:0:0:0:0:0:0:1"));
        assertTrue(p.trusts("2001:db8:ffff::5"));
        assertTrue(!p.trusts("2001:db9::5"));
        assertTrue(!p.trusts("11.0.0.1"));
        assertTrue(!p.trusts("localhost"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("localhost"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("300.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/x"));
    }

    @Test
    void picksTheLastUntrustedHop() {
        TrustedProxies p = TrustedProxies.parse("10.0.0.0/8");
        assertEquals("9.9.9.9", p.clientAddress("9.9.9.9", List.of("1.2.3.4")), "untrusted peer");
        assertEquals("10.0.0.1", p.clientAddress("10.0.0.1", List.of()), "no header");
        assertEquals("1.2.3.4", p.clientAddress("10.0.0.1", List.of("5.5.5.5, 1.2.3.4")));
        assertEquals("1.2.3.4", p.clientAddress("10.0.0.1", List.of("5.5.5.5", "1.2.3.4, 10.0.0.7")));
        assertEquals("10.0.0.9", p.clientAddress("10.0.0.1", List.of("10.0.0.9, 10.0.0.7")), "all trusted");
        assertEquals("10.0.0.1", p.clientAddress("10.0.0.1", List.of("1.2.3.4, junk")), "malformed");
        assertEquals("2001:db8::1", p.clientAddress("10.0.0.1", List.of("2001:DB8:0:0:0:0:0:1")));
    }

    @Test
    void canonicalAddresses() {
        assertEquals("::1", TrustedProxies.canonical("0:0:0:0:0:0:0:1"));
        assertEquals("2001:db8::1:0:0:1", TrustedProxies.canonical("2001:db8:0:0:1:0:0:1"));
        assertEquals("2001:db8:0:1:1:1:1:1", TrustedProxies.canonical("2001:db8:0:1:1:1:1:1"));
        assertEquals("::", TrustedProxies.canonical("0:0:0:0:0:0:0:0"));
        assertEquals("1.2.3.4", TrustedProxies.canonical("::ffff:1.2.3.4"));
        assertEquals("fe80::1", TrustedProxies.canonical("fe80::1%eth0"));
        assertEquals("127.0.0.1", TrustedProxies.canonical("127.0.0.1"));
    }
}
