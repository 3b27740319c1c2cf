package io.portcullis.edge.delivery;

import java.util.Objects;

/**
 * Where one relay attempt connects to: a smart host, a static route, or one address of an MX host.
 *
 * @param host host name or IP literal (IPv6 without brackets) to connect to
 * @param port TCP port
 * @param name the name the host is known by (the MX host name an address was found for): sent as TLS SNI and
 *             checked against the certificate under the {@code verify} TLS policy; the host itself when the same
 */
public record NextHop(String host, int port, String name) {

    public NextHop(String host, int port) {
        this(host, port, host);
    }

    public NextHop {
        Objects.requireNonNull(host, "host");
        name = name == null || name.isBlank() ? host : name;
        if (host.isBlank()) {
            throw new IllegalArgumentException("next hop host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("next hop port out of range: " + port);
        }
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port}.
     *
     * @throws IllegalArgumentException when the value is not of that form
     */
    public static NextHop parse(String value) {
        String v = Objects.requireNonNull(value, "next hop").trim();
        int colon;
        String host;
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            if (close < 0 || close + 1 >= v.length() || v.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("next hop must be [ipv6]:port, got '" + value + "'");
            }
            host = v.substring(1, close);
            colon = close + 1;
        } else {
            colon = v.lastIndexOf(':');
            if (colon <= 0 || v.indexOf(':') != colon) {
                throw new IllegalArgumentException("next hop must be host:port, got '" + value + "'");
            }
            host = v.substring(0, colon);
        }
        try {
            return new NextHop(host, Integer.parseInt(v.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("next hop port is not a number in '" + value + "'", e);
        }
    }

    @Override
    public String toString() {
        String address = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        return name.equals(host) ? address : name + "[" + host + "]:" + port;
    }
}
