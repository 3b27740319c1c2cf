package io.portcullis.scanner.engine.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

/**
 * Configuration shared by the engines that ask DNS (blocklists; SPF, DKIM, DMARC): the resolver address and the
 * query timeout and per-message deadline. Errors name the configuration key.
 */
public final class DnsResolvers {

    private DnsResolvers() {
    }

    /**
     * The resolver at {@code host:port} ({@code [v6]:port}; port 53 when omitted), or the system resolvers when the
     * address is empty.
     *
     * @param key the configuration key, for the error
     * @throws IllegalStateException naming the key when the address is unusable
     */
    public static Resolver resolver(String key, Optional<String> address) {
        if (address.isEmpty() || address.get().isBlank()) {
            return new ExtendedResolver();
        }
        String a = address.get().strip();
        String host = a;
        int port = 53;
        int colon = a.lastIndexOf(':');
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            host = close > 0 ? a.substring(1, close) : a;
            if (close > 0 && a.length() > close + 1 && a.charAt(close + 1) == ':') {
                port = port(key, a, a.substring(close + 2));
            }
        } else if (colon > 0 && a.indexOf(':') == colon) {
            host = a.substring(0, colon);
            port = port(key, a, a.substring(colon + 1));
        }
        try {
            return new SimpleResolver(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (UnknownHostException | RuntimeException e) {
            throw new IllegalStateException(key + ": cannot use '" + a + "'", e);
        }
    }

    /**
     * Checks a query timeout and a per-message deadline: the timeout positive, the deadline at least the timeout and
     * below the engine timeout.
     *
     * @param prefix the keys' common prefix, e.g. {@code portcullis.scanner.auth.}
     * @throws IllegalStateException naming the bad key
     */
    public static void checkTiming(String prefix, Duration timeout, Duration deadline, Duration engineTimeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalStateException(prefix + "timeout must be positive");
        }
        if (deadline.compareTo(timeout) < 0 || deadline.compareTo(engineTimeout) >= 0) {
            throw new IllegalStateException(prefix + "deadline must be at least " + prefix + "timeout and below "
                    + "portcullis.scanner.engine-timeout, was " + deadline);
        }
    }

    private static int port(String key, String a, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalStateException(key + ": bad port in '" + a + "'");
    }
}
