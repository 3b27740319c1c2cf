package io.portcullis.scanner.engine.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class DnsblNamesTest {
    private static final Name ZEN = Name.fromConstantString("zen.example.");

    private static InetAddress ip(String s) {
        return DnsblNames.parseIp(s).orElseThrow();
    }

    @Test
    void ipv4QueryReversesTheOctets() {
        assertEquals("4.3.2.1.zen.example.", DnsblNames.ipQuery(ip("1.2.3.4"), ZEN).toString());
        assertEquals("2.0.0.127.zen.example.", DnsblNames.ipQuery(ip("127.0.0.2"), ZEN).toString());
    }

    @Test
    void ipv6QueryReversesAllThirtyTwoNibbles() {
        assertEquals("1.0." + "0.".repeat(22) + "8.b.d.0.1.0.0.2.zen.example.",
                DnsblNames.ipQuery(ip("2001:db8::1"), ZEN).toString());
        assertEquals("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.zen.example.",
                DnsblNames.ipQuery(ip("4321:0:1:2:3:4:567:89ab"), ZEN).toString());
    }

    @Test
    void ipLiteralsAreParsedWithoutDnsAndHostNamesRefused() {
        assertTrue(DnsblNames.parseIp("[2a00:1450::1]").isPresent());
        assertTrue(DnsblNames.parseIp("IPv6:2a00:1450::1").isPresent());
        assertEquals("1.2.3.4", DnsblNames.parseIp("::ffff:1.2.3.4").orElseThrow().getHostAddress());
        for (String bad : new String[] {null, "", "mail.example.com", "1.2.3", "1.2.3.256", "fe80::1%eth0",
                "1.2.3.4 ", "x".repeat(1000)}) {
            if (bad != null && bad.equals("1.2.3.4 ")) {
                assertTrue(DnsblNames.parseIp(bad).isPresent(), "surrounding blanks are stripped");
                continue;
            }
            assertFalse(DnsblNames.parseIp(bad).isPresent(), String.valueOf(bad));
        }
    }

    @Test
    void privateLoopbackAndReservedAddressesAreNotLookedUp() {
        for (String s : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                "100.64.0.1", "169.254.1.1", "0.1.2.3", "192.0.2.1", "198.51.100.7", "203.0.113.9", "198.18.0.1",
                "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd00::1", "fc00::1",
                "2001:db8::1", "ff02::1", "::ffff:10.0.0.1")) {
            assertFalse(DnsblNames.isPublic(ip(s)), s);
        }
        for (String s : List.of("1.2.3.4", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2a00:1450:4001::1")) {
            assertTrue(DnsblNames.isPublic(ip(s)), s);
        }
    }

    @Test
    void zoneSpecsParseAndBadOnesAreRefused() {
        DnsblZone z = DnsblZone.parse(" zen.spamhaus.org = RBL_ZEN : 3.5 ");
        assertEquals("zen.spamhaus.org", z.label());
        assertEquals("RBL_ZEN", z.symbol());
        assertEquals(3.5, z.score());
        for (String bad : List.of("zen.spamhaus.org", "zen.spamhaus.org=RBL_ZEN", "zen=RBL_ZEN:1",
                "zen.spamhaus.org=rbl:1", "zen.spamhaus.org=RBL:-1", "zen.spamhaus.org=RBL:NaN", "=RBL:1",
                "a..b=RBL:1", "zen spamhaus.org=RBL:1")) {
            assertThrows(IllegalArgumentException.class, () -> DnsblZone.parse(bad), bad);
        }
        assertThrows(IllegalStateException.class, () -> DnsblZone.parseAll("k",
                List.of("a.example=RBL_A:1", "a.example=RBL_B:1")));
    }
}
