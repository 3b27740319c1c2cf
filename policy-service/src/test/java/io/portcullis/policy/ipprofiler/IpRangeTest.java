package io.portcullis.policy.ipprofiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IpRangeTest {

    private static InetAddress ip(String text) {
        return IpAddresses.parse(text).orElseThrow();
    }

    @Test
    void canonicalFormsAreDottedQuadAndRfc5952() {
        assertEquals(Optional.of("192.0.2.1"), IpAddresses.canonical("192.0.2.1"));
        assertEquals(Optional.of("2001:db8::1"), IpAddresses.canonical("2001:0DB8:0000:0000:0000:0000:0000:0001"));
        assertEquals(Optional.of("192.0.2.1"), IpAddresses.canonical("::ffff:192.0.2.1"));
        assertEquals(Optional.of("::1"), IpAddresses.canonical("0:0:0:0:0:0:0:1"));
    }

    @Test
    void neverResolvesNamesAndRefusesNonLiterals() {
        for (String bad : new String[] {null, "", "localhost", "example.org", "1.2.3", "1.2.3.4.5", "01.2.3.4",
                "256.1.1.1", "1.2.3.4 ", "[::1]", "fe80::1%eth0", "::g", "1".repeat(46), "0x7f.0.0.1"}) {
            assertEquals(Optional.empty(), IpAddresses.canonical(bad), String.valueOf(bad));
        }
    }

    @Test
    void aCidrBlockContainsItsAddressesOnly() {
        IpRange v4 = IpRange.parse("198.51.100.0/24");
        assertTrue(v4.contains(ip("198.51.100.0")));
        assertTrue(v4.contains(ip("198.51.100.255")));
        assertFalse(v4.contains(ip("198.51.101.0")));
        assertFalse(v4.contains(ip("2001:db8::1")));
        IpRange v6 = IpRange.parse("2001:db8:1::/48");
        assertTrue(v6.contains(ip("2001:db8:1:ffff::1")));
        assertFalse(v6.contains(ip("2001:db8:2::1")));
        assertFalse(v6.contains(ip("198.51.100.1")));
        assertTrue(IpRange.parse("0.0.0.0/0").contains(ip("203.0.113.9")));
        assertTrue(IpRange.parse("10.0.0.0/9").contains(ip("10.127.255.255")));
        assertFalse(IpRange.parse("10.0.0.0/9").contains(ip("10.128.0.0")));
    }

    @Test
    void aSingleAddressHasNoPrefixInItsCanonicalText() {
        assertEquals("192.0.2.1", IpRange.parse("192.0.2.1/32").text());
        assertEquals("2001:db8::1", IpRange.parse("2001:DB8::1/128").text());
        assertTrue(IpRange.parse("2001:db8::1").singleAddress());
        assertFalse(IpRange.parse("2001:db8::/32").singleAddress());
        assertTrue(IpRange.parse("192.0.2.1").contains(ip("192.0.2.1")));
        assertFalse(IpRange.parse("192.0.2.1").contains(ip("192.0.2.2")));
    }

    @Test
    void hostBitsBelowThePrefixAreRefusedWithTheNetworkAddressSuggested() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpRange.parse("10.1.2.3/8"));
        assertTrue(e.getMessage().contains("10.0.0.0/8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IpRange.parse("2001:db8::1/32"));
    }

    @Test
    void malformedPrefixesAreRefused() {
        for (String bad : new String[] {"10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/08", "10.0.0.0/8/8",
                "10.0.0.0/ 8", "::/129", "10.0.0.0/1000", "/8", " "}) {
            assertThrows(IllegalArgumentException.class, () -> IpRange.parse(bad), bad);
        }
    }
}
