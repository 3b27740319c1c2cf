package io.portcullis.edge.delivery;

import io.portcullis.mailauth.dkim.DomainNames;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Chooses the destination of each recipient: a static route of its domain ({@code portcullis.delivery.routes}),
 * else the default next hop (a smart host or the development sink), else an MX look-up of the domain; and the
 * domain's TLS policy ({@code portcullis.delivery.tls-policy}). Choosing a destination never asks DNS; finding the
 * hosts of an MX destination ({@link #hops}) does, blocking with bounded time: call it on a worker thread.
 */
public final class DeliveryRouter {

    private final Map<String, NextHop> routes;
    private final Map<String, TlsPolicy> tlsPolicies;
    private final Supplier<NextHop> defaultHop;
    private final MxLookup mx;

    /**
     * @param routes      {@code domain=host:port} entries (a leading dot: the subdomains of the domain)
     * @param tlsPolicies {@code domain=opportunistic|required|verify} entries
     * @param defaultHop  the smart host or development sink; null to route by MX
     * @param mx          the MX look-up (may be null when {@code defaultHop} is set and no route needs it)
     * @throws IllegalArgumentException naming the configuration key when an entry is malformed
     */
    public DeliveryRouter(List<String> routes, List<String> tlsPolicies, Supplier<NextHop> defaultHop, MxLookup mx) {
        this.routes = parse("portcullis.delivery.routes", routes, NextHop::parse);
        this.tlsPolicies = parse("portcullis.delivery.tls-policy", tlsPolicies, TlsPolicy::parse);
        this.defaultHop = defaultHop;
        this.mx = mx;
        if (defaultHop == null && mx == null) {
            throw new IllegalArgumentException("MX routing needs an MX look-up");
        }
    }

    private static <T> Map<String, T> parse(String key, List<String> entries, java.util.function.Function<String, T> value) {
        Map<String, T> map = new HashMap<>();
        for (String raw : entries == null ? List.<String>of() : entries) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException(key + ": expected domain=value, got '" + raw + "'");
            }
            String domain = entry.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String bare = domain.startsWith(".") ? domain.substring(1) : domain;
            if (!validDomain(bare)) {
                throw new IllegalArgumentException(key + ": '" + domain + "' is not a domain name in '" + raw + "'");
            }
            T parsed;
            try {
                parsed = value.apply(entry.substring(eq + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage() + " in '" + raw + "'", e);
            }
            if (map.put(domain, parsed) != null) {
                throw new IllegalArgumentException(key + ": domain '" + domain + "' is listed twice");
            }
        }
        return Map.copyOf(map);
    }

    /** Letters, digits, hyphens and dots, labels of 1..63 characters, 253 in all. */
    static boolean validDomain(String d) {
        return DomainNames.valid(d);
    }

    /** The domain of an address, lower case; empty when it has none. */
    static String domainOf(String address) {
        int at = address == null ? -1 : address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).strip().toLowerCase(Locale.ROOT);
    }

    /** Whether destinations without a route are found by MX look-up. */
    public boolean mxRouting() {
        return defaultHop == null;
    }

    /** The destination of one recipient; never asks DNS. */
    public Destination destinationFor(String recipient) {
        String domain = domainOf(recipient);
        TlsPolicy tls = lookup(tlsPolicies, domain).orElse(TlsPolicy.OPPORTUNISTIC);
        String suffix = tls == TlsPolicy.OPPORTUNISTIC ? "" : " tls=" + tls.name().toLowerCase(Locale.ROOT);
        Optional<NextHop> route = lookup(routes, domain);
        if (route.isPresent()) {
            return new Destination(route.get() + suffix, domain, List.of(route.get()), tls);
        }
        if (defaultHop != null) {
            NextHop hop = defaultHop.get();
            return new Destination(hop + suffix, domain, List.of(hop), tls);
        }
        if (domain.startsWith("[") && domain.endsWith("]")) {
            // an address literal: the host itself, no MX
            NextHop hop = new NextHop(literal(domain), mx.port());
            return new Destination(hop + suffix, domain, List.of(hop), tls);
        }
        return new Destination(domain + suffix, domain, List.of(), tls);
    }

    private static String literal(String domain) {
        String inner = domain.substring(1, domain.length() - 1);
        return inner.regionMatches(true, 0, "IPv6:", 0, 5) ? inner.substring(5) : inner;
    }

    /**
     * The hosts to try, in order: the fixed hop, or the MX hosts' addresses (blocking DNS, bounded time).
     *
     * @throws RouteException when there are none (temporary on DNS trouble, permanent for a null MX)
     */
    public List<NextHop> hops(Destination destination) throws RouteException {
        if (!destination.mx()) {
            return destination.hops();
        }
        return mx.lookup(destination.domain());
    }

    /** Exact domain first, then {@code .parent} entries from the closest parent up. */
    private static <T> Optional<T> lookup(Map<String, T> map, String domain) {
        Objects.requireNonNull(domain);
        T exact = map.get(domain);
        if (exact != null) {
            return Optional.of(exact);
        }
        String d = domain;
        int dot;
        while ((dot = d.indexOf('.')) >= 0) {
            d = d.substring(dot + 1);
            T parent = map.get("." + d);
            if (parent != null) {
                return Optional.of(parent);
            }
        }
        return Optional.empty();
    }
}
