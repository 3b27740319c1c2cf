package io.portcullis.edge.delivery;

import io.portcullis.edge.config.EdgeConfig;
import io.portcullis.edge.sink.DevelopmentSink;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where delivery goes: {@code portcullis.delivery.next-hop} when it is a smart host (validated at start-up), MX
 * look-up when it is {@code mx}, else the development sink on 127.0.0.1; with the static routes and TLS policies
 * of {@link DeliveryRouter} on top. Bad routing configuration fails start-up.
 */
@Startup
@ApplicationScoped
public class DeliveryTarget {

    /** The {@code next-hop} value that turns on delivery by MX look-up. */
    public static final String MX = "mx";

    private final Optional<NextHop> configured;
    private final DevelopmentSink sink;
    private final DeliveryRouter router;

    public DeliveryTarget(EdgeConfig config, DevelopmentSink sink) {
        this.configured = configuredNextHop(config);
        this.sink = sink;
        this.router = router(config, this::current);
    }

    /**
     * The router of the configuration, with {@code defaultHop} as the smart host or sink (unused under MX routing).
     *
     * @throws IllegalArgumentException naming the key of a malformed route, TLS policy or resolver
     */
    public static DeliveryRouter router(EdgeConfig config, java.util.function.Supplier<NextHop> defaultHop) {
        EdgeConfig.Delivery d = config.delivery();
        MxLookup lookup = new MxLookup(d.dnsResolver(), d.dnsTimeout(), d.mxPort());
        return new DeliveryRouter(d.routes().orElse(List.of()), d.tlsPolicy().orElse(List.of()),
                mxRouting(config) ? null : defaultHop, lookup);
    }

    /** Whether {@code portcullis.delivery.next-hop} is {@code mx}. */
    public static boolean mxRouting(EdgeConfig config) {
        return config.delivery().nextHop().map(v -> v.strip().toLowerCase(Locale.ROOT)).filter(MX::equals).isPresent();
    }

    /** Whether the development sink is the default next hop ({@code next-hop} unset). */
    public static boolean usesSink(EdgeConfig config) {
        return config.delivery().nextHop().map(String::strip).filter(s -> !s.isEmpty()).isEmpty();
    }

    /** The parsed smart host of {@code portcullis.delivery.next-hop}; empty when blank (sink) or {@code mx}. */
    public static Optional<NextHop> configuredNextHop(EdgeConfig config) {
        if (mxRouting(config)) {
            return Optional.empty();
        }
        return config.delivery().nextHop().map(String::trim).filter(s -> !s.isEmpty()).map(v -> {
            try {
                return NextHop.parse(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("portcullis.delivery.next-hop: " + e.getMessage()
                        + " (or 'mx' for MX look-up, empty for the development sink)", e);
            }
        });
    }

    /** The recipients' destinations and their hosts. */
    public DeliveryRouter router() {
        return router;
    }

    /**
     * The default next hop: the smart host, or the development sink; under MX routing the sink too (only
     * notifications without a recipient domain of their own would use it).
     */
    public NextHop current() {
        return configured.orElseGet(() -> new NextHop("127.0.0.1", sink.port()));
    }

    /**
     * The first host for one recipient (notifications): its route, smart host or sink, or its first MX host.
     * Blocking when routing by MX (DNS, bounded time).
     *
     * @throws IllegalStateException when no host can be found
     */
    public NextHop forRecipient(String recipient) {
        try {
            return router.hops(router.destinationFor(recipient)).get(0);
        } catch (RouteException e) {
            throw new IllegalStateException("no next hop for a notification: " + e.reply());
        }
    }
}
