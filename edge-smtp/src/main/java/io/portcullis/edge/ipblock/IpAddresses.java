package io.portcullis.edge.ipblock;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * The one textual form of a client IP used as block-list key and in events: IPv4 dotted quad; IPv4-mapped IPv6
 * ({@code ::ffff:192.0.2.1}) as plain IPv4; other IPv6 in the RFC 5952 form (lower case, leading zeros dropped, the
 * longest run of two or more zero groups as {@code ::}). Never resolves names: anything that is not an IP literal
 * is refused.
 */
public final class IpAddresses {

    private IpAddresses() {
    }

    /** The canonical form of an IP literal (brackets allowed around IPv6), or empty when it is not one. */
    public static Optional<String> canonical(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.strip();
        if (s.length() > 2 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']') {
            s = s.substring(1, s.length() - 1);
        }
        if (s.isEmpty() || s.length() > 45) {
            return Optional.empty();
        }
        if (s.indexOf(':') < 0) {
            return ipv4(s).map(IpAddresses::formatV4);
        }
        if (s.charAt(0) == '.') {
            return Optional.empty(); // InetAddress would treat it as a host name
        }
        for (int i = 0; i < s.length(); i++) {
            char c = Character.toLowerCase(s.charAt(i));
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f') && c != ':' && c != '.') {
                return Optional.empty(); // no zone ids, no names: getByName below must only ever parse a literal
            }
        }
        try {
            InetAddress address = InetAddress.getByName(s); // a literal with ':' is parsed, never looked up
            byte[] bytes = address.getAddress();
            if (address instanceof Inet4Address) {
                return Optional.of(formatV4(bytes)); // Java maps ::ffff:a.b.c.d to IPv4 itself
            }
            return Optional.of(formatV6(bytes));
        } catch (UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The canonical form, or the input stripped and lower-cased when it is not an IP literal. */
    public static String canonicalOrSelf(String text) {
        return canonical(text).orElse(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
    }

    private static Optional<byte[]> ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return Optional.empty(); // leading zeros are octal to some parsers: refuse them
            }
            int v = 0;
            for (int j = 0; j < p.length(); j++) {
                char c = p.charAt(j);
                if (c < '0' || c > '9') {
                    return Optional.empty();
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) v;
        }
        return Optional.of(bytes);
    }

    private static String formatV4(byte[] b) {
        return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }

    private static String formatV6(byte[] b) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8;) {
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
        if (bestLength < 2) {
            bestStart = -1;
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
}
