package io.portcullis.edge.ipblock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class IpAddressesTest {

    private static String canonical(String s) {
        return IpAddresses.canonical(s).orElse("<none>");
    }

    @Test
    void keepsIpv4AsDottedQuad() {
        assertEquals("192.0.2.1", canonical("192.0.2.1"));
        assertEquals("192.0.2.1", canonical(" 192.0.2.1 "));
        assertEquals("0.0.0.0", canonical("0.0.0.0"));
        assertEquals("255.255.255.255", canonical("255.255.255.255"));
    }

    @Test
    void normalisesIpv4MappedIpv6ToIpv4() {
        assertEquals("192.0.2.1", canonical("::ffff:192.0.2.1"));
        assertEquals("192.0.2.1", canonical("0:0:0:0:0:ffff:c000:0201"));
        assertEquals("192.0.2.1", canonical("[::FFFF:192.0.2.1]"));
    }

    @Test
    void writesIpv6InRfc5952Form() {
        assertEquals("2001:db8::1", canonical("2001:0DB8:0000:0000:0000:0000:0000:0001"));
        assertEquals("2001:db8::1", canonical("[2001:db8::1]"));
        assertEquals("::1", canonical("0:0:0:0:0:0:0:1"));
        assertEquals("::", canonical("::"));
        assertEquals("2001:db8:0:1:1:1:1:1", canonical("2001:db8:0:1:1:1:1:1"), "a single zero group stays");
        assertEquals("2001:0:0:1::1", canonical("2001:0:0:1:0:0:0:1"), "the longest zero run is compressed");
        assertEquals("2001:db8::1:0:0:1", canonical("2001:db8:0:0:1:0:0:1"), "the first of equal runs");
    }

    @Test
    void refusesNamesAndGarbageWithoutResolvingThem() {
        for (String s : new String[] {null, "", "localhost", "example.com", "unknown", "1.2.3", "1.2.3.4.5",
                "256.1.1.1", "01.2.3.4", "1.2.3.-4", "fe80::1%eth0", "::ffff:1.2.3.999", "12345::", "[]",
                "1.2.3.4 ", "a".repeat(100), "::g", ".:1", ".1:2::", "1:2", "1.2.3.4:25"}) {
            if (s != null && s.equals("1.2.3.4 ")) {
                assertEquals(Optional.of("1.2.3.4"), IpAddresses.canonical(s));
                continue;
            }
            assertEquals(Optional.empty(), IpAddresses.canonical(s), String.valueOf(s));
        }
    }

    @Test
    void canonicalOrSelfKeepsNonIpText() {
        assertEquals("unknown", IpAddresses.canonicalOrSelf(" Unknown "));
        assertEquals("10.0.0.1", IpAddresses.canonicalOrSelf("::ffff:10.0.0.1"));
    }
}
