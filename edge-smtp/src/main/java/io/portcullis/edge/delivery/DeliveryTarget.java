package io.portcullis.edge.delivery;

import io.portcullis.edge.config.EdgeConfig;
import io.portcullis.edge.sink.DevelopmentSink;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The next hop: {@code portcullis.delivery.next-hop} when set (validated at start-up), else the development sink
 * on 127.0.0.1.
 */
@Startup
@ApplicationScoped
public class DeliveryTarget {

    private final Optional<NextHop> configured;
    private final DevelopmentSink sink;

    public DeliveryTarget(EdgeConfig config, DevelopmentSink sink) {
        this.configured = configuredNextHop(config);
        this.sink = sink;
    }

    /** The parsed {@code portcullis.delivery.next-hop}, empty when blank (use the sink). */
    public static Optional<NextHop> configuredNextHop(EdgeConfig config) {
        return config.delivery().nextHop().map(String::trim).filter(s -> !s.isEmpty()).map(v -> {
            try {
                return NextHop.parse(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("portcullis.delivery.next-hop: " + e.getMessage(), e);
            }
        });
    }

    /** Where to relay now. */
    public NextHop current() {
        return configured.orElseGet(() -> new NextHop("127.0.0.1", sink.port()));
    }
}
