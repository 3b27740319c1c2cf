package io.portcullis.policy.ipprofiler;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The one textual form of a client IP used as the key of {@code IpBlock} records and allow-list entries: IPv4 dotted
 * quad (IPv4-mapped IPv6 becomes plain IPv4), other IPv6 in the RFC 5952 form. Only literals are accepted, a name is
 * never looked up; zone ids and brackets are refused.
 */
public final class IpAddresses {
    /** Longest textual IP literal (IPv6 with embedded IPv4). */
    static final int MAX_LENGTH = 45;

    private IpAddresses() {
    }

    /** The parsed address, or empty when the text is not exactly an IP literal. */
    public static Optional<InetAddress> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':'
                    || c == '.';
            if (!ok) {
                return Optional.empty(); // no names, no zone ids, no spaces: Guava would only parse anyway
            }
        }
        try {
            return Optional.of(InetAddresses.forString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The canonical form of an IP literal, or empty when the text is not one. */
    public static Optional<String> canonical(String text) {
        return parse(text).map(InetAddresses::toAddrString);
    }

    /** The canonical form of an address. */
    public static String format(InetAddress address) {
        return InetAddresses.toAddrString(address);
    }
}
