package io.portcullis.scanner.engine.dns;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Blocklist query names: reversed IPv4 octets, reversed IPv6 nibbles, domains; and which IPs are worth asking. */
public final class DnsblNames {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private DnsblNames() {
    }

    /**
     * Parses an IP literal without any DNS lookup ({@code [v6]} brackets and an {@code IPv6:} prefix allowed).
     * Empty for anything else (including host names).
     */
    public static Optional<InetAddress> parseIp(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.strip();
        if (s.regionMatches(true, 0, "IPv6:", 0, 5)) {
            s = s.substring(5);
        }
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.isEmpty() || s.length() > 64 || s.indexOf('%') >= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddresses.forString(s));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether a blocklist can say anything about this address: false for loopback, private, link-local, CGNAT,
     * documentation, benchmarking, multicast, reserved and unspecified addresses (IPv4-mapped IPv6 addresses are
     * judged as their IPv4 address).
     */
    public static boolean isPublic(InetAddress ip) {
        if (ip.isAnyLocalAddress() || ip.isLoopbackAddress() || ip.isLinkLocalAddress() || ip.isSiteLocalAddress()
                || ip.isMulticastAddress()) {
            return false;
        }
        byte[] a = ip.getAddress();
        if (ip instanceof Inet4Address) {
            int b0 = a[0] & 0xff;
            int b1 = a[1] & 0xff;
            int b2 = a[2] & 0xff;
            return !(b0 == 0 || b0 == 10 || b0 == 127 || b0 >= 224
                    || (b0 == 100 && b1 >= 64 && b1 <= 127)
                    || (b0 == 169 && b1 == 254)
                    || (b0 == 172 && b1 >= 16 && b1 <= 31)
                    || (b0 == 192 && b1 == 168)
                    || (b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2))
                    || (b0 == 198 && (b1 == 18 || b1 == 19))
                    || (b0 == 198 && b1 == 51 && b2 == 100)
                    || (b0 == 203 && b1 == 0 && b2 == 113));
        }
        int w0 = ((a[0] & 0xff) << 8) | (a[1] & 0xff);
        int w1 = ((a[2] & 0xff) << 8) | (a[3] & 0xff);
        boolean unique = (a[0] & 0xfe) == 0xfc;                       // fc00::/7
        boolean documentation = w0 == 0x2001 && w1 == 0x0db8;         // 2001:db8::/32
        boolean compat = true;                                         // ::/96 (incl. ::, ::1) and ::ffff:0:0/96
        for (int i = 0; i < 10; i++) {
            compat &= a[i] == 0;
        }
        return ip instanceof Inet6Address && !unique && !documentation && !compat && (a[0] & 0xe0) == 0x20;
    }

    /** {@code 4.3.2.1.zone.} for 1.2.3.4; the 32 reversed nibbles for IPv6. */
    public static Name ipQuery(InetAddress ip, Name zone) {
        byte[] a = ip.getAddress();
        StringBuilder sb = new StringBuilder(72);
        if (ip instanceof Inet4Address) {
            for (int i = 3; i >= 0; i--) {
                sb.append(a[i] & 0xff).append('.');
            }
        } else {
            for (int i = a.length - 1; i >= 0; i--) {
                sb.append(HEX[a[i] & 0x0f]).append('.').append(HEX[(a[i] >> 4) & 0x0f]).append('.');
            }
        }
        return relativeTo(sb.substring(0, sb.length() - 1), zone);
    }

    /** {@code domain.zone.}; the domain must be a valid, already normalised host name. */
    public static Name domainQuery(String domain, Name zone) {
        return relativeTo(domain, zone);
    }

    private static Name relativeTo(String prefix, Name zone) {
        try {
            return Name.concatenate(Name.fromString(prefix), zone);
        } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
            throw new IllegalArgumentException("no query name for " + prefix + " in " + zone, e);
        }
    }
}
