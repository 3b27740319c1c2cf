package io.portcullis.policy.ipprofiler;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * An allow-list or exemption entry: one IP or a CIDR block of the same family. The canonical text is the address
 * alone for a single host ({@code 192.0.2.7}, {@code 2001:db8::1}) and {@code network/prefix} for a block; host bits
 * below the prefix must be zero so an entry never means something other than what it says.
 */
public final class IpRange {
    private final byte[] network;
    private final int prefix;
    private final String text;

    private IpRange(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /**
     * Parses {@code ip} or {@code ip/prefix}.
     *
     * @throws IllegalArgumentException with a message fit for an API client (it never echoes the input)
     */
    public static IpRange parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an IP address or CIDR block is required");
        }
        if (text.length() > IpAddresses.MAX_LENGTH + 4) {
            throw new IllegalArgumentException("too long for an IP address or CIDR block");
        }
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        InetAddress parsed = IpAddresses.parse(address).orElseThrow(
                () -> new IllegalArgumentException("not an IP address (IPv4 dotted quad or IPv6) or CIDR block"));
        byte[] bytes = parsed.getAddress();
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String digits = text.substring(slash + 1);
            if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (digits.length() > 1 && digits.charAt(0) == '0')) {
                throw new IllegalArgumentException("the prefix length after '/' must be a number");
            }
            prefix = Integer.parseInt(digits);
            if (prefix > bits) {
                throw new IllegalArgumentException("the prefix length must be at most " + bits + " for this address");
            }
        }
        if (!Arrays.equals(bytes, mask(bytes, prefix))) {
            throw new IllegalArgumentException("the address has bits set below the prefix length; use the network "
                    + "address, e.g. " + IpAddresses.format(toAddress(mask(bytes, prefix))) + "/" + prefix);
        }
        String canonical = IpAddresses.format(parsed) + (prefix == bits ? "" : "/" + prefix);
        return new IpRange(bytes, prefix, canonical);
    }

    /** Whether the address lies in this range (addresses of the other family never do). */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.length && Arrays.equals(mask(bytes, prefix), network);
    }

    /** Whether this is a single address rather than a block. */
    public boolean singleAddress() {
        return prefix == network.length * 8;
    }

    /** The canonical text: the Kafka key of its control records. */
    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpRange other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] masked = bytes.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] = (byte) (masked[i] & (0xff << (8 - keep)));
        }
        return masked;
    }

    private static InetAddress toAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // only for a wrong length, which cannot happen here
        }
    }
}
